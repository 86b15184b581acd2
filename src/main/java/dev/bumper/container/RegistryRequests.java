package dev.bumper.container;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends a registry's requests with the authorization their scopes need. When a Bearer token is
 * refused (it expired, or needs more scope), a new one is fetched and the request sent once more.
 * GETs and HEADs follow redirects; credentials go only to the registry's own origin, never to
 * storage a redirect points at.
 */
final class RegistryRequests {
  private final RegistryEndpoint endpoint;
  private final CredentialScope scope;
  private final RegistryAuthenticator authenticator;
  private final HttpTransport transport;
  private final RegistryErrors errors;

  RegistryRequests(
      RegistryEndpoint endpoint,
      CredentialScope scope,
      RegistryAuthenticator authenticator,
      HttpTransport transport,
      RegistryErrors errors) {
    this.endpoint = endpoint;
    this.scope = scope;
    this.authenticator = authenticator;
    this.transport = transport;
    this.errors = errors;
  }

  /**
   * Sends a request and reads the whole answer.
   *
   * @param scopes the repository scopes a token must have
   * @param body the body, or null for none
   */
  HttpTransport.Response send(
      String method,
      URI uri,
      List<String> scopes,
      Map<String, String> headers,
      HttpTransport.Body body,
      Duration timeout)
      throws TransientException {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return sendOnce(method, uri, scopes, headers, body, timeout);
    }
    return Redirects.follow(
        endpoint.registry(),
        method,
        uri,
        target -> sendOnce(method, target, scopes, headers, body, timeout));
  }

  /** Sends a GET, following redirects, and leaves the body to the caller. */
  HttpTransport.Streamed stream(URI uri, List<String> scopes) throws TransientException {
    return Redirects.follow(endpoint.registry(), "GET", uri, target -> streamOnce(target, scopes));
  }

  private HttpTransport.Response sendOnce(
      String method,
      URI uri,
      List<String> scopes,
      Map<String, String> headers,
      HttpTransport.Body body,
      Duration timeout)
      throws TransientException {
    boolean ownOrigin = scope.ownOrigin(uri);
    for (int attempt = 0; ; attempt++) {
      Map<String, String> all = requestHeaders(headers, scopes, ownOrigin, attempt > 0);
      HttpTransport.Response response;
      try {
        response = transport.send(method, uri, all, body, timeout);
      } catch (IOException e) {
        throw errors.ioFailure(e);
      }
      if (retriesWithNewToken(response, attempt, ownOrigin)) {
        continue;
      }
      return response;
    }
  }

  private HttpTransport.Streamed streamOnce(URI uri, List<String> scopes)
      throws TransientException {
    boolean ownOrigin = scope.ownOrigin(uri);
    for (int attempt = 0; ; attempt++) {
      HttpTransport.Streamed response;
      try {
        response =
            transport.stream(
                uri,
                requestHeaders(Map.of(), scopes, ownOrigin, attempt > 0),
                HttpTransport.LONG_REQUEST);
      } catch (IOException e) {
        throw errors.ioFailure(e);
      }
      if (retriesWithNewToken(response, attempt, ownOrigin)) {
        response.discard();
        continue;
      }
      return response;
    }
  }

  /** Whether a first attempt was refused for a token that a fresh one may replace. */
  private boolean retriesWithNewToken(
      HttpTransport.Answer response, int attempt, boolean ownOrigin) {
    return response.status() == 401
        && attempt == 0
        && ownOrigin
        && authenticator.bearerChallenge(response.header("WWW-Authenticate"));
  }

  private Map<String, String> requestHeaders(
      Map<String, String> headers, List<String> scopes, boolean ownOrigin, boolean renew)
      throws TransientException {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("User-Agent", "bumper");
    if (ownOrigin) {
      String authorization = authenticator.authorization(scopes, renew);
      if (authorization != null) {
        all.put("Authorization", authorization);
      }
    }
    return all;
  }
}
