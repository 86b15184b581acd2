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
