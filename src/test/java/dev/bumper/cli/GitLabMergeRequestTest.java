package dev.bumper.cli;

import static dev.bumper.cli.Run.runWith;
import static dev.bumper.cli.TestProcesses.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.provider.FakeGitLab;
import dev.bumper.provider.GitLabApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --pull-request} against GitLab end to end: the branch pushed over smart HTTP to {@code
 * git http-backend} behind a token, the merge request made through a loopback GitLab that checks
 * every request and answer against GitLab's own description (src/test/data/gitlab-api).
 */
class GitLabMergeRequestTest {
  private static final String TOKEN = "glpat-mergeRequestTestToken01234";
  private static final String BRANCH = "bumper/main/overlays-prod-web";

  @TempDir Path tmp;
  private Path bare;
  private GitHttpServer git;
  private GitLabApiServer api;
  private FakeGitLab gitlab;
  private String url;

  @BeforeEach
  void serve() throws Exception {
    Path served = Files.createDirectories(tmp.resolve("served/acme/platform"));
    bare = TestProcesses.bareRepository(served.resolve("config.git"), Map.of(
        "overlays/prod/web.yaml", pod("web", "ghcr.io/acme/web:1.0")));
    git = new GitHttpServer(tmp.resolve("served"), TOKEN);
    url = git.url("acme/platform/config.git");
    api = GitLabApiServer.start();
    api.requireToken(TOKEN);
    gitlab = new FakeGitLab(api, "acme/platform/config").branches(this::branch)
        .user("octocat", 7);
  }

  @AfterEach
  void stop() {
    git.close();
    api.close();
  }

  @Test
  void openUpdateNoOpAndMergeAMergeRequest() throws Exception {
    Run opened = bump("ghcr.io/acme/web:1.1", "--label", "deploy", "--reviewer", "octocat");
    assertThat(opened.code()).as(opened.toString()).isZero();
    assertThat(opened.out()).contains("opened pull request #1");
    assertThat(gitlab.mergeRequests()).singleElement().satisfies(mr -> {
      assertThat(mr.title()).isEqualTo("ghcr.io/acme/web 1.0 -> 1.1");
      assertThat(mr.labels()).containsExactly("deploy");
      assertThat(mr.reviewers()).containsExactly(7L);
      assertThat(mr.description()).contains("`ghcr.io/acme/web:1.1`");
    });

    Run updated = bump("ghcr.io/acme/web:1.2", "--output", "json");
    assertThat(updated.code()).as(updated.toString()).isZero();
    assertThat(updated.out()).contains("\"action\":\"updated\"");
    assertThat(git(bare, "rev-list", "--count", "main.." + BRANCH).strip()).isEqualTo("2");

    int exchanges = api.exchanges().size();
    Run again = bump("ghcr.io/acme/web:1.2");
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out()).contains("is up to date");
    assertThat(api.exchanges().subList(exchanges, api.exchanges().size()))
        .noneSatisfy(exchange -> assertThat(exchange.write()).isTrue());

    Run merged = bump("ghcr.io/acme/web:1.2", "--merge", "--merge-method", "squash",
        "--output", "json");
    assertThat(merged.code()).as(merged.toString()).isZero();
    assertThat(merged.out()).contains("\"state\":\"merged\"");
    assertThat(gitlab.mergeRequests().get(0).squash()).isTrue();
    assertThat(merged.out() + merged.err() + opened.err()).doesNotContain(TOKEN);
    api.assertNoViolations();
  }

  @Test
  void aRuleRefusalIsExit1WithGitLabsMessage() throws Exception {
    assertThat(bump("ghcr.io/acme/web:1.1", "--draft").code()).isZero();
    assertThat(gitlab.mergeRequests().get(0).title())
        .isEqualTo("Draft: ghcr.io/acme/web 1.0 -> 1.1");
    // a draft is not merged: GitLab's 405, its message passed on
    Run run = bump("ghcr.io/acme/web:1.1", "--merge");

    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("refused: 405 Method Not Allowed");
    api.assertNoViolations();
  }

  private Run bump(String image, String... more) {
    List<String> args = new ArrayList<>(List.of("bump-manifest", "--repo", url, "--pull-request",
        "--provider", "gitlab", "--api-url", api.api().toString(), "-i", image));
    args.addAll(List.of(more));
    args.add("overlays/prod");
    return runWith(Map.of("GITLAB_TOKEN", TOKEN), args.toArray(String[]::new));
  }

  private Optional<String> branch(String name) {
    try {
      String sha = git(bare, "for-each-ref", "--format=%(objectname)", "refs/heads/" + name).strip();
      return sha.isEmpty() ? Optional.empty() : Optional.of(sha);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pod(String name, String image) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n  containers:\n"
        + "  - name: " + name + "\n    image: " + image + "\n";
  }
}
