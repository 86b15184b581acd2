package dev.bumper.ci;

/**
 * GitLab CI. In a merged results pipeline {@code CI_COMMIT_SHA} is the merge GitLab made and the
 * head is {@code CI_MERGE_REQUEST_SOURCE_BRANCH_SHA}. The repository is {@code CI_PROJECT_URL}:
 * {@code CI_REPOSITORY_URL} carries the job's token.
 */
final class GitLabCi {
  private GitLabCi() {}

  static boolean runs(Env env) {
    return env.isTrue("GITLAB_CI");
  }

  static CiEnvironment environment(Env env) {
    String tag = env.get("CI_COMMIT_TAG");
    String branch =
        env.first("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_BRANCH", "CI_COMMIT_REF_NAME");
    return new CiEnvironment(
        "gitlab",
        env.first("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "CI_COMMIT_SHA"),
        tag.isEmpty() ? branch : "",
        tag,
        RepositoryUrl.browsable(env.get("CI_PROJECT_URL")),
        env.first("CI_PIPELINE_URL", "CI_JOB_URL"));
  }
}
