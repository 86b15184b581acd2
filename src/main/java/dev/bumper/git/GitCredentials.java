package dev.bumper.git;

import java.util.Map;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * HTTPS credentials, from the environment first ({@code GIT_TOKEN}, or {@code GIT_USERNAME} and
 * {@code GIT_PASSWORD}), then from the URL's user info. Secrets stay inside the provider; nothing
 * here is ever printed.
 */
public final class GitCredentials {
  /** The user name sent with a bare token; GitHub, GitLab and Gitea accept any non-empty one. */
  static final String TOKEN_USER = "x-access-token";

  private GitCredentials() {}

  /**
   * A provider for the URL, or null when there are no credentials to give. It answers only for
   * the URL's own scheme, host and port: a server that redirects elsewhere gets no credentials.
   */
  public static CredentialsProvider forUrl(RemoteUrl url, Map<String, String> env) {
    String token = env.get("GIT_TOKEN");
    String user = env.get("GIT_USERNAME");
    String password = env.get("GIT_PASSWORD");
    CredentialsProvider provider = null;
    if (token != null && !token.isEmpty()) {
      provider = new UsernamePasswordCredentialsProvider(user != null && !user.isEmpty() ? user : TOKEN_USER, token);
    } else if (user != null && password != null) {
      provider = new UsernamePasswordCredentialsProvider(user, password);
    } else if (url.isHttp() && url.user() != null) {
      provider = new UsernamePasswordCredentialsProvider(url.user(), url.password() == null ? "" : url.password());
    }
    return provider == null ? null : new OriginOnly(url.uri(), provider);
  }

  /** Gives credentials only for URIs of one origin: scheme, host and port. */
  private static final class OriginOnly extends CredentialsProvider {
    private final URIish origin;
    private final CredentialsProvider credentials;

    OriginOnly(URIish origin, CredentialsProvider credentials) {
      this.origin = origin;
      this.credentials = credentials;
    }

    @Override
    public boolean isInteractive() {
      return false;
    }

    @Override
    public boolean supports(CredentialItem... items) {
      return credentials.supports(items);
    }

    @Override
    public boolean get(URIish uri, CredentialItem... items) {
      return sameOrigin(uri) && credentials.get(uri, items);
    }

    @Override
    public void reset(URIish uri) {
      credentials.reset(uri);
    }

    private boolean sameOrigin(URIish uri) {
      return uri != null
          && scheme(uri).equals(scheme(origin))
          && String.valueOf(uri.getHost()).equalsIgnoreCase(String.valueOf(origin.getHost()))
          && port(uri) == port(origin);
    }

    private static String scheme(URIish uri) {
      return uri.getScheme() == null ? "ssh" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    }

    private static int port(URIish uri) {
      if (uri.getPort() > 0) {
        return uri.getPort();
      }
      return switch (scheme(uri)) {
        case "https" -> 443;
        case "http" -> 80;
        case "git" -> 9418;
        default -> 22;
      };
    }
  }

  /**
   * A failure message with, when the server refused the credentials, where they came from and
   * what to check: "not authorized" alone does not say which of three sources was used.
   */
  public static String explain(String message, RemoteUrl url, Map<String, String> env) {
    String lower = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
    if (!lower.contains("not authorized") && !lower.contains("authentication is required")
        && !lower.contains("authentication failed")) {
      return message;
    }
    String token = env.get("GIT_TOKEN");
    String source;
    if (token != null && !token.isEmpty()) {
      source = "the credentials from GIT_TOKEN were refused";
    } else if (env.get("GIT_USERNAME") != null && env.get("GIT_PASSWORD") != null) {
      source = "the credentials from GIT_USERNAME and GIT_PASSWORD were refused";
    } else if (url.isHttp() && url.user() != null) {
      source = "the credentials in the URL were refused";
    } else {
      return message + " (no credentials were given: set GIT_TOKEN, or GIT_USERNAME and GIT_PASSWORD)";
    }
    return message + " (" + source + "; check that they are current and may push to the repository)";
  }

  /** The secrets that must never appear in output, to mask them in messages from servers. */
  public static java.util.List<String> secrets(RemoteUrl url, Map<String, String> env) {
    java.util.List<String> secrets = new java.util.ArrayList<>();
    for (String name : new String[] {"GIT_TOKEN", "GIT_PASSWORD"}) {
      String value = env.get(name);
      if (value != null && value.length() >= 4) {
        secrets.add(value);
      }
    }
    if (url.password() != null && url.password().length() >= 4) {
      secrets.add(url.password());
    }
    if (url.isHttp() && url.user() != null && url.user().length() >= 8) {
      secrets.add(url.user());
    }
    return secrets;
  }
}
