package dev.bumper.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SemaphoreTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String PR_SHA = "fedcba9876543210fedcba9876543210fedcba98";

  private static Map<String, String> semaphore(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("CI", "true");
    env.put("SEMAPHORE", "true");
    env.put("SEMAPHORE_GIT_SHA", SHA);
    env.put("SEMAPHORE_GIT_URL", "git@github.com:/acme/web.git");
    env.put("SEMAPHORE_GIT_REPO_SLUG", "acme/web");
    env.put("SEMAPHORE_ORGANIZATION_URL", "https://acme.semaphoreci.com");
    env.put("SEMAPHORE_WORKFLOW_ID", "0a5c4d3b-1111-2222-3333-444455556666");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void branchBuild() {
    CiEnvironment ci =
        CiEnvironment.detect(
            semaphore(
                "SEMAPHORE_GIT_REF_TYPE", "branch",
                "SEMAPHORE_GIT_REF", "refs/heads/main",
                "SEMAPHORE_GIT_BRANCH", "main",
                "SEMAPHORE_GIT_WORKING_BRANCH", "main"));
    assertThat(ci)
        .isEqualTo(
            new CiEnvironment(
                "semaphore", SHA, "main", "", "https://github.com/acme/web",
                "https://acme.semaphoreci.com/workflows/0a5c4d3b-1111-2222-3333-444455556666"));
  }

  @Test
  void pullRequestUsesTheHeadNotTheMergeCommit() {
    CiEnvironment ci =
        CiEnvironment.detect(
            semaphore(
                "SEMAPHORE_GIT_REF_TYPE", "pull-request",
                "SEMAPHORE_GIT_REF", "refs/pull/42/merge",
                "SEMAPHORE_GIT_PR_SHA", PR_SHA,
                "SEMAPHORE_GIT_PR_BRANCH", "feature/x",
                "SEMAPHORE_GIT_PR_NUMBER", "42",
                "SEMAPHORE_GIT_BRANCH", "main",
                "SEMAPHORE_GIT_WORKING_BRANCH", "feature/x"));
    assertThat(ci.commit()).isEqualTo(PR_SHA);
    assertThat(ci.branch()).isEqualTo("feature/x");
    assertThat(ci.tag()).isEmpty();
  }

  @Test
  void tagBuildWithTheTagRefWhereTheBranchGoes() {
    CiEnvironment ci =
        CiEnvironment.detect(semaphore("SEMAPHORE_GIT_BRANCH", "refs/tags/v1.4.2"));
    assertThat(ci.tag()).isEqualTo("v1.4.2");
    assertThat(ci.branch()).isEmpty();
    assertThat(ci.commit()).isEqualTo(SHA);
  }

  @Test
  void tagBuildWithTheTagNameAsTheWorkingBranch() {
    CiEnvironment ci =
        CiEnvironment.detect(
            semaphore(
                "SEMAPHORE_GIT_REF_TYPE", "tag",
                "SEMAPHORE_GIT_REF", "refs/tags/v1.4.2",
                "SEMAPHORE_GIT_TAG_NAME", "v1.4.2",
                "SEMAPHORE_GIT_BRANCH", "refs/tags/v1.4.2",
                "SEMAPHORE_GIT_WORKING_BRANCH", "v1.4.2"));
    assertThat(ci.tag()).isEqualTo("v1.4.2");
    assertThat(ci.branch()).isEmpty();
  }

  @Test
  void tagBuildKnownOnlyFromTheRef() {
    CiEnvironment ci =
        CiEnvironment.detect(
            semaphore("SEMAPHORE_GIT_REF", "refs/tags/release-7", "SEMAPHORE_GIT_WORKING_BRANCH", "release-7"));
    assertThat(ci.tag()).isEqualTo("release-7");
    assertThat(ci.branch()).isEmpty();
  }

  @Test
  void scpLikeUrlsWithAndWithoutTheLeadingSlashGiveTheWebAddress() {
    assertThat(CiEnvironment.detect(semaphore("SEMAPHORE_GIT_URL", "git@github.com:/org/repo.git")).repoUrl())
        .isEqualTo("https://github.com/org/repo");
    assertThat(CiEnvironment.detect(semaphore("SEMAPHORE_GIT_URL", "git@github.com:org/repo.git")).repoUrl())
        .isEqualTo("https://github.com/org/repo");
    assertThat(CiEnvironment.detect(semaphore("SEMAPHORE_GIT_URL", "git@bitbucket.org:/org/repo.git")).repoUrl())
        .isEqualTo("https://bitbucket.org/org/repo");
  }

  @Test
  void noBuildUrlWithoutTheWorkflow() {
    Map<String, String> env = semaphore("SEMAPHORE_GIT_BRANCH", "main");
    env.remove("SEMAPHORE_WORKFLOW_ID");
    assertThat(CiEnvironment.detect(env).buildUrl()).isEmpty();
  }

  @Test
  void blankVariablesCountAsUnset() {
    CiEnvironment ci =
        CiEnvironment.detect(
            semaphore("SEMAPHORE_GIT_PR_SHA", "  ", "SEMAPHORE_GIT_PR_BRANCH", "", "SEMAPHORE_GIT_BRANCH", " main\n"));
    assertThat(ci.commit()).isEqualTo(SHA);
    assertThat(ci.branch()).isEqualTo("main");
  }
}
