package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import dev.bumper.provider.GitHubApiServer.Exchange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every operation of the fake a pull-request delivery uses, in the order a delivery uses them, with
 * GitHub's refusals: each answer has passed the server's check against GitHub's description, so a
 * test built on the fake cannot pass on an answer GitHub would never give.
 */
@RequiresTools("@octokit/openapi")
class FakeGitHubTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String HEAD = FakeGitHub.sha("bumper/web 1");
  private static final String REPO = "/repos/acme/config";

  private final HttpClient http = HttpClient.newHttpClient();
  private GitHubApiServer server;
  private FakeGitHub github;

  @BeforeEach
  void start() throws Exception {
    server = GitHubApiServer.start().requireToken("t0ken");
    github = new FakeGitHub(server, "acme", "config", "main")
        .branch("main", FakeGitHub.sha("main"))
        .branch("bumper/web", HEAD);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void openUpdateLabelRequestReviewersAndMerge() throws Exception {
    assertThat(json(call("GET", REPO, null, 200)).path("default_branch").asString())
        .isEqualTo("main");
    assertThat(json(call("GET", REPO + "/git/ref/heads/bumper/web", null, 200)).at("/object/sha").asString())
        .isEqualTo(HEAD);
    call("GET", REPO + "/git/ref/heads/nothing", null, 404);
    assertThat(json(call("GET", REPO + "/pulls?state=open&head=acme:bumper/web&base=main", null, 200)))
        .isEmpty();

    JsonNode created = json(call("POST", REPO + "/pulls",
        "{'title':'Bump web to 1.4.2','head':'bumper/web','base':'main','body':'first','draft':true}", 201));
    assertThat(created.path("draft").asBoolean()).isTrue();
    // The second run finds it, and a second create is GitHub's 422.
    JsonNode open = json(call("GET", REPO + "/pulls?head=acme:bumper/web&base=main", null, 200));
    assertThat(open).singleElement().satisfies(p -> assertThat(p.path("number").asInt()).isEqualTo(1));
    JsonNode again = json(call("POST", REPO + "/pulls", "{'title':'again','head':'bumper/web','base':'main'}", 422));
    assertThat(again.at("/errors/0/message").asString())
        .isEqualTo("A pull request already exists for acme:bumper/web.");

    JsonNode updated =
        json(call("PATCH", REPO + "/pulls/1", "{'title':'Bump web to 1.4.3','body':'second'}", 200));
    assertThat(updated.path("title").asString()).isEqualTo("Bump web to 1.4.3");
    assertThat(json(call("POST", REPO + "/issues/1/labels", "{'labels':['bumper','production']}", 200)))
        .extracting(l -> l.path("name").asString()).containsExactly("bumper", "production");
    assertThat(json(call("PUT", REPO + "/issues/1/labels", "{'labels':['bumper']}", 200)))
        .extracting(l -> l.path("name").asString()).containsExactly("bumper");
    JsonNode reviewed = json(call("POST", REPO + "/pulls/1/requested_reviewers", "{'reviewers':['octocat']}", 201));
    assertThat(reviewed.at("/requested_reviewers/0/login").asString()).isEqualTo("octocat");

    // A merge refused by a branch rule, one whose head moved, then one that goes through.
    github.refuseNextMerge("Base branch was modified. Review and try the merge again.");
    assertThat(json(call("PUT", REPO + "/pulls/1/merge", "{'merge_method':'squash'}", 405))
        .path("message").asString()).isEqualTo("Base branch was modified. Review and try the merge again.");
    call("PUT", REPO + "/pulls/1/merge", "{'sha':'" + FakeGitHub.sha("other") + "'}", 409);
    JsonNode result = json(call("PUT", REPO + "/pulls/1/merge", "{'sha':'" + HEAD + "','merge_method':'squash'}", 200));
    assertThat(result.path("merged").asBoolean()).isTrue();

    JsonNode merged = json(call("GET", REPO + "/pulls/1", null, 200));
    assertThat(merged.path("merged").asBoolean()).isTrue();
    assertThat(merged.path("state").asString()).isEqualTo("closed");
    assertThat(json(call("GET", REPO + "/pulls", null, 200))).as("no open pull request left").isEmpty();
    assertThat(github.pulls()).singleElement().satisfies(p -> {
      assertThat(p.title()).isEqualTo("Bump web to 1.4.3");
      assertThat(p.labels()).containsExactly("bumper");
      assertThat(p.reviewers()).containsExactly("octocat");
    });

    server.assertNoViolations();
    assertThat(server.exchanges()).extracting(Exchange::operationId).doesNotContainNull();
  }

  @Test
  void aListLongerThanAPageHasGitHubsLinkToTheNext() throws Exception {
    for (int i = 0; i < 3; i++) {
      github.branch("b" + i, FakeGitHub.sha("b" + i));
      call("POST", REPO + "/pulls", "{'title':'t','head':'b" + i + "','base':'main'}", 201);
    }
    HttpResponse<String> first = send("GET", REPO + "/pulls?per_page=2", null);
    assertThat(json(first)).hasSize(2);
    String next = first.headers().firstValue("Link").orElseThrow();
    assertThat(next).isEqualTo("<" + server.url() + REPO + "/pulls?per_page=2&page=2>; rel=\"next\"");
    assertThat(json(call("GET", REPO + "/pulls?per_page=2&page=2", null, 200))).hasSize(1);
    server.assertNoViolations();
  }

  @Test
  void branchesCanComeFromTheTestsGitRepository() throws Exception {
    github.branches(name -> name.equals("main") || name.equals("bumper/api")
        ? Optional.of(FakeGitHub.sha("git " + name)) : Optional.empty());
    call("POST", REPO + "/pulls", "{'title':'t','head':'bumper/web','base':'main'}", 422);
    JsonNode pull =
        json(call("POST", REPO + "/pulls", "{'title':'t','head':'bumper/api','base':'main'}", 201));
    assertThat(pull.at("/head/sha").asString()).isEqualTo(FakeGitHub.sha("git bumper/api"));
    call("GET", "/repos/other/config/pulls/1", null, 404);
    server.assertNoViolations();
  }

  /** Sends {@code body} (JSON written with ' for ", for reading's sake) and expects {@code status}. */
  private HttpResponse<String> call(String method, String path, String body, int status) throws Exception {
    HttpResponse<String> response = send(method, path, body);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
    return response;
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
        .header("Authorization", "Bearer t0ken")
        .method(method, body == null ? BodyPublishers.noBody()
            : BodyPublishers.ofString(body.replace('\'', '"'), UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }
}
