package dev.bumper.container;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Asks a registry's {@code /v2/}, once, how it is reached (TLS, or plain HTTP for a loopback or
 * insecure registry) and how it authenticates, so that every later request goes the same way. A
 * probe that fails is made again by the next request.
 */
final class RegistryProbe {
  private final RegistryEndpoint endpoint;
  private final HttpTransport transport;
  private final RegistryErrors errors;
  private final Consumer<String> verbose;

  /** The answer to the probe; null until one succeeds. */
  private AuthChallenge challenge;

  RegistryProbe(
      RegistryEndpoint endpoint,
      HttpTransport transport,
      RegistryErrors errors,
      Consumer<String> verbose) {
    this.endpoint = endpoint;
    this.transport = transport;
    this.errors = errors;
    this.verbose = verbose;
  }

  /**
   * Asks {@code /v2/} how to authenticate, once. An insecure registry is asked over plain HTTP
   * first: most are plain-HTTP registries, and this spares the TLS set-up, a good part of a small
   * push. One that answers as a TLS server would (400, or a dropped connection) is then reached
   * over TLS without checking its certificate.
   */
  synchronized void ping() throws TransientException {
    if (challenge != null) {
      return;
    }
    String registry = endpoint.registry();
    HttpTransport.Response response = null;
    if (endpoint.plainHttpAllowed()) {
      URI http = URI.create("http://" + registry + "/");
      try {
        response = pingOnce(http);
        if (speaksRegistry(response)) {
          endpoint.useBase(http);
          verbose.accept(registry + ": plain HTTP ("
              + (endpoint.insecure() ? "--insecure-registry" : "a loopback registry") + ")");
        } else {
          response = null;
        }
      } catch (TransientException e) {
        if (e.getCause() instanceof ConnectException && registry.contains(":")) {
          throw e; // nothing listens on that port, with TLS or without
        }
      }
    }
    if (response == null) {
      response = pingOnce(endpoint.base());
      if (endpoint.insecure()) {
        verbose.accept(registry + ": TLS without checking the certificate (--insecure-registry)");
      }
    }
    int status = response.status();
    if (status == 200) {
      challenge = new AuthChallenge("none", Map.of());
    } else if (status == 401) {
      challenge = AuthChallenge.parse(response.header("WWW-Authenticate").orElse("Basic"));
    } else {
      errors.check(response, "connect", null);
      throw errors.failure(response, "connect", null);
    }
  }

  /** How the registry asked to be authenticated in answer to the probe, probing it if need be. */
  synchronized AuthChallenge challenge() throws TransientException {
    ping();
    return challenge;
  }

  /** Whether a plain-HTTP answer came from a registry, not from a TLS server refusing it. */
  private static boolean speaksRegistry(HttpTransport.Response response) {
    int status = response.status();
    return status == 200
        || status == 401
        || response.header("Docker-Distribution-Api-Version").isPresent()
        || status == 429
        || status >= 500;
  }

  private HttpTransport.Response pingOnce(URI root) throws TransientException {
    try {
      return transport.send(
          "GET",
          root.resolve("v2/"),
          Map.of("User-Agent", "bumper"),
          null,
          HttpTransport.SHORT_REQUEST);
    } catch (IOException e) {
      throw errors.ioFailure(e);
    }
  }
}
