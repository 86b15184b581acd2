package dev.bumper.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildkiteTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  private static Map<String, String> buildkite(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("CI", "true");
    env.put("BUILDKITE", "true");
    env.put("BUILDKITE_COMMIT", SHA);
    env.put("BUILDKITE_REPO", "git@github.com:acme/web.git");
    env.put("BUILDKITE_BUILD_URL", "https://buildkite.com/acme/web/builds/77");
    env.put("BUILDKITE_PULL_REQUEST", "false");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void branchBuild() {
    assertThat(CiEnvironment.detect(buildkite("BUILDKITE_BRANCH", "main")))
        .isEqualTo(
            new CiEnvironment(
                "buildkite", SHA, "main", "", "https://github.com/acme/web",
                "https://buildkite.com/acme/web/builds/77"));
  }

  @Test
  void pullRequestBuildKeepsTheHeadCommitEvenWithTheMergeRefspec() {
    CiEnvironment ci =
        CiEnvironment.detect(
            buildkite(
                "BUILDKITE_BRANCH", "feature/x",
                "BUILDKITE_PULL_REQUEST", "12",
                "BUILDKITE_PULL_REQUEST_BASE_BRANCH", "main",
                "BUILDKITE_PULL_REQUEST_USING_MERGE_REFSPEC", "true"));
    assertThat(ci.commit()).isEqualTo(SHA);
    assertThat(ci.branch()).isEqualTo("feature/x");
  }

  @Test
  void tagBuildHasTheTagInTheBranchVariable() {
    CiEnvironment ci = CiEnvironment.detect(buildkite("BUILDKITE_BRANCH", "v1.4.2", "BUILDKITE_TAG", "v1.4.2"));
    assertThat(ci.tag()).isEqualTo("v1.4.2");
    assertThat(ci.branch()).isEmpty();
  }

  @Test
  void headIsNoCommit() {
    assertThat(CiEnvironment.detect(buildkite("BUILDKITE_COMMIT", "HEAD", "BUILDKITE_BRANCH", "main")).commit())
        .isEmpty();
  }
}
