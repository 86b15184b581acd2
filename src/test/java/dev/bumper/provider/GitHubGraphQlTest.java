package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.RequiresTools;
import dev.bumper.provider.OpenApiDescription.Violation;
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

/**
 * The simulated GraphQL API on GitHub's schema: a query GitHub accepts is answered in the shape
 * the schema and the query's selection give, and one it does not (a field, argument or enum value
 * the schema lacks, variables of the wrong type, bad syntax) is a violation the test cannot pass
 * over.
 */
@RequiresTools({"@octokit/openapi", "@octokit/graphql-schema"})
class GitHubGraphQlTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TOKEN = "ghp_graphQlTestToken0123456789abcdef";
  private static final String ENABLE = "mutation($id: ID!, $method: PullRequestMergeMethod!) {"
      + " enablePullRequestAutoMerge(input: {pullRequestId: $id, mergeMethod: $method})"
      + " { clientMutationId pullRequest { number autoMergeRequest { mergeMethod enabledAt } } } }";

  private final HttpClient http = HttpClient.newHttpClient();
  private GitHubApiServer server;
  private FakeGitHub github;
  private FakeGitHubGraphQl graphQl;

  @BeforeEach
  void start() throws Exception {
    server = GitHubApiServer.start().requireToken(TOKEN);
    github = new FakeGitHub(server, "acme", "config", "main")
        .branch("main", FakeGitHub.sha("main"))
        .branch("bumper/web", FakeGitHub.sha("web"));
    graphQl = FakeGitHubGraphQl.serve(github);
    HttpResponse<String> created = send(URI.create(server.url() + "/repos/acme/config/pulls"),
        "{'title':'Bump web','head':'bumper/web','base':'main'}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aValidMutationEnablesAutoMergeAndIsAnsweredInTheShapeOfTheQuery() throws Exception {
    String id = github.pulls().get(0).nodeId();

    JsonNode answer = graphQl(200, ENABLE, "{'id':'" + id + "','method':'SQUASH'}");

    assertThat(answer.has("errors")).as(answer.toString()).isFalse();
    JsonNode pull = answer.at("/data/enablePullRequestAutoMerge/pullRequest");
    assertThat(pull.path("number").asInt()).isEqualTo(1);
    assertThat(pull.at("/autoMergeRequest/mergeMethod").asString()).isEqualTo("SQUASH");
    assertThat(pull.properties()).extracting(e -> e.getKey())
        .as("only what the query selects").containsExactly("number", "autoMergeRequest");
    assertThat(answer.at("/data/enablePullRequestAutoMerge/clientMutationId").isNull()).isTrue();
    assertThat(github.pulls().get(0).autoMerge()).isEqualTo("SQUASH");
    // REST shows it too, in the shape GitHub's OpenAPI description gives auto_merge
    HttpResponse<String> rest = get(server.url() + "/repos/acme/config/pulls/1");
    assertThat(JSON.readTree(rest.body()).at("/auto_merge/merge_method").asString())
        .isEqualTo("squash");
    server.assertNoViolations();
    assertThat(server.exchanges()).filteredOn(e -> e.path().equals("/graphql")).singleElement()
        .satisfies(e -> assertThat(e.operationId())
            .isEqualTo("graphql mutation enablePullRequestAutoMerge"));
  }

  @Test
  void theMergeMethodDefaultsAsTheSchemaSays() throws Exception {
    String id = github.pulls().get(0).nodeId();
    graphQl(200, "mutation { enablePullRequestAutoMerge(input: {pullRequestId: \\\"" + id
        + "\\\"}) { pullRequest { id } } }", null);
    assertThat(github.pulls().get(0).autoMerge()).isEqualTo("MERGE");
    server.assertNoViolations();
  }

  @Test
  void aFieldTheSchemaLacksIsRefusedAndChangesNothing() throws Exception {
    String id = github.pulls().get(0).nodeId();
    JsonNode answer = graphQl(200, ENABLE.replace("number", "numbr"),
        "{'id':'" + id + "','method':'SQUASH'}");

    assertThat(answer.has("data")).isFalse();
    assertThat(answer.at("/errors/0/message").asString()).contains("numbr");
    assertThat(server.violations()).singleElement().satisfies(v -> {
      assertThat(v.operation()).isEqualTo("POST /graphql (mutation enablePullRequestAutoMerge)");
      assertThat(v.part()).isEqualTo("request");
      assertThat(v.message()).contains("numbr");
    });
    assertThat(github.pulls().get(0).autoMerge()).isNull();
    assertThatThrownBy(server::assertNoViolations).hasMessageContaining("@octokit/graphql-schema")
        .hasMessageContaining("numbr");
  }

  @Test
  void variablesOfTheWrongTypeMissingOrUndeclaredAreRefused() throws Exception {
    String id = github.pulls().get(0).nodeId();
    graphQl(200, ENABLE, "{'id':'" + id + "','method':'FAST'}");
    graphQl(200, ENABLE, "{'method':'SQUASH'}");
    graphQl(200, ENABLE, "{'id':'" + id + "','method':'SQUASH','expectedHead':'abc'}");
    graphQl(200, ENABLE, "{'id':['" + id + "'],'method':'SQUASH'}");

    assertThat(server.violations()).extracting(Violation::message).hasSize(4).satisfiesExactly(
        m -> assertThat(m).contains("FAST"),
        m -> assertThat(m).contains("id"),
        m -> assertThat(m).contains("declares no variable $expectedHead"),
        m -> assertThat(m).contains("id"));
    assertThat(github.pulls().get(0).autoMerge()).isNull();
  }

  @Test
  void badSyntaxAnUnknownEnumLiteralAndAMissingArgumentAreRefused() throws Exception {
    graphQl(200, "mutation { enablePullRequestAutoMerge(input: {", null);
    graphQl(200, "mutation { enablePullRequestAutoMerge(input: {pullRequestId: \\\"x\\\","
        + " mergeMethod: FAST}) { clientMutationId } }", null);
    graphQl(200, "mutation { enablePullRequestAutoMerge { clientMutationId } }", null);
    graphQl(200, "mutation { enablePullRequestAutoMerge(input: {pullRequestId: \\\"x\\\"}) }",
        null);

    assertThat(server.violations()).hasSize(4).allSatisfy(v -> assertThat(v.part())
        .isEqualTo("request"));
  }

  @Test
  void gitHubsOwnRefusalsAreAnsweredInItsShapeAndAreNoViolation() throws Exception {
    graphQl.refuseNextAutoMerge("Pull request Auto merge is not allowed for this repository");
    JsonNode refused = graphQl(200, ENABLE,
        "{'id':'" + github.pulls().get(0).nodeId() + "','method':'MERGE'}");
    assertThat(refused.at("/data/enablePullRequestAutoMerge").isNull()).isTrue();
    assertThat(refused.at("/errors/0/type").asString()).isEqualTo("UNPROCESSABLE");
    assertThat(refused.at("/errors/0/path/0").asString()).isEqualTo("enablePullRequestAutoMerge");
    assertThat(refused.at("/errors/0/message").asString())
        .isEqualTo("Pull request Auto merge is not allowed for this repository");

    JsonNode missing = graphQl(200, ENABLE, "{'id':'PR_nothing','method':'MERGE'}");
    assertThat(missing.at("/errors/0/type").asString()).isEqualTo("NOT_FOUND");
    assertThat(github.pulls().get(0).autoMerge()).isNull();
    server.assertNoViolations();
  }

  @Test
  void aFieldTheTestDoesNotAnswerAndANullWhereTheSchemaSaysNonNullAreViolations()
      throws Exception {
    graphQl(501, "query { viewer { login } }", null);
    // createdAt is DateTime! and the fake does not keep it
    graphQl(500, ENABLE.replace("number", "number createdAt"),
        "{'id':'" + github.pulls().get(0).nodeId() + "','method':'MERGE'}");

    assertThat(server.violations()).satisfiesExactly(
        v -> assertThat(v.message()).contains("no answer to Query.viewer"),
        v -> {
          assertThat(v.part()).isEqualTo("answer");
          assertThat(v.message()).contains("createdAt");
        });
  }

  @Test
  void credentialsAreCheckedAsForRest() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.graphQlUrl())
        .header("Authorization", "Bearer wrong").header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"query\":\"query { viewer { login } }\"}")).build(),
        BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(response.body()).path("message").asString())
        .isEqualTo("Bad credentials");
    server.assertNoViolations();
  }

  @Test
  void aBodyThatIsNotAGraphQlRequestIsRefused() throws Exception {
    assertThat(send(server.graphQlUrl(), "{'query':'{ viewer { login } }','extra':1}")
        .statusCode()).isEqualTo(200);
    assertThat(send(server.graphQlUrl(), "['query']").statusCode()).isEqualTo(400);
    assertThat(server.violations()).hasSize(2);
  }

  @Test
  void enterpriseServesGraphQlBesideTheRestApiNotBelowIt() throws Exception {
    try (GitHubApiServer enterprise = GitHubApiServer.start("/api/v3").requireToken(TOKEN)) {
      FakeGitHub fake = new FakeGitHub(enterprise, "acme", "config", "main")
          .branch("main", FakeGitHub.sha("main")).branch("bumper/web", FakeGitHub.sha("web"));
      FakeGitHubGraphQl.serve(fake);
      send(URI.create(enterprise.url() + "/repos/acme/config/pulls"),
          "{'title':'Bump web','head':'bumper/web','base':'main'}");
      assertThat(enterprise.graphQlUrl().getPath()).isEqualTo("/api/graphql");
      String body = "{'query':'" + ENABLE + "','variables':{'id':'"
          + fake.pulls().get(0).nodeId() + "','method':'REBASE'}}";

      assertThat(send(enterprise.graphQlUrl(), body).statusCode()).isEqualTo(200);
      assertThat(fake.pulls().get(0).autoMerge()).isEqualTo("REBASE");
      enterprise.assertNoViolations();

      send(URI.create(enterprise.url() + "/graphql"), body);
      assertThat(enterprise.violations()).singleElement()
          .satisfies(v -> assertThat(v.operation()).isEqualTo("POST /api/v3/graphql"));
    }
  }

  /**
   * Posts {@code query} (with {@code \\\"} for a quote inside it) and {@code variables} (JSON
   * with ' for ", or null) and expects {@code status}.
   */
  private JsonNode graphQl(int status, String query, String variables) throws Exception {
    String body = "{'query':'" + query + "'"
        + (variables == null ? "" : ",'variables':" + variables) + "}";
    HttpResponse<String> response = send(server.graphQlUrl(), body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> send(URI uri, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(body.replace('\'', '"'), UTF_8)).build(),
        BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String uri) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(uri))
        .header("Authorization", "Bearer " + TOKEN).build(), BodyHandlers.ofString());
  }
}
