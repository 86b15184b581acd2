package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.bumper.provider.GitLabApiServer.Exchange;
import dev.bumper.secret.SecretMask;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GitLabMergeRequests} against a loopback GitLab that checks every request against
 * GitLab's OpenAPI description and every answer against its documentation: what each method
 * sends, that it sends nothing it need not, and how GitLab's refusals come back.
 */
class GitLabMergeRequestsTest {
  private static final String TOKEN = "glpat-mergeRequestsTestToken01234";
  private static final String PROJECT = "acme/platform/config";
  private static final String HEAD = "bumper/main/overlays-prod-web";
  private static final String HEAD_SHA = FakeGitLab.sha("web 1");

  private GitLabApiServer server;
  private FakeGitLab gitlab;
  private PullRequests mrs;

  @BeforeEach
  void start() throws Exception {
    server = GitLabApiServer.start().requireToken(TOKEN);
    gitlab = new FakeGitLab(server, PROJECT)
        .branch("main", FakeGitLab.sha("main"))
        .branch("release", FakeGitLab.sha("release"))
        .branch(HEAD, HEAD_SHA)
        .user("octocat", 7)
        .user("hubot", 8);
    mrs = client(server.api(), TOKEN, PROJECT);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void openSendsTheDraftTitleLabelsAssigneesAndReviewersInOneRequest() {
    PullRequest opened = mrs.open(HEAD, "main", new PullRequestContent("Bump web to 1.1",
        "| file | old | new |", true, List.of("deploy", "prod"), List.of("octocat"),
        List.of("hubot")));

    assertThat(opened).isEqualTo(new PullRequest(1,
        "https://gitlab.example.com/acme/platform/config/-/merge_requests/1", HEAD, "main",
        HEAD_SHA, "Draft: Bump web to 1.1", "| file | old | new |", true));
    assertThat(gitlab.mergeRequests()).singleElement().satisfies(mr -> {
      assertThat(mr.draft()).isTrue();
      assertThat(mr.labels()).containsExactly("deploy", "prod");
      assertThat(mr.assignees()).containsExactly(8L);
      assertThat(mr.reviewers()).containsExactly(7L);
    });
    assertThat(operations()).containsExactly("getApiV4Users", "getApiV4Users",
        "postApiV4ProjectsIdMergeRequests");
    server.assertNoViolations();
  }

  @Test
  void openSendsNothingThatIsEmpty() {
    PullRequest opened = mrs.open(HEAD, "main", content("Bump web to 1.1", ""));

    assertThat(opened.body()).isNull();
    assertThat(opened.draft()).isFalse();
    assertThat(opened.title()).isEqualTo("Bump web to 1.1");
    assertThat(operations()).containsExactly("postApiV4ProjectsIdMergeRequests");
    server.assertNoViolations();
  }

  @Test
  void anUnknownUserIsAProviderExceptionNamingItAndNothingIsOpened() {
    assertThatThrownBy(() -> mrs.open(HEAD, "main", new PullRequestContent("Bump", "", false,
        List.of(), List.of("octocat", "nobody-here"), List.of())))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("GitLab has no user nobody-here");
    assertThat(gitlab.mergeRequests()).isEmpty();
    server.assertNoViolations();
  }

  @Test
  void findOpenFindsTheOpenRequestOfTheSourceAndTargetOnly() {
    assertThat(mrs.findOpen(HEAD, "main")).isEmpty();
    PullRequest opened = mrs.open(HEAD, "main", content("Bump", "body"));

    assertThat(mrs.findOpen(HEAD, "main")).contains(opened);
    assertThat(mrs.findOpen(HEAD, "release")).isEmpty();
    assertThat(mrs.findOpen("bumper/other", "main")).isEmpty();
    assertThat(mrs.merge(opened, HEAD_SHA, MergeMethod.MERGE))
        .isInstanceOf(MergeOutcome.Merged.class);
    assertThat(mrs.findOpen(HEAD, "main")).as("merged: no longer open").isEmpty();
    server.assertNoViolations();
  }

  @Test
  void updateWritesWhatDiffersInOneRequestAndKeepsThoseAPersonAdded() {
    PullRequest opened = mrs.open(HEAD, "main", new PullRequestContent("Bump web to 1.1", "one",
        true, List.of("deploy"), List.of("octocat"), List.of()));
    int before = server.exchanges().size();

    PullRequest updated = mrs.update(opened, new PullRequestContent("Bump web to 1.2", "two",
        false, List.of("deploy", "prod"), List.of("OctoCat", "hubot"), List.of("hubot")));

    assertThat(updated.title()).as("still a draft: update leaves that as it is")
        .isEqualTo("Draft: Bump web to 1.2");
    assertThat(updated.body()).isEqualTo("two");
    assertThat(operations().subList(before, server.exchanges().size())).containsExactly(
        "getApiV4ProjectsIdMergeRequestsMergeRequestIid", "getApiV4Users", "getApiV4Users",
        "putApiV4ProjectsIdMergeRequestsMergeRequestIid");
    assertThat(gitlab.mergeRequests()).singleElement().satisfies(mr -> {
      assertThat(mr.title()).isEqualTo("Draft: Bump web to 1.2");
      assertThat(mr.labels()).containsExactly("deploy", "prod");
      assertThat(mr.reviewers()).as("octocat kept, by any case").containsExactly(7L, 8L);
      assertThat(mr.assignees()).containsExactly(8L);
    });
    server.assertNoViolations();
  }

  @Test
  void updateWithNothingNewSendsNoWriteRequest() {
    PullRequestContent content = new PullRequestContent("Bump web to 1.1", "one", false,
        List.of("deploy"), List.of("octocat"), List.of("hubot"));
    PullRequest opened = mrs.open(HEAD, "main", content);
    int before = server.exchanges().size();

    PullRequest again = mrs.update(opened, content);
    PullRequest subset = mrs.update(opened, new PullRequestContent("Bump web to 1.1", "one",
        false, List.of(), List.of("OCTOCAT"), List.of()));

    assertThat(again).isEqualTo(opened);
    assertThat(subset).isEqualTo(opened);
    List<Exchange> after = server.exchanges().subList(before, server.exchanges().size());
    assertThat(after).extracting(Exchange::operationId).containsExactly(
        "getApiV4ProjectsIdMergeRequestsMergeRequestIid",
        "getApiV4ProjectsIdMergeRequestsMergeRequestIid");
    assertThat(after).noneMatch(Exchange::write);
    server.assertNoViolations();
  }

  @Test
  void mergeMergesWhenTheHeadIsStillTheCommitGivenAndSquashesWhenAsked() {
    PullRequest opened = mrs.open(HEAD, "main", content("Bump", "body"));

    MergeOutcome outcome = mrs.merge(opened, HEAD_SHA, MergeMethod.SQUASH);

    assertThat(outcome).isEqualTo(new MergeOutcome.Merged(
        FakeGitLab.sha("merge !1 " + HEAD_SHA)));
    assertThat(gitlab.mergeRequests()).singleElement().satisfies(mr -> {
      assertThat(mr.state()).isEqualTo("merged");
      assertThat(mr.squash()).isTrue();
    });
    server.assertNoViolations();
  }

  @Test
  void aHeadThatMovedIsBehindWithGitLabsMessage() {
    PullRequest opened = mrs.open(HEAD, "main", content("Bump", "body"));
    gitlab.branch(HEAD, FakeGitLab.sha("web 2"));

    assertThat(mrs.merge(opened, HEAD_SHA, MergeMethod.MERGE)).isEqualTo(new MergeOutcome.Behind(
        "SHA does not match HEAD of source branch: " + FakeGitLab.sha("web 2")));
    assertThat(gitlab.mergeRequests().get(0).state()).isEqualTo("opened");
    server.assertNoViolations();
  }

  @Test
  void aRuleThatRefusesTheMergeIsRefusedWithGitLabsMessage() {
    PullRequest opened = mrs.open(HEAD, "main", content("Bump", "body"));
    gitlab.refuseNextMerge(422, "Branch cannot be merged")
        .refuseNextMerge(405, "405 Method Not Allowed");

    assertThat(mrs.merge(opened, HEAD_SHA, MergeMethod.MERGE))
        .isEqualTo(new MergeOutcome.Refused("Branch cannot be merged"));
    assertThat(mrs.merge(opened, HEAD_SHA, MergeMethod.MERGE))
        .isEqualTo(new MergeOutcome.Refused("405 Method Not Allowed"));
    PullRequest draft = mrs.open(HEAD, "release", new PullRequestContent("Bump", "", true,
        List.of(), List.of(), List.of()));
    assertThat(mrs.merge(draft, HEAD_SHA, MergeMethod.MERGE))
        .as("a draft cannot be merged").isInstanceOf(MergeOutcome.Refused.class);
    assertThat(gitlab.mergeRequests()).allMatch(mr -> mr.state().equals("opened"));
    server.assertNoViolations();
  }

  @Test
  void autoMergeWaitsForARunningPipelineAndMergesAtOnceWithoutOne() {
    PullRequest opened = mrs.open(HEAD, "main", content("Bump", "body"));
    gitlab.pipelineRunning(true);

    assertThat(mrs.enableAutoMerge(opened, opened.headSha(), MergeMethod.MERGE)).isFalse();
    assertThat(gitlab.mergeRequests().get(0).autoMerge()).isTrue();
    assertThat(gitlab.mergeRequests().get(0).state()).isEqualTo("opened");

    gitlab.pipelineRunning(false);
    assertThat(mrs.enableAutoMerge(opened, opened.headSha(), MergeMethod.SQUASH)).isTrue();
    assertThat(gitlab.mergeRequests().get(0).state()).isEqualTo("merged");
    assertThat(gitlab.mergeRequests().get(0).squash()).isTrue();
    server.assertNoViolations();
  }

  @Test
  void aMissingProjectOrABadTokenIsAProviderExceptionWithGitLabsMessageAndNoToken() {
    PullRequest elsewhere = new PullRequest(1, "u", HEAD, "main", HEAD_SHA, "t", null, false);
    assertThatThrownBy(() -> client(server.api(), TOKEN, "acme/nothing").update(elsewhere,
        content("Bump", "body")))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.getMessage()).isEqualTo("GET " + server.api()
              + "projects/acme%2Fnothing/merge_requests/1: HTTP 404: 404 Merge request Not"
              + " Found");
        });
    String wrong = "glpat-wrongWrongWrong0123456789ab";
    for (Runnable call : List.<Runnable>of(
        () -> client(server.api(), wrong, PROJECT).open(HEAD, "main", content("Bump", "body")),
        () -> client(server.api(), wrong, PROJECT).findOpen(HEAD, "main"),
        () -> client(server.api(), wrong, PROJECT).merge(elsewhere, HEAD_SHA, MergeMethod.MERGE),
        () -> client(server.api(), wrong, PROJECT).enableAutoMerge(elsewhere, elsewhere.headSha(),
            MergeMethod.MERGE))) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(ProviderException.class, e -> {
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).contains("401 Unauthorized").doesNotContain(wrong)
            .doesNotContain(TOKEN);
      });
    }
    assertThat(gitlab.mergeRequests()).isEmpty();
    server.assertNoViolations();
  }

  @Test
  void anAnswerWithoutAFieldThatIsReadIsAProviderExceptionNamingIt() throws Exception {
    HttpServer bare = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    bare.createContext("/", exchange -> {
      byte[] body = """
          [{"iid": 3, "web_url": "https://gitlab.example.com/x/-/merge_requests/3",
            "source_branch": "b", "target_branch": "main", "title": "t", "draft": false}]"""
          .getBytes(UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    bare.start();
    try {
      URI api = URI.create("http://127.0.0.1:" + bare.getAddress().getPort() + "/api/v4/");
      assertThatThrownBy(() -> client(api, TOKEN, PROJECT).findOpen("b", "main"))
          .isInstanceOf(ProviderException.class)
          .hasMessage("GitLab answered merge request !3 of " + PROJECT + " without sha");
    } finally {
      bare.stop(0);
    }
  }

  private List<String> operations() {
    return server.exchanges().stream().map(Exchange::operationId).toList();
  }

  private static PullRequests client(URI api, String token, String project) {
    SecretMask mask = new SecretMask();
    mask.add(token);
    ApiClient client = new ApiClient(api, () -> "Bearer " + token, Map.of(), mask,
        Duration.ofSeconds(10));
    return new GitLabMergeRequests(client, project);
  }

  private static PullRequestContent content(String title, String body) {
    return new PullRequestContent(title, body, false, List.of(), List.of(), List.of());
  }
}
