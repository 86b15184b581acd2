package dev.bumper.ci;

/** CircleCI. It builds a pull request's head commit itself, so {@code CIRCLE_SHA1} is the head. */
final class CircleCi {
  private CircleCi() {}

  static boolean runs(Env env) {
    return env.isTrue("CIRCLECI");
  }

  static CiEnvironment environment(Env env) {
    String tag = env.get("CIRCLE_TAG");
    return new CiEnvironment(
        "circleci",
        env.get("CIRCLE_SHA1"),
        tag.isEmpty() ? env.get("CIRCLE_BRANCH") : "",
        tag,
        RepositoryUrl.browsable(env.get("CIRCLE_REPOSITORY_URL")),
        env.get("CIRCLE_BUILD_URL"));
  }
}
