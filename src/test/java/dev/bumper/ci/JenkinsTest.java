package dev.bumper.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JenkinsTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String HEAD_SHA = "fedcba9876543210fedcba9876543210fedcba98";

  private static Map<String, String> jenkins(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("JENKINS_URL", "https://jenkins.acme.internal/");
    env.put("BUILD_URL", "https://jenkins.acme.internal/job/web/job/main/12/");
    env.put("GIT_COMMIT", SHA);
    env.put("GIT_URL", "https://github.com/acme/web.git");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void freestyleJobWithTheGitPlugin() {
    CiEnvironment ci = CiEnvironment.detect(jenkins("GIT_BRANCH", "origin/main"));
    assertThat(ci)
        .isEqualTo(
            new CiEnvironment(
                "jenkins", SHA, "main", "", "https://github.com/acme/web",
                "https://jenkins.acme.internal/job/web/job/main/12/"));
  }

  @Test
  void theGitPluginsBranchLosesOnlyItsRemote() {
    assertThat(CiEnvironment.detect(jenkins("GIT_BRANCH", "origin/feature/x")).branch()).isEqualTo("feature/x");
    assertThat(CiEnvironment.detect(jenkins("GIT_BRANCH", "refs/heads/release/1.4")).branch()).isEqualTo("release/1.4");
    assertThat(CiEnvironment.detect(jenkins("GIT_BRANCH", "refs/remotes/origin/main")).branch()).isEqualTo("main");
    assertThat(CiEnvironment.detect(jenkins("GIT_BRANCH", "origin/main", "GIT_LOCAL_BRANCH", "main")).branch())
        .isEqualTo("main");
  }

  @Test
  void multibranchBranchBuild() {
    CiEnvironment ci = CiEnvironment.detect(jenkins("BRANCH_NAME", "main", "GIT_BRANCH", "main"));
    assertThat(ci.branch()).isEqualTo("main");
  }

  @Test
  void multibranchPullRequestBuildTakesTheSourceBranchNotPrN() {
    CiEnvironment ci =
        CiEnvironment.detect(
            jenkins("BRANCH_NAME", "PR-12", "CHANGE_ID", "12", "CHANGE_BRANCH", "feature/x", "CHANGE_TARGET", "main"));
    assertThat(ci.branch()).isEqualTo("feature/x");
  }

  @Test
  void pullRequestBuilderUsesTheActualCommitNotTheMerge() {
    CiEnvironment ci =
        CiEnvironment.detect(
            jenkins(
                "ghprbActualCommit", HEAD_SHA,
                "ghprbSourceBranch", "feature/x",
                "ghprbPullId", "12",
                "GIT_BRANCH", "origin/pr/12/merge"));
    assertThat(ci.commit()).isEqualTo(HEAD_SHA);
    assertThat(ci.branch()).isEqualTo("feature/x");
  }

  @Test
  void multibranchTagBuild() {
    CiEnvironment ci = CiEnvironment.detect(jenkins("BRANCH_NAME", "v1.4.2", "TAG_NAME", "v1.4.2"));
    assertThat(ci.tag()).isEqualTo("v1.4.2");
    assertThat(ci.branch()).isEmpty();
  }

  @Test
  void credentialsInTheGitUrlAreDropped() {
    CiEnvironment ci =
        CiEnvironment.detect(jenkins("GIT_URL", "https://ci-bot:ghp_s3cr3t@github.com/acme/web.git"));
    assertThat(ci.repoUrl()).isEqualTo("https://github.com/acme/web");
    assertThat(ci.toString()).doesNotContain("s3cr3t").doesNotContain("ci-bot");
  }

  @Test
  void sshGitUrl() {
    assertThat(CiEnvironment.detect(jenkins("GIT_URL", "git@github.com:acme/web.git")).repoUrl())
        .isEqualTo("https://github.com/acme/web");
  }
}
