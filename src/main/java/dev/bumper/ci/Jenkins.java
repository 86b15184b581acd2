package dev.bumper.ci;

/**
 * Jenkins, with the Git plugin's variables, a multibranch pipeline's ({@code BRANCH_NAME},
 * {@code CHANGE_BRANCH}, {@code TAG_NAME}) and the GitHub pull request builder's ({@code
 * ghprbActualCommit}, the pull request's head). A multibranch pull request build that merges
 * the target branch has no variable for the head, so its {@code GIT_COMMIT} is the merge.
 */
final class Jenkins {
  private Jenkins() {}

  static boolean runs(Env env) {
    return env.isSet("JENKINS_URL");
  }

  static CiEnvironment environment(Env env) {
    String tag = env.get("TAG_NAME");
    String branch = "";
    if (tag.isEmpty()) {
      branch = env.first("CHANGE_BRANCH", "ghprbSourceBranch");
      // a multibranch pull request build's BRANCH_NAME is "PR-12", not a branch
      if (branch.isEmpty() && !env.isSet("CHANGE_ID")) {
        branch = env.first("BRANCH_NAME", "GIT_LOCAL_BRANCH");
        if (branch.isEmpty()) {
          branch = localBranch(env.get("GIT_BRANCH"));
        }
      }
    }
    return new CiEnvironment(
        "jenkins",
        env.first("ghprbActualCommit", "GIT_COMMIT"),
        branch,
        tag,
        RepositoryUrl.browsable(env.first("GIT_URL", "GIT_URL_1")),
        env.get("BUILD_URL"));
  }

  /** {@code origin/main} or {@code refs/heads/main}, as the Git plugin reports it: {@code main}. */
  private static String localBranch(String gitBranch) {
    if (gitBranch.startsWith("refs/heads/")) {
      return gitBranch.substring("refs/heads/".length());
    }
    if (gitBranch.startsWith("refs/remotes/")) {
      gitBranch = gitBranch.substring("refs/remotes/".length());
    }
    int slash = gitBranch.indexOf('/');
    return slash < 0 ? gitBranch : gitBranch.substring(slash + 1);
  }
}
