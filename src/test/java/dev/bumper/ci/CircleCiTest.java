package dev.bumper.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CircleCiTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  private static Map<String, String> circle(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("CI", "true");
    env.put("CIRCLECI", "true");
    env.put("CIRCLE_SHA1", SHA);
    env.put("CIRCLE_REPOSITORY_URL", "git@github.com:acme/web.git");
    env.put("CIRCLE_BUILD_URL", "https://circleci.com/gh/acme/web/981");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void branchBuild() {
    assertThat(CiEnvironment.detect(circle("CIRCLE_BRANCH", "main")))
        .isEqualTo(
            new CiEnvironment(
                "circleci", SHA, "main", "", "https://github.com/acme/web", "https://circleci.com/gh/acme/web/981"));
  }

  @Test
  void pullRequestBuildIsOfTheHeadBranch() {
    CiEnvironment ci =
        CiEnvironment.detect(
            circle("CIRCLE_BRANCH", "feature/x", "CIRCLE_PULL_REQUEST", "https://github.com/acme/web/pull/12"));
    assertThat(ci.commit()).isEqualTo(SHA);
    assertThat(ci.branch()).isEqualTo("feature/x");
  }

  @Test
  void tagBuild() {
    CiEnvironment ci = CiEnvironment.detect(circle("CIRCLE_TAG", "v1.4.2"));
    assertThat(ci.tag()).isEqualTo("v1.4.2");
    assertThat(ci.branch()).isEmpty();
  }

  @Test
  void bitbucketRepositories() {
    assertThat(CiEnvironment.detect(circle("CIRCLE_REPOSITORY_URL", "git@bitbucket.org:acme/web.git")).repoUrl())
        .isEqualTo("https://bitbucket.org/acme/web");
  }
}
