package dev.bumper.container;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The Authorization header for a registry's requests, as its challenge asks: Basic from the
 * credentials, or a Bearer token per set of repository scopes, cached so that a run fetches each
 * once and renewed when the registry refuses it. Thread-safe: blobs are uploaded in parallel.
 */
final class RegistryAuthenticator {
  private final String registry;
  private final RegistryProbe probe;
  private final BearerTokens tokens;
  private final RegistryAccess access;

  /** A Bearer challenge a refused request came with; it replaces the probe's. */
  private AuthChallenge renewed;

  /** Bearer authorizations by their scopes, sorted and space-separated. */
  private final Map<String, String> authorizations = new HashMap<>();

  RegistryAuthenticator(
      String registry, RegistryProbe probe, BearerTokens tokens, RegistryAccess access) {
    this.registry = registry;
    this.probe = probe;
    this.tokens = tokens;
    this.access = access;
  }

  /**
   * The Authorization header for these scopes, or null when the registry needs none.
   *
   * @param renew fetch a new Bearer token even if one is cached: the cached one was refused
   */
  String authorization(List<String> scopes, boolean renew) throws TransientException {
    AuthChallenge current = challenge();
    if (current.isBasic()) {
      Optional<Credential> credential = access.credentials().forRegistry(registry);
      if (credential.isEmpty()) {
        return null;
      }
      if (credential.get().isIdentityToken()) {
        throw ContainerException.failure(registry + " asks for a user name and password, but "
            + credential.get().source() + " holds an identity token");
      }
      String basic = credential.get().basic();
      access.secrets().add(basic);
      return "Basic " + basic;
    }
    if (!current.isBearer()) {
      return null;
    }
    String key = String.join(" ", new TreeSet<>(scopes));
    synchronized (this) {
      String cached = authorizations.get(key);
      if (cached != null && !renew) {
        return cached;
      }
    }
    String token = "Bearer " + tokens.fetch(current, scopes);
    synchronized (this) {
      authorizations.put(key, token);
    }
    return token;
  }

  /**
   * Whether a 401 came with a Bearer challenge, which a fresh token may satisfy; if so, the
   * challenge is the one tokens are fetched for from now on (it may ask for more scope).
   */
  synchronized boolean bearerChallenge(Optional<String> header) {
    if (header.isEmpty()) {
      return false;
    }
    AuthChallenge fresh = AuthChallenge.parse(header.get());
    if (!fresh.isBearer()) {
      return false;
    }
    renewed = fresh;
    return true;
  }

  private AuthChallenge challenge() throws TransientException {
    // asked outside this object's lock: the probe may wait on the network
    AuthChallenge probed = probe.challenge();
    synchronized (this) {
      return renewed != null ? renewed : probed;
    }
  }
}
