package dev.bumper.provider;

import dev.bumper.failure.UsageException;
import dev.bumper.secret.SecretMask;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** Opens a provider's pull requests for a repository, with the token the environment holds. */
public final class Providers {
  private Providers() {}

  /**
   * The token for {@code target}'s provider: {@code GITHUB_TOKEN} or {@code GITLAB_TOKEN}, else
   * {@code GIT_TOKEN}; a usage error when there is none.
   */
  public static String token(ProviderTarget target, Map<String, String> env) {
    String own = target.kind() == ProviderTarget.Kind.GITHUB ? "GITHUB_TOKEN" : "GITLAB_TOKEN";
    for (String name : new String[] {own, "GIT_TOKEN"}) {
      String token = env.get(name);
      if (token != null && !token.isBlank()) {
        return token.strip();
      }
    }
    throw new UsageException("--pull-request needs a token for " + target.api() + ": set " + own
        + " (or GIT_TOKEN)");
  }

  /** The pull requests of {@code target}'s repository, authenticated with {@code token}. */
  public static PullRequests open(ProviderTarget target, String token, SecretMask mask,
      Duration timeout) {
    mask.add(token);
    String authorization = "Bearer " + token;
    return open(target, () -> authorization, mask, timeout);
  }

  /**
   * The pull requests of {@code target}'s repository, with an {@code Authorization} value asked
   * for on each request (a {@link GitHubAppToken}, which renews itself); the supplier masks what
   * it hands out.
   */
  public static PullRequests open(ProviderTarget target, Supplier<String> authorization,
      SecretMask mask, Duration timeout) {
    if (target.kind() == ProviderTarget.Kind.GITHUB) {
      ApiClient api = gitHubApi(target.api(), authorization, mask, timeout);
      String[] ownerRepo = target.path().split("/", 2);
      return new GitHubPullRequests(api, ownerRepo[0], ownerRepo[1]);
    }
    return new GitLabMergeRequests(new ApiClient(target.api(), authorization, Map.of(), mask,
        timeout), target.path());
  }

  /** A client of GitHub's REST API at {@code api}, with the headers GitHub asks clients for. */
  public static ApiClient gitHubApi(URI api, Supplier<String> authorization, SecretMask mask,
      Duration timeout) {
    return new ApiClient(api, authorization,
        Map.of("Accept", "application/vnd.github+json", "X-GitHub-Api-Version", "2022-11-28"),
        mask, timeout);
  }
}
