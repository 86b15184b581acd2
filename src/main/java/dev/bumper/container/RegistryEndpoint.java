package dev.bumper.container;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where one registry is reached: its name, whether it may be asked over plain HTTP, and its base
 * URL, which {@link RegistryProbe} settles on first use. Builds the URLs of its endpoints and names
 * its repositories in messages.
 */
final class RegistryEndpoint {
  private final String registry;

  /** Named by --insecure-registry: plain HTTP, or TLS without checking the certificate. */
  private final boolean insecure;

  /** Insecure, or on loopback, where Docker too allows plain HTTP: asked over plain HTTP first. */
  private final boolean plainHttpAllowed;

  private URI base;

  /**
   * @param insecure whether {@code registry} was named with --insecure-registry
   */
  RegistryEndpoint(String registry, boolean insecure) {
    this.registry = registry;
    this.insecure = insecure;
    this.plainHttpAllowed = insecure || InsecureRegistries.isLoopback(registry);
  }

  /** host[:port], as in {@link ImageName#registry()}. */
  String registry() {
    return registry;
  }

  boolean insecure() {
    return insecure;
  }

  boolean plainHttpAllowed() {
    return plainHttpAllowed;
  }

  /**
   * {@code https://registry/}, or {@code http://} once the probe found a registry that speaks no
   * TLS. Read before the probe has run, it settles on https.
   */
  synchronized URI base() {
    if (base == null) {
      base = URI.create("https://" + registry + "/");
    }
    return base;
  }

  /** Set by the probe when the registry answered over plain HTTP. */
  synchronized void useBase(URI plainHttp) {
    base = plainHttp;
  }

  /** The URL of an endpoint of a repository; {@code rest} follows {@code /v2/<repository>/}. */
  URI url(String repository, String rest) {
    return URI.create(base() + "v2/" + repository + "/" + rest);
  }

  /** A repository as messages name it: {@code registry/repository}. */
  String where(String repository) {
    return registry + "/" + repository;
  }

  /**
   * The upload location a registry answered with, resolved against the base URL.
   *
   * @throws ContainerException when there is none, or it is not an http or https URL
   */
  URI uploadLocation(HttpTransport.Answer response, String what) {
    String location = response.header("Location").orElseThrow(() -> ContainerException.failure(
        registry + ": " + what + ": the registry sent no upload location"));
    return HttpTransport.httpUri(base(), location).orElseThrow(() -> ContainerException.failure(
        registry + ": " + what + ": the upload location is not an http or https URL"));
  }

  /** A value for a URL's query or a form. */
  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
