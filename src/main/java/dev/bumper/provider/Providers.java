package dev.bumper.provider;

import dev.bumper.failure.UsageException;
import dev.bumper.secret.SecretMask;
import java.time.Duration;
import java.util.Map;

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
    if (target.kind() == ProviderTarget.Kind.GITHUB) {
      ApiClient api = new ApiClient(target.api(), () -> authorization,
          Map.of("Accept", "application/vnd.github+json", "X-GitHub-Api-Version", "2022-11-28"),
          mask, timeout);
      String[] ownerRepo = target.path().split("/", 2);
      return new GitHubPullRequests(api, ownerRepo[0], ownerRepo[1]);
    }
    throw new UsageException("--provider gitlab: merge requests are not in this build yet");
  }
}
