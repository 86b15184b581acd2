package dev.bumper.container;

import java.net.URI;

/**
 * Where a registry's credentials may go: to the registry's own origin, and to its token realm only
 * over TLS unless the registry itself is reached over plain HTTP. Kept in one place so that the
 * rules that keep a secret from a storage host or from an unencrypted connection can be read and
 * checked together.
 */
final class CredentialScope {
  private final RegistryEndpoint endpoint;
  private final InsecureRegistries insecure;

  CredentialScope(RegistryEndpoint endpoint, InsecureRegistries insecure) {
    this.endpoint = endpoint;
    this.insecure = insecure;
  }

  /**
   * Whether {@code uri} is on the registry's own origin, where its Authorization header may go; a
   * redirect to storage elsewhere gets none.
   */
  boolean ownOrigin(URI uri) {
    URI base = endpoint.base();
    // the scheme too: a redirect from https to http on the same host and port must not carry them
    return uri.getRawAuthority() != null
        && uri.getRawAuthority().equalsIgnoreCase(base.getRawAuthority())
        && uri.getScheme() != null
        && uri.getScheme().equalsIgnoreCase(base.getScheme());
  }

  /**
   * Whether credentials may go to a token realm over plain HTTP: only for a registry that is itself
   * reached so (--insecure-registry, or on loopback), and only to its own host or another one
   * allowed plain HTTP. A TLS registry's realm over plain HTTP would be a downgrade.
   */
  boolean plainHttpRealmAllowed(URI realm) {
    URI base = endpoint.base();
    if (!"http".equalsIgnoreCase(base.getScheme())) {
      return false;
    }
    String authority = realm.getRawAuthority();
    return realm.getHost() != null && realm.getHost().equalsIgnoreCase(base.getHost())
        || insecure.contains(authority)
        || InsecureRegistries.isLoopback(authority);
  }
}
