package dev.bumper.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CiEnvironmentTest {
  @Test
  void noCi() {
    assertThat(CiEnvironment.detect(Map.of("HOME", "/root", "CI", "true"))).isEqualTo(CiEnvironment.NONE);
  }

  @Test
  void aCiIsRecognisedOnlyByItsOwnMarker() {
    assertThat(CiEnvironment.detect(Map.of("SEMAPHORE", "false", "SEMAPHORE_GIT_SHA", "abc")))
        .isEqualTo(CiEnvironment.NONE);
    assertThat(CiEnvironment.detect(Map.of("JENKINS_URL", " ", "GIT_COMMIT", "abc")))
        .isEqualTo(CiEnvironment.NONE);
  }

  @Test
  void semaphoreComesFirstWhenAJobRunsInsideAnotherCi() {
    CiEnvironment ci =
        CiEnvironment.detect(
            Map.of(
                "SEMAPHORE", "true", "SEMAPHORE_GIT_SHA", "aaa",
                "GITHUB_ACTIONS", "true", "GITHUB_SHA", "bbb",
                "JENKINS_URL", "https://jenkins.example.com/", "GIT_COMMIT", "ccc"));
    assertThat(ci.name()).isEqualTo("semaphore");
    assertThat(ci.commit()).isEqualTo("aaa");
  }

  @Test
  void theOrderAfterSemaphoreIsGithubGitlabJenkinsCircleciBuildkite() {
    Map<String, String> all =
        new java.util.HashMap<>(
            Map.of(
                "GITHUB_ACTIONS", "true",
                "GITLAB_CI", "true",
                "JENKINS_URL", "https://jenkins.example.com/",
                "CIRCLECI", "true",
                "BUILDKITE", "true"));
    String[] markers = {"GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "CIRCLECI", "BUILDKITE"};
    String[] names = {"github", "gitlab", "jenkins", "circleci", "buildkite"};
    for (int i = 0; i < markers.length; i++) {
      assertThat(CiEnvironment.detect(all).name()).isEqualTo(names[i]);
      all.remove(markers[i]);
    }
    assertThat(CiEnvironment.detect(all)).isEqualTo(CiEnvironment.NONE);
  }
}
