package dev.bumper.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitLabCiTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String HEAD_SHA = "fedcba9876543210fedcba9876543210fedcba98";

  private static Map<String, String> gitlab(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("CI", "true");
    env.put("GITLAB_CI", "true");
    env.put("CI_COMMIT_SHA", SHA);
    env.put("CI_PROJECT_URL", "https://gitlab.com/acme/web");
    env.put("CI_REPOSITORY_URL", "https://gitlab-ci-token:glcbt-s3cr3t@gitlab.com/acme/web.git");
    env.put("CI_PIPELINE_URL", "https://gitlab.com/acme/web/-/pipelines/7");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void branchPipeline() {
    CiEnvironment ci =
        CiEnvironment.detect(gitlab("CI_COMMIT_BRANCH", "main", "CI_COMMIT_REF_NAME", "main"));
    assertThat(ci)
        .isEqualTo(
            new CiEnvironment(
                "gitlab", SHA, "main", "", "https://gitlab.com/acme/web",
                "https://gitlab.com/acme/web/-/pipelines/7"));
  }

  @Test
  void mergedResultsPipelineUsesTheSourceBranchHead() {
    CiEnvironment ci =
        CiEnvironment.detect(
            gitlab(
                "CI_PIPELINE_SOURCE", "merge_request_event",
                "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", HEAD_SHA,
                "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature/x",
                "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main",
                "CI_COMMIT_REF_NAME", "feature/x"));
    assertThat(ci.commit()).isEqualTo(HEAD_SHA);
    assertThat(ci.branch()).isEqualTo("feature/x");
  }

  @Test
  void mergeRequestPipelineWithoutMergedResultsBuildsTheHeadItself() {
    CiEnvironment ci =
        CiEnvironment.detect(
            gitlab(
                "CI_PIPELINE_SOURCE", "merge_request_event",
                "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "",
                "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature/x",
                "CI_COMMIT_REF_NAME", "feature/x"));
    assertThat(ci.commit()).isEqualTo(SHA);
    assertThat(ci.branch()).isEqualTo("feature/x");
  }

  @Test
  void tagPipeline() {
    CiEnvironment ci = CiEnvironment.detect(gitlab("CI_COMMIT_TAG", "v1.4.2", "CI_COMMIT_REF_NAME", "v1.4.2"));
    assertThat(ci.tag()).isEqualTo("v1.4.2");
    assertThat(ci.branch()).isEmpty();
  }

  @Test
  void theRepositoryUrlWithTheJobTokenIsNeverUsed() {
    CiEnvironment ci = CiEnvironment.detect(gitlab("CI_COMMIT_BRANCH", "main"));
    assertThat(ci.toString()).doesNotContain("s3cr3t").doesNotContain("gitlab-ci-token");
  }
}
