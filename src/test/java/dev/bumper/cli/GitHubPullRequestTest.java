package dev.bumper.cli;

import static dev.bumper.cli.Run.runWith;
import static dev.bumper.cli.TestProcesses.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import dev.bumper.provider.FakeGitHub;
import dev.bumper.provider.FakeGitHubApp;
import dev.bumper.provider.FakeGitHubGraphQl;
import dev.bumper.provider.GitHubApiServer;
import dev.bumper.provider.GitHubAppKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code --pull-request} end to end: the branch pushed over smart HTTP to {@code git
 * http-backend} behind a token, the pull request made through a loopback GitHub that checks every
 * request and answer against GitHub's own OpenAPI description, and merges that land in the real
 * repository.
 */
@RequiresTools({"@octokit/openapi", "@octokit/graphql-schema"})
class GitHubPullRequestTest {
  private static final String TOKEN = "ghp_pullRequestTestToken0123456789abcd";
  private static final String BRANCH = "bumper/main/overlays-prod-web";

  @TempDir Path tmp;
  private Path bare;
  private GitHttpServer git;
  private GitHubApiServer api;
  private FakeGitHub github;
  private String url;

  @BeforeEach
  void serve() throws Exception {
    Path served = Files.createDirectories(tmp.resolve("served/acme"));
    bare = TestProcesses.bareRepository(served.resolve("config.git"), Map.of(
        "overlays/prod/web.yaml", pod("web", "ghcr.io/acme/web:1.0"),
        "overlays/prod/api.yaml", pod("api", "ghcr.io/acme/api:1.0")));
    git = new GitHttpServer(tmp.resolve("served"), TOKEN);
    url = git.url("acme/config.git");
    api = GitHubApiServer.start().requireToken(TOKEN);
    github = new FakeGitHub(api, "acme", "config", "main").branches(this::branch)
        .merges(this::merge);
  }

  @AfterEach
  void stop() {
    git.close();
    api.close();
  }

