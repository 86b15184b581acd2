package dev.bumper.ci;

/**
 * Semaphore. On a pull request {@code SEMAPHORE_GIT_SHA} is the merge commit and the head is
 * {@code SEMAPHORE_GIT_PR_SHA}. On a tag build the branch variables hold the tag, either as its
 * name or as {@code refs/tags/NAME}, so a tag build has a tag and no branch.
 */
final class Semaphore {
  private static final String TAG_REF = "refs/tags/";

  private Semaphore() {}

  static boolean runs(Env env) {
    return env.isTrue("SEMAPHORE");
  }

  static CiEnvironment environment(Env env) {
    String branch =
        env.first("SEMAPHORE_GIT_PR_BRANCH", "SEMAPHORE_GIT_WORKING_BRANCH", "SEMAPHORE_GIT_BRANCH");
    String tag = env.get("SEMAPHORE_GIT_TAG_NAME");
    if (tag.isEmpty() && env.get("SEMAPHORE_GIT_REF").startsWith(TAG_REF)) {
      tag = env.get("SEMAPHORE_GIT_REF").substring(TAG_REF.length());
    }
    if (tag.isEmpty() && branch.startsWith(TAG_REF)) {
      tag = branch.substring(TAG_REF.length());
    }
    if (!tag.isEmpty() || "tag".equals(env.get("SEMAPHORE_GIT_REF_TYPE"))) {
      branch = "";
    }
    return new CiEnvironment(
        "semaphore",
        env.first("SEMAPHORE_GIT_PR_SHA", "SEMAPHORE_GIT_SHA"),
        branch,
        tag,
        RepositoryUrl.browsable(env.get("SEMAPHORE_GIT_URL")),
        Env.join(
            env.get("SEMAPHORE_ORGANIZATION_URL"), "/workflows/", env.get("SEMAPHORE_WORKFLOW_ID")));
  }
}
