package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.sun.net.httpserver.HttpServer;
import dev.bumper.RequiresTools;
import dev.bumper.provider.GitHubApiServer.Exchange;
import dev.bumper.secret.SecretMask;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@link GitHubPullRequests} against a loopback GitHub that checks every request and answer
 * against GitHub's OpenAPI description, and every GraphQL query against GitHub's GraphQL schema:
 * what each method sends, that it sends nothing it need not, and how GitHub's refusals come back.
 */
@RequiresTools({"@octokit/openapi", "@octokit/graphql-schema"})
class GitHubPullRequestsTest {
  private static final String TOKEN = "ghp_pullRequestsTestToken0123456789abc";
  private static final String HEAD = "bumper/main/overlays-prod-web";
  private static final String HEAD_SHA = FakeGitHub.sha("web 1");

  private GitHubApiServer server;
  private FakeGitHub github;
  private FakeGitHubGraphQl graphQl;
  private PullRequests pulls;

  @BeforeEach
  void start() throws Exception {
    server = GitHubApiServer.start().requireToken(TOKEN);
    github = repository(server);
    graphQl = FakeGitHubGraphQl.serve(github);
    pulls = client(server.url(), TOKEN, "config");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void openSendsTheRequestThenLabelsReviewersAndAssignees() {
    PullRequest opened = pulls.open(HEAD, "main", new PullRequestContent("Bump web to 1.1",
        "| file | old | new |", true, List.of("deploy", "prod"),
        List.of("octocat", "acme/platform-team"), List.of("hubot")));

    assertThat(opened).isEqualTo(new PullRequest(1, "https://github.com/acme/config/pull/1", HEAD,
        "main", HEAD_SHA, "Bump web to 1.1", "| file | old | new |", true));
    assertThat(github.pulls()).singleElement().satisfies(pull -> {
      assertThat(pull.draft()).isTrue();
      assertThat(pull.labels()).containsExactly("deploy", "prod");
      assertThat(pull.reviewers()).containsExactly("octocat");
      assertThat(pull.teams()).as("a team by its slug").containsExactly("platform-team");
      assertThat(pull.assignees()).containsExactly("hubot");
    });
    assertThat(operations()).containsExactly("pulls/create", "issues/add-labels",
        "pulls/request-reviewers", "issues/add-assignees");
    server.assertNoViolations();
  }

  @Test
  void openSendsNothingThatIsEmpty() {
    PullRequest opened = pulls.open(HEAD, "main", content("Bump web to 1.1", ""));

    assertThat(opened.body()).isNull();
    assertThat(opened.draft()).isFalse();
    assertThat(operations()).containsExactly("pulls/create");
    server.assertNoViolations();
  }

  @Test
  void findOpenFindsTheOpenRequestOfTheHeadAndBaseOnly() {
    assertThat(pulls.findOpen(HEAD, "main")).isEmpty();
    PullRequest opened = pulls.open(HEAD, "main", content("Bump", "body"));
    github.branch("release", FakeGitHub.sha("release"));

    assertThat(pulls.findOpen(HEAD, "main")).contains(opened);
    assertThat(pulls.findOpen(HEAD, "release")).isEmpty();
    assertThat(pulls.findOpen("bumper/other", "main")).isEmpty();
    assertThat(pulls.merge(opened, HEAD_SHA, MergeMethod.MERGE))
        .isInstanceOf(MergeOutcome.Merged.class);
    assertThat(pulls.findOpen(HEAD, "main")).as("merged: closed").isEmpty();
    server.assertNoViolations();
  }

  @Test
  void updateWritesTheTitleAndBodyAndAddsWhatIsMissing() {
    PullRequest opened = pulls.open(HEAD, "main", new PullRequestContent("Bump web to 1.1", "one",
        false, List.of("deploy"), List.of("octocat"), List.of()));
    int before = server.exchanges().size();

    PullRequest updated = pulls.update(opened, new PullRequestContent("Bump web to 1.2", "two",
        false, List.of("deploy", "prod"), List.of("octocat", "acme/sre"), List.of("hubot")));

    assertThat(updated.title()).isEqualTo("Bump web to 1.2");
    assertThat(updated.body()).isEqualTo("two");
    assertThat(operations().subList(before, server.exchanges().size())).containsExactly(
        "pulls/get", "pulls/update", "issues/add-labels", "pulls/request-reviewers",
        "issues/add-assignees");
    assertThat(github.pulls()).singleElement().satisfies(pull -> {
      assertThat(pull.title()).isEqualTo("Bump web to 1.2");
      assertThat(pull.labels()).containsExactly("deploy", "prod");
      assertThat(pull.reviewers()).containsExactly("octocat");
      assertThat(pull.teams()).containsExactly("sre");
      assertThat(pull.assignees()).containsExactly("hubot");
    });
    server.assertNoViolations();
  }

  @Test
  void anUpdateWithNothingToChangeSendsNoWrite() {
    PullRequestContent content = new PullRequestContent("Bump web to 1.1", "one", false,
        List.of("deploy"), List.of("octocat", "acme/sre"), List.of("hubot"));
    PullRequest opened = pulls.open(HEAD, "main", content);
    int before = server.exchanges().size();

    // GitHub's names ignore case, so "Deploy" is the label there
    PullRequest same = pulls.update(opened, new PullRequestContent("Bump web to 1.1", "one", false,
        List.of("Deploy"), List.of("OctoCat", "acme/sre"), List.of("hubot")));

    assertThat(same).isEqualTo(opened);
    assertThat(server.exchanges().subList(before, server.exchanges().size()))
        .extracting(Exchange::method).containsOnly("GET");
    server.assertNoViolations();
  }

  @Test
  void aReviewerWhoHasReviewedIsNotAskedAgain() {
    PullRequestContent content = new PullRequestContent("Bump", "one", false, List.of(),
        List.of("octocat"), List.of());
    PullRequest opened = pulls.open(HEAD, "main", content);
    github.review(1, "octocat", "APPROVED");
    int before = server.exchanges().size();

    pulls.update(opened, content);

    assertThat(operations().subList(before, server.exchanges().size()))
        .containsExactly("pulls/get", "pulls/list-reviews");
    server.assertNoViolations();
  }

  @Test
  void mergeMergesTheHeadItWasGiven() {
    PullRequest opened = pulls.open(HEAD, "main", content("Bump", "body"));

    MergeOutcome outcome = pulls.merge(opened, HEAD_SHA, MergeMethod.SQUASH);

    assertThat(outcome).isEqualTo(new MergeOutcome.Merged(FakeGitHub.sha("merge 1 " + HEAD_SHA)));
    assertThat(github.pulls().get(0).merged()).isTrue();
    server.assertNoViolations();
  }

  @Test
  void aHeadThatMovedOrABaseModifiedWhileMergingIsBehind() {
    PullRequest opened = pulls.open(HEAD, "main", content("Bump", "body"));

    assertThat(pulls.merge(opened, FakeGitHub.sha("older"), MergeMethod.MERGE))
        .isEqualTo(new MergeOutcome.Behind(
            "Head branch was modified. Review and try the merge again."));
    github.refuseNextMerge("Base branch was modified. Review and try the merge again.");
    assertThat(pulls.merge(opened, HEAD_SHA, MergeMethod.MERGE)).isInstanceOf(
        MergeOutcome.Behind.class);
    github.refuseNextMerge("Head branch is not up to date with the base branch");
    assertThat(pulls.merge(opened, HEAD_SHA, MergeMethod.MERGE)).isInstanceOf(
        MergeOutcome.Behind.class);
    assertThat(github.pulls().get(0).merged()).isFalse();
    server.assertNoViolations();
  }

  @Test
  void aRuleThatRefusesTheMergeIsRefusedWithGitHubsMessage() {
    PullRequest opened = pulls.open(HEAD, "main", content("Bump", "body"));

    github.refuseNextMerge(
        "At least 1 approving review is required by reviewers with write access.");
    assertThat(pulls.merge(opened, HEAD_SHA, MergeMethod.MERGE)).isEqualTo(
        new MergeOutcome.Refused(
            "At least 1 approving review is required by reviewers with write access."));
    github.refuseNextMerge(403, "Resource not accessible by integration");
    assertThat(pulls.merge(opened, HEAD_SHA, MergeMethod.MERGE)).isEqualTo(
        new MergeOutcome.Refused("Resource not accessible by integration"));
    github.refuseNextMerge(422, "Merge commits are not allowed on this repository.");
    assertThat(pulls.merge(opened, HEAD_SHA, MergeMethod.MERGE)).isEqualTo(
        new MergeOutcome.Refused("Merge commits are not allowed on this repository."));
    assertThat(github.pulls().get(0).merged()).isFalse();
    server.assertNoViolations();
  }

  @Test
  void aMissingRepositoryOrABadTokenIsAProviderExceptionWithGitHubsMessageAndNoToken() {
    PullRequest elsewhere = new PullRequest(1, "u", HEAD, "main", HEAD_SHA, "t", null, false);
    assertThatThrownBy(() -> client(server.url(), TOKEN, "nothing").update(elsewhere,
        content("Bump", "body")))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.getMessage()).isEqualTo("GET " + server.url()
              + "/repos/acme/nothing/pulls/1: HTTP 404: Not Found");
        });
    String wrong = "ghp_wrongWrongWrong0123456789abcdefghij";
    assertThatThrownBy(() -> client(server.url(), wrong, "config").open(HEAD, "main",
        content("Bump", "body")))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.getMessage()).contains("HTTP 401: Bad credentials")
              .doesNotContain(wrong).doesNotContain(TOKEN);
        });
    assertThatThrownBy(() -> client(server.url(), wrong, "config")
        .enableAutoMerge(elsewhere, elsewhere.headSha(), MergeMethod.MERGE))
        .isInstanceOf(ProviderException.class).hasMessageContaining("Bad credentials")
        .hasMessageNotContaining(wrong);
    assertThat(github.pulls()).isEmpty();
    server.assertNoViolations();
  }

  @Test
  void autoMergeGoesThroughGraphQlWithThePullRequestsNodeId() {
    PullRequest opened = pulls.open(HEAD, "main", content("Bump", "body"));

    assertThat(pulls.enableAutoMerge(opened, opened.headSha(), MergeMethod.SQUASH)).isFalse();

    assertThat(github.pulls().get(0).autoMerge()).isEqualTo("SQUASH");
    assertThat(server.exchanges()).extracting(Exchange::path, Exchange::operationId).endsWith(
        tuple("/repos/acme/config/pulls/1", "pulls/get"),
        tuple("/graphql",
            "graphql mutation enablePullRequestAutoMerge"));
    server.assertNoViolations();
  }

  @Test
  void autoMergeOnEnterpriseUsesTheGraphQlEndpointBesideApiV3() throws Exception {
    try (GitHubApiServer enterprise = GitHubApiServer.start("/api/v3").requireToken(TOKEN)) {
      FakeGitHub fake = repository(enterprise);
      FakeGitHubGraphQl.serve(fake);
      PullRequests onEnterprise = client(enterprise.url(), TOKEN, "config");
      PullRequest opened = onEnterprise.open(HEAD, "main", content("Bump", "body"));

      onEnterprise.enableAutoMerge(opened, opened.headSha(), MergeMethod.REBASE);

      assertThat(fake.pulls().get(0).autoMerge()).isEqualTo("REBASE");
      assertThat(enterprise.exchanges()).extracting(Exchange::path).last()
          .isEqualTo("/api/graphql");
      enterprise.assertNoViolations();
    }
  }

  @Test
  void theGraphQlEndpointIsFoundFromTheRestRoot() {
    for (String[] rest : new String[][] {
        {"https://api.github.com/", "https://api.github.com/graphql"},
        {"https://github.acme.example/api/v3", "https://github.acme.example/api/graphql"},
        {"https://github.acme.example/api/v3/", "https://github.acme.example/api/graphql"}}) {
      ApiClient api = new ApiClient(URI.create(rest[0]), () -> null, Map.of(), new SecretMask(),
          Duration.ofSeconds(1));
      GitHubPullRequests github = new GitHubPullRequests(api, "acme", "config");
      assertThat(api.base().resolve(github.graphqlPath())).hasToString(rest[1]);
    }
  }

  @Test
  void anAutoMergeGitHubRefusesIsAProviderExceptionWithItsMessage() {
    PullRequest opened = pulls.open(HEAD, "main", content("Bump", "body"));
    graphQl.refuseNextAutoMerge("Pull request Auto merge is not allowed for this repository");

    assertThatThrownBy(() -> pulls.enableAutoMerge(opened, opened.headSha(), MergeMethod.MERGE))
        .isInstanceOf(ProviderException.class)
        .hasMessage("auto-merge of pull request #1 refused: Pull request Auto merge is not"
            + " allowed for this repository");
    assertThat(github.pulls().get(0).autoMerge()).isNull();
    server.assertNoViolations();
  }

  @Test
  void aPullRequestThatCanMergeAtOnceIsMergedInsteadOfWaitingForAutoMerge() {
    PullRequest opened = pulls.open(HEAD, "main", content("Bump", "body"));
    // what GitHub says when nothing is left to wait for: no required check, no review
    graphQl.refuseNextAutoMerge("Pull request Pull request is in clean status");

    assertThat(pulls.enableAutoMerge(opened, opened.headSha(), MergeMethod.SQUASH)).isTrue();

    assertThat(github.pulls().get(0).merged()).isTrue();
    assertThat(server.exchanges()).extracting(Exchange::operationId).last()
        .isEqualTo("pulls/merge");
    server.assertNoViolations();
  }

  @Test
  void anAnswerWithoutAFieldThatIsReadIsAProviderExceptionNamingIt() throws Exception {
    List<String> answers = new ArrayList<>(List.of(
        "[{\"html_url\":\"https://github.com/acme/config/pull/1\"}]",
        "[{\"number\":1,\"html_url\":\"u\",\"title\":\"t\",\"base\":{\"ref\":\"main\"}}]",
        "{\"merged\":true,\"message\":\"Pull Request successfully merged\"}",
        "{\"number\":1}",
        "{\"data\":{\"enablePullRequestAutoMerge\":null}}"));
    HttpServer raw = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        0);
    raw.createContext("/", exchange -> {
      byte[] body = answers.remove(0).getBytes(UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    raw.start();
    try {
      PullRequests broken = client(URI.create("http://127.0.0.1:"
          + raw.getAddress().getPort()), TOKEN, "config");
      PullRequest pull = new PullRequest(1, "u", HEAD, "main", HEAD_SHA, "t", null, false);
      assertThatThrownBy(() -> broken.findOpen(HEAD, "main"))
          .isInstanceOf(ProviderException.class)
          .hasMessage("GitHub answered a pull request of acme/config without number");
      assertThatThrownBy(() -> broken.findOpen(HEAD, "main"))
          .isInstanceOf(ProviderException.class)
          .hasMessage("GitHub answered pull request #1 of acme/config without head");
      assertThatThrownBy(() -> broken.merge(pull, HEAD_SHA, MergeMethod.MERGE))
          .isInstanceOf(ProviderException.class)
          .hasMessage("GitHub answered the merge of pull request #1 without sha");
      assertThatThrownBy(() -> broken.enableAutoMerge(pull, pull.headSha(), MergeMethod.MERGE))
          .isInstanceOf(ProviderException.class)
          .hasMessage("GitHub answered pull request #1 without node_id");
    } finally {
      raw.stop(0);
    }
  }

  @Test
  void everyFieldReadIsInGitHubsDescription() {
    OpenApiDescription api = GitHubApiServer.description();
    List<String> pullFields = List.of("/number", "/html_url", "/title", "/body", "/draft",
        "/node_id", "/head/properties/ref", "/head/properties/sha", "/base/properties/ref",
        "/labels/items/properties/name", "/requested_reviewers/items/properties/login",
        "/requested_teams/items/properties/slug", "/assignees/items/properties/login");
    for (String operation : List.of("pulls/get", "pulls/create", "pulls/update", "pulls/list")) {
      JsonNode schema = api.responseSchema(operation, operation.equals("pulls/create") ? 201 : 200);
      JsonNode pull = operation.equals("pulls/list") ? schema.path("items") : schema;
      for (String field : pullFields) {
        assertThat(pull.path("properties").at(field).isMissingNode()).as(operation + field)
            .isFalse();
      }
    }
    assertThat(api.responseSchema("pulls/merge", 200).at("/properties/sha").isMissingNode())
        .isFalse();
    assertThat(api.responseSchema("pulls/list-reviews", 200)
        .at("/items/properties/user/properties/login").isMissingNode()).isFalse();
  }

  private List<String> operations() {
    return server.exchanges().stream().map(Exchange::operationId).toList();
  }

  private static FakeGitHub repository(GitHubApiServer server) {
    return new FakeGitHub(server, "acme", "config", "main")
        .branch("main", FakeGitHub.sha("main"))
        .branch(HEAD, HEAD_SHA);
  }

  /** The client bumper builds, for repository acme/{@code repo} at the REST root {@code api}. */
  private static PullRequests client(URI api, String token, String repo) {
    ProviderTarget target = ProviderTarget.of("github.acme.example", "acme/" + repo,
        ProviderTarget.Kind.GITHUB, api);
    return Providers.open(target, token, new SecretMask(), Duration.ofSeconds(10));
  }

  private static PullRequestContent content(String title, String body) {
    return new PullRequestContent(title, body, false, List.of(), List.of(), List.of());
  }
}
