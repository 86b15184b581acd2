package dev.bumper.ci;

import java.util.Optional;

/**
 * GitHub Actions. On pull request events the commit is the pull request's head from the event
 * payload (see {@link GitHubEvent}), not {@code GITHUB_SHA}, and the branch is {@code
 * GITHUB_HEAD_REF}, not {@code GITHUB_REF_NAME} ({@code 123/merge}).
 */
final class GitHubActions {
  private static final String TAG_REF = "refs/tags/";

  private GitHubActions() {}

  static boolean runs(Env env) {
    return env.isTrue("GITHUB_ACTIONS");
  }

  static CiEnvironment environment(Env env, Optional<GitHubEvent> pullRequest) {
    String ref = env.get("GITHUB_REF");
    String tag = "";
    String branch = "";
    if ("tag".equals(env.get("GITHUB_REF_TYPE")) || ref.startsWith(TAG_REF)) {
      tag = ref.startsWith(TAG_REF) ? ref.substring(TAG_REF.length()) : env.get("GITHUB_REF_NAME");
    } else {
      branch = env.get("GITHUB_HEAD_REF");
      if (branch.isEmpty() && pullRequest.isPresent()) {
        branch = pullRequest.get().headRef();
      }
      if (branch.isEmpty() && !ref.startsWith("refs/pull/")) {
        branch = env.get("GITHUB_REF_NAME");
      }
    }
    String repository = Env.join(env.get("GITHUB_SERVER_URL"), "/", env.get("GITHUB_REPOSITORY"));
    return new CiEnvironment(
        "github",
        pullRequest.isPresent() ? pullRequest.get().headSha() : env.get("GITHUB_SHA"),
        branch,
        tag,
        repository,
        Env.join(repository, "/actions/runs/", env.get("GITHUB_RUN_ID")));
  }
}
