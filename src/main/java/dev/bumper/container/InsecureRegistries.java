package dev.bumper.container;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The registries that may be reached over plain HTTP or with a certificate that is not trusted
 * ({@code --insecure-registry HOST}, and {@code BUMPER_INSECURE_REGISTRIES}, comma-separated). A
 * {@code HOST:PORT} names one port; a bare {@code HOST} every port of that host.
 */
public final class InsecureRegistries {
  static final String VARIABLE = "BUMPER_INSECURE_REGISTRIES";

  private final List<String> hosts;

  private InsecureRegistries(List<String> hosts) {
    this.hosts = hosts;
  }

  /** The hosts given as options plus those in the environment. */
  public static InsecureRegistries of(Collection<String> options, java.util.Map<String, String> env) {
    List<String> hosts = new ArrayList<>();
    for (String option : options) {
      add(hosts, option);
    }
    String variable = env.get(VARIABLE);
    if (variable != null) {
      for (String host : variable.split("[,\\s]+")) {
        add(hosts, host);
      }
    }
    return new InsecureRegistries(hosts);
  }

  private static void add(List<String> hosts, String given) {
    String host = given.strip().toLowerCase(Locale.ROOT);
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    if (host.endsWith("/")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty()) {
      return;
    }
    if (host.contains("/")) {
      throw ContainerException.usage("--insecure-registry " + given + ": expected HOST or HOST:PORT");
    }
    hosts.add(host);
  }

  /** Whether {@code registry} (host[:port]) is insecure. */
  public boolean contains(String registry) {
    String wanted = registry.toLowerCase(Locale.ROOT);
    String host = hostOf(wanted);
    for (String entry : hosts) {
      if (entry.equals(wanted) || (entry.equals(host) && !hasPort(entry))) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return hosts.isEmpty();
  }

  private static boolean hasPort(String entry) {
    return entry.startsWith("[") ? entry.contains("]:") : entry.contains(":");
  }

  private static String hostOf(String registry) {
    if (registry.startsWith("[")) {
      int close = registry.indexOf(']');
      return close < 0 ? registry : registry.substring(0, close + 1);
    }
    int colon = registry.indexOf(':');
    return colon < 0 ? registry : registry.substring(0, colon);
  }
}
