package dev.bumper.git;

import java.util.Map;
import org.eclipse.jgit.transport.CredentialsProvider;
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

  /** A provider for the URL, or null when there are no credentials to give. */
  public static CredentialsProvider forUrl(RemoteUrl url, Map<String, String> env) {
    String token = env.get("GIT_TOKEN");
    String user = env.get("GIT_USERNAME");
    String password = env.get("GIT_PASSWORD");
    if (token != null && !token.isEmpty()) {
      return new UsernamePasswordCredentialsProvider(user != null && !user.isEmpty() ? user : TOKEN_USER, token);
    }
    if (user != null && password != null) {
      return new UsernamePasswordCredentialsProvider(user, password);
    }
    if (url.isHttp() && url.user() != null) {
      return new UsernamePasswordCredentialsProvider(url.user(), url.password() == null ? "" : url.password());
    }
    return null;
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
