package dev.bumper.container;

import dev.bumper.secret.SecretMask;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What bumper needs to talk to registries in one run: credentials, which registries are insecure,
 * the retry policy, the secrets to mask, and one HTTP transport per kind of TLS. Hands out one {@link
 * RegistryClient} per registry, so that a token is fetched once.
 */
public final class RegistryAccess {
  private final RegistryCredentials credentials;
  private final InsecureRegistries insecure;
  private final RetryPolicy retry;
  private final Consumer<String> verbose;
  private final Map<String, RegistryClient> clients = new HashMap<>();
  private HttpTransport secure;
  private HttpTransport insecureTls;

  /** @param verbose where details go for {@code -v} (already masked by the caller's choice) */
  public RegistryAccess(
      RegistryCredentials credentials, InsecureRegistries insecure, RetryPolicy retry, Consumer<String> verbose) {
    this.credentials = credentials;
    this.insecure = insecure;
    this.retry = retry;
    this.verbose = verbose;
  }

  public RegistryCredentials credentials() {
    return credentials;
  }

  public InsecureRegistries insecure() {
    return insecure;
  }

  public RetryPolicy retry() {
    return retry;
  }

  public SecretMask secrets() {
    return credentials.secrets();
  }

  void verbose(String line) {
    verbose.accept(secrets().mask(line));
  }

  /** The client for {@code registry} (host[:port]). */
  public synchronized RegistryClient client(String registry) {
    return clients.computeIfAbsent(registry, host -> new RegistryClient(host, this));
  }

  /** How requests are sent: with certificates checked, or (for insecure registries) not. */
  synchronized HttpTransport transport(boolean insecure) {
    if (insecure) {
      if (insecureTls == null) {
        insecureTls = new HttpTransport(true);
      }
      return insecureTls;
    }
    if (secure == null) {
      secure = new HttpTransport(false);
    }
    return secure;
  }
}