  @Test
  void theFirstRunOpensTheNextUpdatesAndARunWithNothingNewWritesNothing() throws Exception {
    Run opened = bump("ghcr.io/acme/web:1.1", "--label", "deploy", "--reviewer", "octocat");
    assertThat(opened.code()).as(opened.toString()).isZero();
    assertThat(opened.out()).contains("opened pull request #1 (https://github.com/acme/config/pull/1)"
        + " from " + BRANCH + " into main");
    assertThat(github.pulls()).singleElement().satisfies(pull -> {
      assertThat(pull.head()).isEqualTo(BRANCH);
      assertThat(pull.base()).isEqualTo("main");
      assertThat(pull.title()).isEqualTo("ghcr.io/acme/web 1.0 -> 1.1");
      assertThat(pull.body()).contains("| `overlays/prod/web.yaml:8` | `ghcr.io/acme/web:1.0` |"
          + " `ghcr.io/acme/web:1.1` |");
      assertThat(pull.labels()).containsExactly("deploy");
      assertThat(pull.reviewers()).containsExactly("octocat");
    });
    assertThat(show("main", "overlays/prod/web.yaml")).contains("web:1.0");
    assertThat(show(BRANCH, "overlays/prod/web.yaml")).contains("web:1.1");

    Run updated = bump("ghcr.io/acme/web:1.2", "--label", "deploy", "--output", "json");
    assertThat(updated.code()).as(updated.toString()).isZero();
    assertThat(updated.out()).contains("\"pullRequest\":{\"number\":1,", "\"action\":\"updated\"",
        "\"state\":\"open\"");
    assertThat(github.pulls()).singleElement().satisfies(
        pull -> assertThat(pull.title()).isEqualTo("ghcr.io/acme/web 1.1 -> 1.2"));
    assertThat(git(bare, "rev-list", "--count", "main.." + BRANCH).strip()).isEqualTo("2");

    int exchanges = api.exchanges().size();
    Run again = bump("ghcr.io/acme/web:1.2", "--label", "deploy");
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out()).contains("pull request #1 (https://github.com/acme/config/pull/1) is up to date");
    assertThat(api.exchanges().subList(exchanges, api.exchanges().size()))
        .allSatisfy(exchange -> assertThat(exchange.method()).isEqualTo("GET"));
    assertThat(github.pulls()).hasSize(1);
    api.assertNoViolations();
    git(bare, "fsck", "--strict");
  }

  @Test
  void mergeReplaysOnTheNewBaseWhenTheBaseMovedAndARuleRefusalIsExit1() throws Exception {
    assertThat(bump("ghcr.io/acme/web:1.1").code()).isZero();
    String moved = commitOnMain("overlays/prod/api.yaml", pod("api", "ghcr.io/acme/api:2.0"));

    Run merged = bump("ghcr.io/acme/web:1.2", "--merge", "--output", "json");

    assertThat(merged.code()).as(merged.toString()).isZero();
    assertThat(merged.out()).contains("\"state\":\"merged\"");
    assertThat(show("main", "overlays/prod/web.yaml")).contains("web:1.2");
    assertThat(show("main", "overlays/prod/api.yaml")).contains("api:2.0");
    assertThat(git(bare, "merge-base", "--is-ancestor", moved, "main")).isEmpty();

    github.refuseNextMerge("At least 1 approving review is required by reviewers with write access.");
    Run refused = bump("ghcr.io/acme/api:3.0", "--merge");
    assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err()).contains("At least 1 approving review is required");
    assertThat(show("main", "overlays/prod/api.yaml")).contains("api:2.0");
    api.assertNoViolations();
  }

  @Test
  void autoMergeIsEnabledThroughGitHubsGraphQlApi() throws Exception {
    FakeGitHubGraphQl.serve(github);

    Run run = bump("ghcr.io/acme/web:1.1", "--auto-merge", "--merge-method", "squash");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(github.pulls()).singleElement()
        .satisfies(pull -> assertThat(pull.autoMerge()).isEqualTo("SQUASH"));
    assertThat(show("main", "overlays/prod/web.yaml")).as("not merged yet").contains("web:1.0");
    api.assertNoViolations();
  }

  @Test
  void aBranchWhoseRequestWasMergedStartsOverSoAnOldValueIsNeverSetAgain() throws Exception {
    assertThat(bump("ghcr.io/acme/web:1.1", "--pr-branch", "bumper/prod", "--merge").code())
        .isZero();
    // after the merge, someone sets web back by hand on main
    commitOnMain("overlays/prod/web.yaml", pod("web", "ghcr.io/acme/web:1.0"));

    Run api = bump("ghcr.io/acme/api:2.0", "--pr-branch", "bumper/prod");

    assertThat(api.code()).as(api.toString()).isZero();
    assertThat(api.out()).contains("opened pull request #2");
    assertThat(show("bumper/prod", "overlays/prod/web.yaml")).contains("web:1.0");
    assertThat(show("bumper/prod", "overlays/prod/api.yaml")).contains("api:2.0");
    assertThat(git(bare, "rev-list", "--count", "main..bumper/prod").strip()).isEqualTo("1");
    this.api.assertNoViolations();
  }

  @Test
  void aRunThatPushedButCouldNotOpenItsRequestIsFinishedByTheNext() throws Exception {
    api.answer("pulls/create", request -> GitHubApiServer.Response.json(403,
        JsonNodeFactory.instance.objectNode()
            .put("message", "Resource not accessible by integration")
            .put("documentation_url", "https://docs.github.com/rest")));
    Run failed = bump("ghcr.io/acme/web:1.1");
    assertThat(failed.code()).as(failed.toString()).isEqualTo(1);
    assertThat(failed.err()).contains("Resource not accessible by integration");
    assertThat(branch(BRANCH)).isPresent();

    github = new FakeGitHub(api, "acme", "config", "main").branches(this::branch);
    Run again = bump("ghcr.io/acme/web:1.1");

    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out()).contains("opened pull request #1");
    assertThat(github.pulls()).singleElement()
        .satisfies(pull -> assertThat(pull.title()).isEqualTo("ghcr.io/acme/web 1.0 -> 1.1"));
    api.assertNoViolations();
  }

  @Test
  void aWrongTokenForTheApiIsFoundBeforeAnythingIsPushed() throws Exception {
    Run run = runWith(Map.of("GIT_TOKEN", TOKEN, "GITHUB_TOKEN",
        "ghp_actionsTokenOfAnotherRepo012345"), "bump-manifest", "--repo", url, "--pull-request", "--api-url",
        api.url().toString(), "-i", "ghcr.io/acme/web:1.1", "overlays/prod");

    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("cannot read acme/config through GitHub's API", "Bad credentials",
        "nothing was pushed");
    assertThat(branch(BRANCH)).isEmpty();
  }

  @Test
  void commitPushRefusesAHandEditInAFileItsEditsChanged() throws Exception {
    Path checkout = tmp.resolve("checkout");
    git(tmp, "clone", "-q", url.replace("http://", "http://x:" + TOKEN + "@"), checkout.toString());
    assertThat(runWith(Map.of(), "bump-manifest", "-C", checkout.toString(), "-i",
        "ghcr.io/acme/api:2.0").code()).isZero();
    Path file = checkout.resolve("overlays/prod/api.yaml");
    String edited = Files.readString(file) + "# and a note by hand\n";
    Files.writeString(file, edited);

    Run run = runWith(Map.of("GITHUB_TOKEN", TOKEN), "commit-push", "-C", checkout.toString(),
        "--pull-request", "--api-url", api.url().toString());

    assertThat(run.code()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("overlays/prod/api.yaml holds more than the edits bumper"
        + " recorded");
    assertThat(file).hasContent(edited);
    assertThat(github.pulls()).isEmpty();
  }

  @Test
  void promoteOpensItsPullRequestWithTheEnvironmentsInTheBranchAndTrailers() throws Exception {
    String digest = "sha256:" + "4f2c".repeat(16);
    commitOnMain("overlays/staging/kustomization.yaml", "resources:\n- ../base\nimages:\n"
        + "- name: ghcr.io/acme/web\n  newTag: \"1.2\"\n  digest: " + digest + "\n");
    commitOnMain("overlays/production/kustomization.yaml", "resources:\n- ../base\nimages:\n"
        + "- name: ghcr.io/acme/web\n  newTag: \"1.0\"\n");

    Run run = runWith(Map.of("GITHUB_TOKEN", TOKEN), "promote", "--repo", url, "--pull-request",
        "--api-url", api.url().toString(), "--label", "production", "--from", "overlays/staging",
        "--to", "overlays/production");

    assertThat(run.code()).as(run.toString()).isZero();
    String branch = "bumper/main/promote-overlays-staging-to-overlays-production";
    assertThat(run.out()).contains("opened pull request #1", branch);
    assertThat(show(branch, "overlays/production/kustomization.yaml")).contains(digest);
    assertThat(git(bare, "log", "-1", "--format=%B", branch))
        .contains("Promoted-From: overlays/staging", "Bumper-Edit: {\"command\":\"promote\"");
    assertThat(github.pulls()).singleElement().satisfies(pull -> {
      assertThat(pull.labels()).containsExactly("production");
      assertThat(pull.body()).contains(digest);
    });
    api.assertNoViolations();
  }

  @Test
  void mergeAttemptsAreBounded() throws Exception {
    assertThat(bump("ghcr.io/acme/web:1.1").code()).isZero();
    github.merges((head, base) -> {
      throw new IllegalStateException("Base branch was modified. Review and try the merge again.");
    });

    Run run = bump("ghcr.io/acme/web:1.2", "--merge", "--merge-attempts", "2");

    // as a push that keeps losing: the base kept moving for every attempt
    assertThat(run.code()).as(run.toString()).isEqualTo(5);
    assertThat(run.err()).contains("failed 2 times: Base branch was modified");
  }

  @Test
  void twoPipelinesUpdatingOneBranchAtOnceBothLandAndOneRequestIsOpen() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Run>> runs = new ArrayList<>();
    try {
      for (String[] args : List.of(new String[] {"-i", "ghcr.io/acme/web:1.1"},
          new String[] {"-i", "ghcr.io/acme/api:1.5"})) {
        runs.add(pool.submit(() -> {
          start.await();
          return runWith(Map.of("GITHUB_TOKEN", TOKEN), "bump-manifest", "--repo", url,
              "--pull-request", "--api-url", api.url().toString(), "--pr-branch", "bumper/prod",
              args[0], args[1], "overlays/prod");
        }));
      }
      start.countDown();
      for (Future<Run> run : runs) {
        assertThat(run.get().code()).as(run.get().toString()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(show("bumper/prod", "overlays/prod/web.yaml")).contains("web:1.1");
    assertThat(show("bumper/prod", "overlays/prod/api.yaml")).contains("api:1.5");
    assertThat(github.pulls()).hasSize(1);
    api.assertNoViolations();
  }

  @Test
  void kustomizeSetImageAndCommitPushDeliverThroughAPullRequestToo() throws Exception {
    commitOnMain("overlays/prod/kustomization.yaml",
        "resources:\n- web.yaml\nimages:\n- name: ghcr.io/acme/web\n  newTag: \"1.0\"\n");
    Run set = runWith(Map.of("GITHUB_TOKEN", TOKEN), "kustomize-set-image", "--repo", url,
        "--pull-request", "--api-url", api.url().toString(), "-f",
        "overlays/prod/kustomization.yaml", "ghcr.io/acme/web:1.1");
    assertThat(set.code()).as(set.toString()).isZero();
    assertThat(set.out()).contains("opened pull request #1");

    Path checkout = tmp.resolve("checkout");
    git(tmp, "clone", "-q", url.replace("http://", "http://x:" + TOKEN + "@"), checkout.toString());
    Run edit = runWith(Map.of(), "bump-manifest", "-C", checkout.toString(), "-i",
        "ghcr.io/acme/api:2.0");
    assertThat(edit.code()).as(edit.toString()).isZero();
    Run delivered = runWith(Map.of("GITHUB_TOKEN", TOKEN), "commit-push", "-C",
        checkout.toString(), "--pull-request", "--api-url", api.url().toString(),
        "--pr-branch", "bumper/api");
    assertThat(delivered.code()).as(delivered.toString()).isZero();
    assertThat(delivered.out()).contains("opened pull request #2");
    assertThat(show("bumper/api", "overlays/prod/api.yaml")).contains("api:2.0");
    assertThat(git(checkout, "status", "--porcelain")).isEmpty();
    api.assertNoViolations();
  }

  @Test
  void aDryRunShowsTheDiffAndNeitherPushesNorCallsTheApi() throws Exception {
    Run run = bump("ghcr.io/acme/web:1.1", "--dry-run", "--output", "json");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("\"pullRequest\":{\"number\":null,\"url\":null,\"branch\":\""
        + BRANCH + "\"", "\"action\":\"planned\"", "\"new\":\"ghcr.io/acme/web:1.1\"");
    assertThat(branch(BRANCH)).isEmpty();
    assertThat(api.exchanges()).isEmpty();
  }

  @Test
  void optionsThatDoNotFitAreUsageErrors() {
    String[][] cases = {
      {"bump-manifest", "--pull-request", "-i", "web:1"},
      {"bump-manifest", "--repo", "https://github.com/acme/config.git", "--pull-request", "--push",
          "-i", "web:1"},
      {"bump-manifest", "--repo", "https://github.com/acme/config.git", "--pull-request", "--merge",
          "--auto-merge", "-i", "web:1"},
      {"bump-manifest", "--repo", "https://github.com/acme/config.git", "--label", "x", "--push",
          "-i", "web:1"},
      {"bump-manifest", "--repo", "https://github.com/acme/config.git", "--pull-request",
          "--merge-method", "octopus", "-i", "web:1"},
      {"bump-manifest", "--repo", "https://github.com/acme.git", "--pull-request", "-i", "web:1"},
    };
    String[] said = {"--pull-request needs --repo URL", "without -C and --push",
        "--auto-merge and --merge: give one", "need --pull-request", "merge, squash or rebase",
        "is not a repository path on GitHub (OWNER/REPO)"};
    for (int i = 0; i < cases.length; i++) {
      Run run = runWith(Map.of("GITHUB_TOKEN", TOKEN), cases[i]);
      assertThat(run.code()).as(run.toString()).isEqualTo(2);
      assertThat(run.err()).contains(said[i]);
    }
    Run noToken = runWith(Map.of(), "bump-manifest", "--repo", url, "--pull-request", "--api-url",
        api.url().toString(), "-i", "ghcr.io/acme/web:1.1");
    assertThat(noToken.code()).as(noToken.toString()).isEqualTo(2);
    assertThat(noToken.err()).contains("set GITHUB_TOKEN (or GIT_TOKEN)");
  }

  @Test
  void aGitHubAppsInstallationTokenPushesAndOpensAndNoSecretIsPrinted() throws Exception {
    FakeGitHubApp app = new FakeGitHubApp(api, 31337, "Iv23liBumperTest", GitHubAppKeys.app()
        .getPublic(), Clock.systemUTC()).install(77, "acme", "config");
    git.acceptCredentials(app::acceptsGit);
    Path key = tmp.resolve("app.pem");
    String pem = GitHubAppKeys.pkcs1(GitHubAppKeys.app());
    Files.writeString(key, pem);

    Run run = runWith(Map.of(), "-v", "bump-manifest", "--repo", url, "--pull-request",
        "--api-url", api.url().toString(), "--github-app-id", "31337", "--github-app-key",
        key.toString(), "-i", "ghcr.io/acme/web:1.1", "overlays/prod");
    Run fromEnv = runWith(Map.of("BUMPER_GITHUB_APP_ID", "Iv23liBumperTest",
        "BUMPER_GITHUB_APP_PRIVATE_KEY", pem, "BUMPER_GITHUB_APP_INSTALLATION_ID", "77"),
        "bump-manifest", "--repo", url, "--pull-request", "--api-url", api.url().toString(),
        "-i", "ghcr.io/acme/web:1.2", "overlays/prod");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(fromEnv.code()).as(fromEnv.toString()).isZero();
    assertThat(github.pulls()).singleElement()
        .satisfies(pull -> assertThat(pull.title()).isEqualTo("ghcr.io/acme/web 1.1 -> 1.2"));
    assertThat(show(BRANCH, "overlays/prod/web.yaml")).contains("web:1.2");
    // one installation token per run, for the push and every API request alike
    assertThat(app.issued()).hasSize(2);
    assertThat(app.uses()).extracting(FakeGitHubApp.Use::operationId)
        .contains("pulls/create", "pulls/update");
    String printed = run.out() + run.err() + fromEnv.out() + fromEnv.err();
    for (String token : app.tokens()) {
      assertThat(printed).doesNotContain(token);
    }
    for (String line : pem.split("\n")) {
      if (line.length() > 20) {
        assertThat(printed).doesNotContain(line);
      }
    }
    assertThat(printed).doesNotContain("eyJ"); // no JWT
    api.assertNoViolations();
  }

  @Test
  void theTokenIsNowhereInTheOutput() throws Exception {
    Run run = bump("ghcr.io/acme/web:1.1", "-v");
    Run wrong = runWith(Map.of("GITHUB_TOKEN", "ghp_wrongWrongWrong0123456789abcdef"), "-v",
        "bump-manifest", "--repo", url, "--pull-request", "--api-url", api.url().toString(),
        "-i", "ghcr.io/acme/web:1.3", "overlays/prod");

    assertThat(run.code()).isZero();
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(run.out() + run.err() + wrong.out() + wrong.err()).doesNotContain(TOKEN)
        .doesNotContain("ghp_wrongWrongWrong0123456789abcdef");
  }

  private Run bump(String image, String... more) {
    List<String> args = new ArrayList<>(List.of("bump-manifest", "--repo", url, "--pull-request",
        "--api-url", api.url().toString(), "-i", image));
    args.addAll(List.of(more));
    args.add("overlays/prod");
    return runWith(Map.of("GITHUB_TOKEN", TOKEN), args.toArray(String[]::new));
  }

  private Optional<String> branch(String name) {
    try {
      String sha = git(bare, "for-each-ref", "--format=%(objectname)", "refs/heads/" + name).strip();
      return sha.isEmpty() ? Optional.empty() : Optional.of(sha);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A merge as GitHub makes one with a rule that wants the branch up to date with the base. */
  private String merge(String head, String base) {
    try {
      ProcessBuilder check = new ProcessBuilder("git", "merge-base", "--is-ancestor", base, head)
          .directory(bare.toFile());
      if (check.start().waitFor() != 0) {
        throw new IllegalStateException("Head branch is not up to date with the base branch");
      }
      git(bare, "update-ref", "refs/heads/" + base, head);
      return head;
    } catch (IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String show(String branch, String file) throws Exception {
    return git(bare, "show", branch + ":" + file);
  }

  private String commitOnMain(String file, String content) throws Exception {
    Path work = tmp.resolve("main-" + System.nanoTime());
    git(tmp, "clone", "-q", bare.toString(), work.toString());
    Path path = work.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content);
    git(work, "add", "-A");
    git(work, "-c", "user.name=p", "-c", "user.email=p@example.com", "commit", "-q", "-m", "move");
    git(work, "push", "-q", "origin", "main");
    return git(work, "rev-parse", "HEAD").strip();
  }

  private static String pod(String name, String image) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n  containers:\n"
        + "  - name: " + name + "\n    image: " + image + "\n";
  }
}
