package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.provider.GitLabApiServer.Response;
import dev.bumper.provider.OpenApiDescription.Violation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The checks of the loopback GitLab: that a request GitLab's description does not allow, and an
 * answer its documentation does not describe, are caught and fail the test; and that the
 * documented answers name only fields GitLab's own description has.
 */
class GitLabApiServerTest {
  private static final String PROJECT = "acme%2Fconfig";
  private static final String MRS = "/api/v4/projects/" + PROJECT + "/merge_requests";

  private final HttpClient http = HttpClient.newHttpClient();
  private GitLabApiServer server;

  @BeforeEach
  void start() throws Exception {
    server = GitLabApiServer.start();
    new FakeGitLab(server, "acme/config").branch("main", FakeGitLab.sha("main"))
        .branch("feature", FakeGitLab.sha("feature"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aRequestTheDescriptionAllowsPasses() throws Exception {
    assertThat(send("GET", MRS + "?state=opened&source_branch=feature&target_branch=main", null))
        .isEqualTo(200);
    assertThat(send("POST", MRS, "{\"source_branch\": \"feature\", \"target_branch\": \"main\","
        + " \"title\": \"t\", \"labels\": [\"a\"], \"reviewer_ids\": [1]}")).isEqualTo(201);
    assertThat(send("PUT", MRS + "/1/merge", "{\"sha\": \"" + FakeGitLab.sha("feature")
        + "\", \"squash\": true}")).isEqualTo(200);
    assertThat(send("GET", "/api/v4/users?username=bumper-bot", null)).isEqualTo(200);
    server.assertNoViolations();
  }

  @Test
  void anUnknownQueryParameterIsAViolation() throws Exception {
    assertThat(send("GET", MRS + "?state=opened&head=feature", null)).isEqualTo(400);
    assertThat(messages()).singleElement().asString()
        .contains("query parameter head").contains("the operation has no such parameter");
    assertThatThrownBy(server::assertNoViolations).isInstanceOf(AssertionError.class)
        .hasMessageContaining("GitLab's description");
  }

  @Test
  void aValueOfTheWrongTypeIsAViolation() throws Exception {
    assertThat(send("GET", MRS + "?state=open", null)).as("not one of the enum").isEqualTo(400);
    assertThat(send("GET", MRS + "/one", null)).as("an iid is an integer").isEqualTo(400);
    assertThat(send("POST", MRS, "{\"source_branch\": \"feature\", \"target_branch\": \"main\","
        + " \"title\": \"t\", \"assignee_ids\": [\"hubot\"]}")).isEqualTo(400);
    assertThat(send("PUT", MRS + "/1/merge", "{\"squash\": \"yes\"}")).isEqualTo(400);
    assertThat(server.violations()).hasSize(4);
    assertThat(messages().get(0)).contains("query parameter state");
    assertThat(messages().get(1)).contains("path parameter merge_request_iid");
    assertThat(messages().get(2)).contains("$.assignee_ids[0]");
    assertThat(messages().get(3)).contains("$.squash");
  }

  @Test
  void aBodyFieldGitLabDoesNotTakeOrAMissingRequiredOneIsAViolation() throws Exception {
    assertThat(send("POST", MRS, "{\"source_branch\": \"feature\", \"target_branch\": \"main\","
        + " \"title\": \"t\", \"draft\": true}")).isEqualTo(400);
    assertThat(send("POST", MRS, "{\"source_branch\": \"feature\", \"title\": \"t\"}"))
        .isEqualTo(400);
    assertThat(send("PUT", MRS + "/1/merge", "{\"merge_method\": \"squash\"}")).isEqualTo(400);
    assertThat(messages()).hasSize(3);
    assertThat(messages().get(0)).contains("draft");
    assertThat(messages().get(1)).contains("target_branch");
    assertThat(messages().get(2)).contains("merge_method");
  }

  @Test
  void anOperationTheDescriptionDoesNotHaveIsAViolation() throws Exception {
    assertThat(send("POST", MRS + "/1/approve", "{}")).isEqualTo(400);
    assertThat(send("PATCH", MRS + "/1", "{\"title\": \"t\"}")).isEqualTo(400);
    assertThat(messages()).hasSize(2)
        .allMatch(m -> m.contains("GitLab's description has no such operation"));
  }

  @Test
  void anAnswerTheDocumentationDoesNotDescribeIsAViolation() throws Exception {
    ObjectNode mr = JsonNodeFactory.instance.objectNode().put("iid", 1).put("title", "t");
    server.answer("getApiV4ProjectsIdMergeRequestsMergeRequestIid", r -> Response.json(200, mr));
    server.answer("putApiV4ProjectsIdMergeRequestsMergeRequestIidMerge",
        r -> Response.error(406, "Branch cannot be merged"));

    assertThat(send("GET", MRS + "/1", null)).isEqualTo(500);
    assertThat(send("PUT", MRS + "/1/merge", "{}"))
        .as("406 is not a status the description lists for the merge").isEqualTo(500);
    assertThat(messages().get(0)).contains("required property 'id' not found");
    assertThat(messages()).last().asString().contains("no such status");
  }

  @Test
  void everyDocumentedFieldIsOneGitLabsDescriptionHas() {
    JsonNode gitlab = GitLabApiDescription.yaml(GitLabApiDescription.EXCERPT);
    JsonNode documented = GitLabApiDescription.yaml(GitLabApiDescription.DOCUMENTED);
    for (Map.Entry<String, String> pair : Map.of("MergeRequest", "API_Entities_MergeRequest",
        "User", "API_Entities_UserBasic").entrySet()) {
      List<String> fields = documented.path("schemas").path(pair.getKey()).path("properties")
          .propertyNames().stream().toList();
      assertThat(fields).isNotEmpty();
      assertThat(gitlab.path("definitions").path(pair.getValue()).path("properties")
          .propertyNames()).as(pair.getKey()).containsAll(fields);
    }
    assertThat(documented.path("answers").propertyNames()).containsExactlyInAnyOrder(
        "getApiV4ProjectsIdMergeRequests", "postApiV4ProjectsIdMergeRequests",
        "getApiV4ProjectsIdMergeRequestsMergeRequestIid",
        "putApiV4ProjectsIdMergeRequestsMergeRequestIid",
        "putApiV4ProjectsIdMergeRequestsMergeRequestIidMerge");
  }

  @Test
  void aMissingOrWrongTokenIsGitLabs401() throws Exception {
    server.requireToken("glpat-right");
    assertThat(send("GET", MRS, null)).isEqualTo(401);
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(server.url().resolve(MRS))
        .header("PRIVATE-TOKEN", "glpat-right").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    server.assertNoViolations();
  }

  private int send(String method, String path, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json, UTF_8));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private List<String> messages() {
    List<String> messages = new ArrayList<>();
    for (Violation violation : server.violations()) {
      messages.add(violation.toString());
    }
    return messages;
  }
}
