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

  /**
   * Whether {@code registry} (host[:port]) names this machine: {@code localhost}, an address in
   * 127.0.0.0/8 or {@code [::1]}, by name, without resolving it. Docker reaches these over plain
   * HTTP without being told to; so does bumper. Their certificates are still checked.
   */
  public static boolean isLoopback(String registry) {
    String host = hostOf(registry.toLowerCase(Locale.ROOT));
    if (host.equals("localhost") || host.equals("[::1]")) {
      return true;
    }
    String[] octets = host.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String octet : octets) {
      if (!octet.matches("[0-9]{1,3}") || Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
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
