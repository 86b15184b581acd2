package dev.bumper.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CiEnvironmentTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String PR_SHA = "fedcba9876543210fedcba9876543210fedcba98";

  @Test
  void semaphoreBranchBuild() {
    CiEnvironment ci =
        CiEnvironment.detect(
            Map.of(
                "SEMAPHORE", "true",
                "SEMAPHORE_GIT_SHA", SHA,
                "SEMAPHORE_GIT_BRANCH", "main",
                "SEMAPHORE_GIT_URL", "git@github.com:/acme/web.git",
                "SEMAPHORE_ORGANIZATION_URL", "https://acme.semaphoreci.com",
                "SEMAPHORE_WORKFLOW_ID", "wf-1"));
    assertThat(ci)
        .isEqualTo(
            new CiEnvironment(
                "semaphore", SHA, "main", "", "git@github.com:/acme/web.git",
                "https://acme.semaphoreci.com/workflows/wf-1"));
  }

  @Test
  void semaphorePullRequestUsesTheHeadNotTheMergeCommit() {
    CiEnvironment ci =
        CiEnvironment.detect(
            Map.of(
                "SEMAPHORE", "true",
                "SEMAPHORE_GIT_SHA", SHA,
                "SEMAPHORE_GIT_PR_SHA", PR_SHA,
                "SEMAPHORE_GIT_BRANCH", "main",
                "SEMAPHORE_GIT_WORKING_BRANCH", "feature/x"));
    assertThat(ci.commit()).isEqualTo(PR_SHA);
    assertThat(ci.branch()).isEqualTo("feature/x");
    assertThat(ci.buildUrl()).isEmpty();
  }

  @Test
  void semaphoreTagBuildPutsTheTagRefWhereTheBranchGoes() {
    CiEnvironment ci =
        CiEnvironment.detect(
            Map.of("SEMAPHORE", "true", "SEMAPHORE_GIT_SHA", SHA, "SEMAPHORE_GIT_BRANCH", "refs/tags/v1.4.2"));
    assertThat(ci.tag()).isEqualTo("v1.4.2");
    assertThat(ci.branch()).isEmpty();
  }

  @Test
  void githubActions() {
    CiEnvironment ci =
        CiEnvironment.detect(
            Map.of(
                "GITHUB_ACTIONS", "true",
                "GITHUB_SHA", SHA,
                "GITHUB_REF_NAME", "main",
                "GITHUB_REF_TYPE", "branch",
                "GITHUB_SERVER_URL", "https://github.com",
                "GITHUB_REPOSITORY", "acme/web",
                "GITHUB_RUN_ID", "42"));
    assertThat(ci)
        .isEqualTo(
            new CiEnvironment(
                "github", SHA, "main", "", "https://github.com/acme/web",
                "https://github.com/acme/web/actions/runs/42"));
  }

  @Test
  void gitlabMergeRequestUsesTheSourceBranchHead() {
    CiEnvironment ci =
        CiEnvironment.detect(
            Map.of(
                "GITLAB_CI", "true",
                "CI_COMMIT_SHA", SHA,
                "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", PR_SHA,
                "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature/x",
                "CI_PROJECT_URL", "https://gitlab.com/acme/web",
                "CI_PIPELINE_URL", "https://gitlab.com/acme/web/-/pipelines/7"));
    assertThat(ci.commit()).isEqualTo(PR_SHA);
    assertThat(ci.branch()).isEqualTo("feature/x");
    assertThat(ci.buildUrl()).isEqualTo("https://gitlab.com/acme/web/-/pipelines/7");
  }

  @Test
  void noCi() {
    assertThat(CiEnvironment.detect(Map.of("HOME", "/root"))).isEqualTo(CiEnvironment.NONE);
  }
}
