package dev.bumper.git;

import java.net.URISyntaxException;
import org.eclipse.jgit.transport.URIish;

/**
 * A config repo's URL: {@code file://}, {@code git://}, {@code http(s)://}, {@code ssh://} or
 * scp-like {@code git@host:org/repo.git} (including Semaphore's {@code git@host:/org/repo.git}).
 * Printed only through {@link #redacted()}, which hides credentials.
 */
public final class RemoteUrl {
  private final String url;
  private final URIish uri;

  private RemoteUrl(String url, URIish uri) {
    this.url = url;
    this.uri = uri;
  }

  /** Parses a URL; a malformed one is a usage error naming the URL without its credentials. */
  public static RemoteUrl parse(String url) {
    String shown = redactRaw(url);
    if (url.isBlank() || url.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
      throw new IllegalArgumentException("not a repository URL: " + shown);
    }
    URIish uri;
    try {
      uri = new URIish(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a repository URL: " + shown);
    }
    String scheme = uri.getScheme();
    boolean remote = scheme != null && !"file".equals(scheme);
    boolean local = scheme == null && uri.getHost() == null;
    if ((remote && (uri.getHost() == null || uri.getHost().isEmpty()))
        || (local && (url.contains("@") || !url.startsWith("/")))
        || (uri.getUser() != null && uri.getUser().isEmpty())) {
      throw new IllegalArgumentException("not a repository URL: " + shown);
    }
    return new RemoteUrl(url, uri);
  }

  /** Hides anything between "//" and "@" in a string that did not parse. */
  static String redactRaw(String url) {
    return url.strip().replaceAll("(?<=//)[^/@\\s]*@", "***@").replaceAll("^[^/@:\\s]*:[^/@\\s]*@", "***@");
  }

  /** The URL as JGit takes it, credentials included. Never print it. */
  public String secret() {
    return url;
  }

  /**
   * The URL as git may store it on disk (a clone's {@code origin}, {@code FETCH_HEAD}): without a
   * password, and for HTTP(S) without a user, which is often a token. Credentials go to the server
   * through the credentials provider instead.
   */
  public String stored() {
    URIish stored = uri.setPass(null);
    return (isHttp() ? stored.setUser(null) : stored).toString();
  }

  public URIish uri() {
    return uri;
  }

  public boolean isHttp() {
    String scheme = uri.getScheme();
    return "http".equals(scheme) || "https".equals(scheme);
  }

  /** The user and password written in the URL, if any (an HTTPS token is often the user). */
  public String user() {
    return uri.getUser();
  }

  public String password() {
    return uri.getPass();
  }

  /** The URL for output: an HTTP(S) user and any password shown as {@code ***}. */
  public String redacted() {
    return redact(uri);
  }

  private static String redact(URIish uri) {
    String scheme = uri.getScheme();
    boolean http = "http".equals(scheme) || "https".equals(scheme);
    StringBuilder sb = new StringBuilder();
    if (scheme != null) {
      sb.append(scheme).append("://");
    }
    if (uri.getUser() != null) {
      sb.append(http ? "***" : uri.getUser());
      if (uri.getPass() != null) {
        sb.append(":***");
      }
      sb.append('@');
    }
    if (uri.getHost() != null) {
      sb.append(uri.getHost());
      if (uri.getPort() > 0) {
        sb.append(':').append(uri.getPort());
      }
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (scheme == null && uri.getHost() != null) {
      sb.append(':'); // scp-like host:path
    }
    sb.append(path);
    return sb.toString();
  }

  /** The forms in which JGit and servers may print this URL, each with its redacted text. */
  public java.util.Map<String, String> printedForms() {
    java.util.Map<String, String> forms = new java.util.LinkedHashMap<>();
    forms.put(url, redacted());
    forms.put(uri.toPrivateString(), redacted());
    forms.put(uri.toString(), redacted());
    forms.put(uri.setPass(null).toString(), redacted());
    // what a fetch names, credentials going through the provider
    forms.put(stored(), redacted());
    return forms;
  }

  @Override
  public String toString() {
    return redacted();
  }
}
