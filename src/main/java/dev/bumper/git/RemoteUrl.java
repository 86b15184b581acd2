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
    try {
      URIish uri = new URIish(url);
      if (uri.getScheme() == null && uri.getHost() == null && !url.startsWith("/")) {
        throw new IllegalArgumentException("not a repository URL: " + redact(uri));
      }
      return new RemoteUrl(url, uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a repository URL: " + e.getReason());
    }
  }

  /** The URL as JGit takes it, credentials included. Never print it. */
  public String secret() {
    return url;
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
    URIish shown = uri;
    if (uri.getPass() != null) {
      shown = shown.setPass("***");
    }
    String scheme = uri.getScheme();
    if (uri.getUser() != null && ("http".equals(scheme) || "https".equals(scheme))) {
      shown = shown.setUser("***");
    }
    return shown.toPrivateString();
  }

  @Override
  public String toString() {
    return redacted();
  }
}
