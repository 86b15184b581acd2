package dev.bumper.ci;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubActionsTest {
  private static final String MERGE_SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String HEAD_SHA = "fedcba9876543210fedcba9876543210fedcba98";

  @TempDir Path tmp;

  private static Map<String, String> github(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("CI", "true");
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_SHA", MERGE_SHA);
    env.put("GITHUB_SERVER_URL", "https://github.com");
    env.put("GITHUB_REPOSITORY", "acme/web");
    env.put("GITHUB_RUN_ID", "4242");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  /** A payload shaped like GitHub's pull_request event, trimmed to what matters plus noise. */
  private static String pullRequestPayload(String headSha, String headRef) {
    return """
        {
          "action": "synchronize",
          "number": 17,
          "pull_request": {
            "number": 17,
            "title": "Fix the \\"web\\" probe \\u2014 again",
            "merge_commit_sha": "%s",
            "base": {"ref": "main", "sha": "1111111111111111111111111111111111111111"},
            "head": {"ref": "%s", "sha": "%s", "repo": {"full_name": "acme/web", "fork": false}},
            "labels": [],
            "draft": false,
            "additions": 12,
            "deletions": 3.0
          },
          "repository": {"full_name": "acme/web", "private": true}
        }
        """
        .formatted(MERGE_SHA, headRef, headSha);
  }

  private String eventFile(String payload) throws IOException {
    Path file = tmp.resolve("event.json");
    Files.writeString(file, payload, UTF_8);
    return file.toString();
  }

  @Test
  void pushToABranch() {
    CiEnvironment ci =
        CiEnvironment.detect(
            github(
                "GITHUB_EVENT_NAME", "push",
                "GITHUB_REF", "refs/heads/main",
                "GITHUB_REF_NAME", "main",
                "GITHUB_REF_TYPE", "branch"));
    assertThat(ci)
        .isEqualTo(
            new CiEnvironment(
                "github", MERGE_SHA, "main", "", "https://github.com/acme/web",
                "https://github.com/acme/web/actions/runs/4242"));
  }

  @Test
  void pullRequestUsesTheHeadFromTheEventPayloadNotTheMergeCommit() throws IOException {
    CiEnvironment ci =
        CiEnvironment.detect(
            github(
                "GITHUB_EVENT_NAME", "pull_request",
                "GITHUB_EVENT_PATH", eventFile(pullRequestPayload(HEAD_SHA, "feature/x")),
                "GITHUB_REF", "refs/pull/17/merge",
                "GITHUB_REF_NAME", "17/merge",
                "GITHUB_HEAD_REF", "feature/x",
                "GITHUB_BASE_REF", "main"));
    assertThat(ci.commit()).isEqualTo(HEAD_SHA);
    assertThat(ci.branch()).isEqualTo("feature/x");
    assertThat(ci.tag()).isEmpty();
  }

  @Test
  void pullRequestTargetEventsToo() throws IOException {
    CiEnvironment ci =
        CiEnvironment.detect(
            github(
                "GITHUB_EVENT_NAME", "pull_request_target",
                "GITHUB_EVENT_PATH", eventFile(pullRequestPayload(HEAD_SHA, "fork-branch")),
                "GITHUB_REF", "refs/heads/main",
                "GITHUB_REF_NAME", "main"));
    assertThat(ci.commit()).isEqualTo(HEAD_SHA);
    assertThat(ci.branch()).isEqualTo("fork-branch");
  }

  @Test
  void otherEventsDoNotReadThePayload() throws IOException {
    CiEnvironment ci =
        CiEnvironment.detect(
            github(
                "GITHUB_EVENT_NAME", "push",
                "GITHUB_EVENT_PATH", eventFile(pullRequestPayload(HEAD_SHA, "feature/x")),
                "GITHUB_REF", "refs/heads/main",
                "GITHUB_REF_NAME", "main"));
    assertThat(ci.commit()).isEqualTo(MERGE_SHA);
    assertThat(ci.branch()).isEqualTo("main");
  }

  @Test
  void aPayloadThatCannotBeReadFallsBackToGithubSha() throws IOException {
    Map<String, String> missing =
        github(
            "GITHUB_EVENT_NAME", "pull_request",
            "GITHUB_EVENT_PATH", tmp.resolve("no-such-file.json").toString(),
            "GITHUB_REF", "refs/pull/17/merge",
            "GITHUB_REF_NAME", "17/merge",
            "GITHUB_HEAD_REF", "feature/x");
    assertThat(CiEnvironment.detect(missing).commit()).isEqualTo(MERGE_SHA);

    Map<String, String> notJson = new HashMap<>(missing);
    notJson.put("GITHUB_EVENT_PATH", eventFile("{\"pull_request\": {\"head\": {\"sha\": \"" + HEAD_SHA + "\""));
    assertThat(CiEnvironment.detect(notJson).commit()).isEqualTo(MERGE_SHA);

    Map<String, String> noHead = new HashMap<>(missing);
    noHead.put("GITHUB_EVENT_PATH", eventFile("{\"pull_request\": {\"number\": 17}}"));
    assertThat(CiEnvironment.detect(noHead).commit()).isEqualTo(MERGE_SHA);
    assertThat(CiEnvironment.detect(noHead).branch()).isEqualTo("feature/x");
  }

  @Test
  void theMergeRefIsNeverTakenForABranch() {
    CiEnvironment ci =
        CiEnvironment.detect(
            github("GITHUB_EVENT_NAME", "pull_request", "GITHUB_REF", "refs/pull/17/merge", "GITHUB_REF_NAME", "17/merge"));
    assertThat(ci.branch()).isEmpty();
  }

  @Test
  void tagBuild() {
    CiEnvironment ci =
        CiEnvironment.detect(
            github(
                "GITHUB_EVENT_NAME", "push",
                "GITHUB_REF", "refs/tags/v1.4.2",
                "GITHUB_REF_NAME", "v1.4.2",
                "GITHUB_REF_TYPE", "tag"));
    assertThat(ci.tag()).isEqualTo("v1.4.2");
    assertThat(ci.branch()).isEmpty();
    assertThat(ci.commit()).isEqualTo(MERGE_SHA);
  }

  @Test
  void gitHubEnterpriseServerAddresses() {
    CiEnvironment ci =
        CiEnvironment.detect(
            github("GITHUB_SERVER_URL", "https://github.acme.internal", "GITHUB_REF_NAME", "main", "GITHUB_REF", "refs/heads/main"));
    assertThat(ci.repoUrl()).isEqualTo("https://github.acme.internal/acme/web");
    assertThat(ci.buildUrl()).isEqualTo("https://github.acme.internal/acme/web/actions/runs/4242");
  }

  @Test
  void thePayloadParserReadsOnlyAPullRequestsHead() {
    assertThat(GitHubEvent.pullRequestHead(pullRequestPayload(HEAD_SHA, "feature/x")))
        .contains(new GitHubEvent(HEAD_SHA, "feature/x"));
    assertThat(GitHubEvent.pullRequestHead("{\"ref\": \"refs/heads/main\", \"after\": \"" + HEAD_SHA + "\"}"))
        .isEmpty();
    assertThat(GitHubEvent.pullRequestHead("{\"pull_request\": {\"head\": {\"sha\": 17}}}")).isEmpty();
    assertThat(GitHubEvent.pullRequestHead("[]")).isEmpty();
    assertThat(GitHubEvent.pullRequestHead("")).isEmpty();
  }
}
