package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.bumper.RequiresTools;
import dev.bumper.provider.GitHubApiServer.Exchange;
import dev.bumper.provider.GitHubApiServer.Response;
import dev.bumper.provider.OpenApiDescription.Violation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated GitHub itself, on GitHub's description: what it lets through, what it refuses and
 * how it names it, so that a provider test that passes means bumper spoke GitHub's API.
 */
@RequiresTools("@octokit/openapi")
class GitHubApiServerTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String CREATE = "POST /repos/{owner}/{repo}/pulls (pulls/create)";

  private final HttpClient http = HttpClient.newHttpClient();
  private GitHubApiServer server;

  @BeforeEach
  void start() throws IOException {
    server = GitHubApiServer.start();
    new FakeGitHub(server, "acme", "config", "main")
        .branch("main", FakeGitHub.sha("main"))
        .branch("bumper/web", FakeGitHub.sha("web"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aValidCreatePullRequestIsAnsweredWithAPullRequestValidAgainstTheDescription() throws Exception {
    HttpResponse<String> response = call("POST", "/repos/acme/config/pulls",
        "{'title':'Bump web to 1.4.2','head':'bumper/web','base':'main','body':'| file | old | new |'}");

    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode pull = JSON.readTree(response.body());
    assertThat(pull.path("number").asInt()).isEqualTo(1);
    assertThat(pull.path("head").path("ref").asString()).isEqualTo("bumper/web");
    assertThat(pull.path("head").path("sha").asString()).isEqualTo(FakeGitHub.sha("web"));
    assertThat(pull.path("base").path("ref").asString()).isEqualTo("main");
    assertThat(pull.path("state").asString()).isEqualTo("open");
    assertThat(response.headers().firstValue("Location")).hasValue(server.url() + "/repos/acme/config/pulls/1");
    // Checked again here, apart from the server's own check before it sent the answer.
    OpenApiDescription api = GitHubApiServer.description();
    assertThat(api.checkResponse(api.operation("pulls/create"), 201, pull)).isEmpty();
    server.assertNoViolations();
    assertThat(server.exchanges())
        .containsExactly(new Exchange("POST", "/repos/acme/config/pulls", "pulls/create", 201));
  }

  @Test
  void aPropertyOfTheWrongTypeIsRefusedNamingTheOperationAndTheJsonPath() throws Exception {
    HttpResponse<String> response = call("POST", "/repos/acme/config/pulls",
        "{'title':'Bump','head':'bumper/web','base':'main','draft':'yes'}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(server.violations()).singleElement().satisfies(v -> {
      assertThat(v.operation()).isEqualTo(CREATE);
      assertThat(v.part()).isEqualTo("request body");
      assertThat(v.jsonPath()).isEqualTo("$.draft");
      assertThat(v.message()).contains("string found, boolean expected");
    });
    // The refusal says why in GitHub's error shape, so that bumper's own message shows it too.
    assertThat(JSON.readTree(response.body()).path("message").asString()).contains(CREATE, "$.draft");
    assertThat(server.exchanges()).extracting(Exchange::status).containsExactly(400);
  }

  @Test
  void aMissingRequiredPropertyIsRefused() throws Exception {
    assertThat(call("POST", "/repos/acme/config/pulls", "{'title':'Bump','base':'main'}").statusCode())
        .isEqualTo(400);
    assertThat(server.violations()).singleElement().satisfies(v -> {
      assertThat(v.operation()).isEqualTo(CREATE);
      assertThat(v.jsonPath()).isEqualTo("$");
      assertThat(v.message()).contains("required property 'head' not found");
    });
  }

  @Test
  void anOperationGitHubDoesNotHaveIsRefused() throws Exception {
    assertThat(call("POST", "/repos/acme/config/pull-requests", "{}").statusCode()).isEqualTo(400);
    assertThat(call("PUT", "/repos/acme/config/pulls", "{}").statusCode()).isEqualTo(400);
    assertThat(server.violations()).extracting(Violation::toString).containsExactly(
        "POST /repos/acme/config/pull-requests: request: GitHub's description has no such operation",
        "PUT /repos/acme/config/pulls: request: GitHub's description has no such operation");
  }

  @Test
  void parametersAreCheckedToo() throws Exception {
    call("GET", "/repos/acme/config/pulls/first", null);
    call("GET", "/repos/acme/config/pulls?state=merged&head=acme:bumper/web", null);
    call("GET", "/repos/acme/config/pulls?head_ref=bumper/web", null);
    assertThat(server.violations()).extracting(Violation::operation, Violation::part).containsExactly(
        tuple("GET /repos/{owner}/{repo}/pulls/{pull_number} (pulls/get)",
            "path parameter pull_number"),
        tuple("GET /repos/{owner}/{repo}/pulls (pulls/list)", "query parameter state"),
        tuple("GET /repos/{owner}/{repo}/pulls (pulls/list)", "query parameter head_ref"));
  }

  @Test
  void anAnswerTheTestFakesWronglyIsNotSentAndIsAViolation() throws Exception {
    ObjectNode wrong = JsonNodeFactory.instance.objectNode();
    wrong.put("number", "7"); // a string, and none of the properties GitHub's pull request requires
    server.answer("pulls/get", request -> Response.json(200, wrong));

    HttpResponse<String> response = call("GET", "/repos/acme/config/pulls/7", null);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(server.violations()).isNotEmpty().allSatisfy(v -> {
      assertThat(v.operation()).isEqualTo("GET /repos/{owner}/{repo}/pulls/{pull_number} (pulls/get)");
      assertThat(v.part()).isEqualTo("response 200 body");
    });
    assertThat(server.violations()).extracting(Violation::jsonPath).contains("$.number", "$");
    assertThat(server.violations()).extracting(Violation::message)
        .contains("string found, integer expected", "required property 'head' not found");
  }

  @Test
  void aStatusTheDescriptionDoesNotGiveIsAViolation() throws Exception {
    // GitHub answers a created pull request 201; 200 would let bumper test for the wrong code.
    server.answer("pulls/create", request -> Response.json(200, JsonNodeFactory.instance.objectNode()));
    call("POST", "/repos/acme/config/pulls", "{'head':'bumper/web','base':'main'}");
    assertThat(server.violations()).singleElement().satisfies(v -> {
      assertThat(v.part()).isEqualTo("response 200");
      assertThat(v.message()).contains("201, 403, 422");
    });
  }

  @Test
  void anOperationTheTestDoesNotAnswerIsAViolation() throws Exception {
    assertThat(call("DELETE", "/repos/acme/config", null).statusCode()).isEqualTo(501);
    assertThat(server.violations()).singleElement()
        .satisfies(v -> assertThat(v.operation()).isEqualTo("DELETE /repos/{owner}/{repo} (repos/delete)"));
  }

  @Test
  void assertNoViolationsListsThemAll() throws Exception {
    call("POST", "/repos/acme/config/pulls", "{'title':1}");
    assertThatThrownBy(server::assertNoViolations).isInstanceOf(AssertionError.class)
        .hasMessageContaining("GitHub's description (@octokit/openapi 23.0.2)")
        .hasMessageContaining(CREATE + ": request body $.title:")
        .hasMessageContaining("required property 'head' not found");
  }

  @Test
  void aTokenSetByTheTestIsRequiredAndNeverRecorded() throws Exception {
    String token = "ghs_" + "x".repeat(36);
    server.requireToken(token);

    assertThat(call("GET", "/repos/acme/config", null).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/repos/acme/config", null, "Bearer ghs_wrong").statusCode()).isEqualTo(401);
    HttpResponse<String> bearer = call("GET", "/repos/acme/config", null, "Bearer " + token);
    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(bearer.body()).path("default_branch").asString()).isEqualTo("main");
    assertThat(call("GET", "/repos/acme/config", null, "token " + token).statusCode()).isEqualTo(200);

    server.assertNoViolations();
    assertThat(server.exchanges()).extracting(Exchange::status).containsExactly(401, 401, 200, 200);
    assertThat(server.exchanges().toString() + server.violations()).doesNotContain(token);
  }

  @Test
  void anEnterpriseStylePrefixIsServedBelow() throws Exception {
    try (GitHubApiServer enterprise = GitHubApiServer.start("/api/v3")) {
      new FakeGitHub(enterprise, "acme", "config", "main");
      assertThat(enterprise.url().getPath()).isEqualTo("/api/v3");
      URI below = URI.create(enterprise.url() + "/repos/acme/config");
      assertThat(http.send(HttpRequest.newBuilder(below).build(), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      URI atTheRoot = enterprise.url().resolve("/repos/acme/config");
      http.send(HttpRequest.newBuilder(atTheRoot).build(), BodyHandlers.ofString());
      assertThat(enterprise.violations()).singleElement()
          .satisfies(v -> assertThat(v.operation()).isEqualTo("GET /repos/acme/config"));
    }
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    return call(method, path, body, null);
  }

  /** Sends {@code body}: JSON written with ' for ", for reading's sake. */
  private HttpResponse<String> call(String method, String path, String body, String authorization)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
        .header("Accept", "application/vnd.github+json")
        .method(method, body == null ? BodyPublishers.noBody()
            : BodyPublishers.ofString(body.replace('\'', '"'), UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }
}
