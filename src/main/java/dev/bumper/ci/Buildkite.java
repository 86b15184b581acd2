package dev.bumper.ci;

/**
 * Buildkite. {@code BUILDKITE_COMMIT} is the pull request's head, even when the agent checks out
 * the merge ref; it is {@code HEAD} for a build started without a commit, which names none. On a
 * tag build {@code BUILDKITE_BRANCH} holds the tag.
 */
final class Buildkite {
  private Buildkite() {}

  static boolean runs(Env env) {
    return env.isTrue("BUILDKITE");
  }

  static CiEnvironment environment(Env env) {
    String commit = env.get("BUILDKITE_COMMIT");
    String tag = env.get("BUILDKITE_TAG");
    return new CiEnvironment(
        "buildkite",
        "HEAD".equals(commit) ? "" : commit,
        tag.isEmpty() ? env.get("BUILDKITE_BRANCH") : "",
        tag,
        RepositoryUrl.browsable(env.get("BUILDKITE_REPO")),
        env.get("BUILDKITE_BUILD_URL"));
  }
}
