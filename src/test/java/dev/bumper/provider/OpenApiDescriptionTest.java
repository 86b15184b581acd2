package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.provider.OpenApiDescription.Match;
import dev.bumper.provider.OpenApiDescription.Operation;
import dev.bumper.provider.OpenApiDescription.RequestParts;
import dev.bumper.provider.OpenApiDescription.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The checks of a simulated provider on a small description written here in GitHub's style, so
 * that they are tested on every machine, with or without the npm packages the provider tests read.
 */
class OpenApiDescriptionTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final String DESCRIPTION = """
      {
        "openapi": "3.0.3",
        "info": {"title": "a provider", "version": "1.2.3"},
        "servers": [{"url": "https://api.example.com/api/v1"}],
        "paths": {
          "/repos/{owner}/{repo}/pulls": {
            "parameters": [
              {"name": "owner", "in": "path", "required": true, "schema": {"type": "string"}},
              {"name": "repo", "in": "path", "required": true, "schema": {"type": "string"}}
            ],
            "get": {
              "operationId": "pulls/list",
              "parameters": [
                {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["open", "closed", "all"]}},
                {"name": "per_page", "in": "query", "schema": {"type": "integer"}},
                {"name": "labels", "in": "query", "explode": false,
                 "schema": {"type": "array", "items": {"type": "string"}}}
              ],
              "responses": {"200": {"description": "the pulls", "content": {"application/json": {
                "schema": {"type": "array", "items": {"$comment": "a pull", "type": "object",
                  "required": ["number"], "properties": {"number": {"type": "integer"}}}}}}}}
            },
            "post": {
              "operationId": "pulls/create",
              "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object",
                "required": ["head", "base"],
                "properties": {
                  "title": {"type": "string"},
                  "head": {"type": "string"},
                  "base": {"type": "string"},
                  "draft": {"type": "boolean"}
                }}}}},
              "responses": {
                "201": {"description": "created", "content": {"application/json": {"schema": {
                  "type": "object",
                  "required": ["number", "state", "merged_at", "labels", "user"],
                  "properties": {
                    "number": {"type": "integer"},
                    "state": {"type": "string", "enum": ["open", "closed"]},
                    "merged_at": {"type": "string", "format": "date-time", "nullable": true},
                    "labels": {"type": "array", "items": {"oneOf": [
                      {"type": "string"},
                      {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
                    ]}},
                    "user": {"allOf": [
                      {"type": "object", "required": ["login"],
                       "properties": {"login": {"type": "string", "example": "octocat"}}},
                      {"type": "object", "required": ["id"],
                       "properties": {"id": {"type": "integer", "example": 1}}}
                    ]}
                  }}}}},
                "422": {"description": "invalid"}
              }
            }
          },
          "/repos/{owner}/{repo}/pulls/comments": {
            "get": {"operationId": "pulls/list-review-comments-for-repo",
                    "responses": {"200": {"description": "ok"}}}
          },
          "/repos/{owner}/{repo}/pulls/{pull_number}": {
            "get": {
              "operationId": "pulls/get",
              "parameters": [
                {"name": "owner", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "repo", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "pull_number", "in": "path", "required": true, "schema": {"type": "integer"}}
              ],
              "responses": {"200": {"description": "ok"}}
            }
          },
          "/repos/{owner}/{repo}/git/ref/{ref}": {
            "get": {
              "operationId": "git/get-ref",
              "parameters": [
                {"name": "owner", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "repo", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "ref", "in": "path", "required": true, "schema": {"type": "string"},
                 "x-multi-segment": true}
              ],
              "responses": {"200": {"description": "ok"}}
            }
          }
        }
      }
      """;

  private final OpenApiDescription api = OpenApiDescription.of(JSON.readTree(DESCRIPTION));

  @Test
  void theBasePathIsTheServersPath() {
    assertThat(api.basePath()).isEqualTo("/api/v1");
    assertThat(api.version()).isEqualTo("1.2.3");
  }

  @Test
  void aRequestIsMatchedToItsOperationByMethodAndPathTemplate() {
    Match create = api.find("POST", "/repos/acme/config/pulls").orElseThrow();
    assertThat(create.operation().id()).isEqualTo("pulls/create");
    assertThat(create.operation()).hasToString("POST /repos/{owner}/{repo}/pulls (pulls/create)");
    assertThat(create.pathParameters()).containsExactly(Map.entry("owner", "acme"), Map.entry("repo", "config"));

    // A literal path wins over a template that matches it too, as OpenAPI says.
    assertThat(api.find("GET", "/repos/acme/config/pulls/comments").orElseThrow().operation().id())
        .isEqualTo("pulls/list-review-comments-for-repo");
    assertThat(api.find("GET", "/repos/acme/config/pulls/7").orElseThrow().pathParameters())
        .containsEntry("pull_number", "7");

    // GitHub's x-multi-segment: a ref spans segments, encoded slashes or not.
    assertThat(api.find("GET", "/repos/acme/config/git/ref/heads/bumper/apps%2Fweb").orElseThrow().pathParameters())
        .containsEntry("ref", "heads/bumper/apps/web");
    // One segment for others: a slash in a repository's name is no repository.
    assertThat(api.find("GET", "/repos/acme/a/b/pulls")).isEmpty();

    assertThat(api.find("DELETE", "/repos/acme/config/pulls")).as("a method the path does not have").isEmpty();
    assertThat(api.find("GET", "/repos/acme/config/pull-requests")).isEmpty();
  }

  @Test
  void aValidRequestHasNoViolation() {
    assertThat(create("{'title':'Bump web','head':'bumper/web','base':'main','draft':false}")).isEmpty();
    assertThat(list("state=open&per_page=100&labels=a,b")).isEmpty();
  }

  @Test
  void aBodyPropertyOfTheWrongTypeIsNamedByItsJsonPath() {
    assertThat(create("{'title':5,'head':'bumper/web','base':'main'}")).singleElement().satisfies(v -> {
      assertThat(v.operation()).isEqualTo("POST /repos/{owner}/{repo}/pulls (pulls/create)");
      assertThat(v.part()).isEqualTo("request body");
      assertThat(v.jsonPath()).isEqualTo("$.title");
      assertThat(v.message()).contains("integer found, string expected");
    });
  }

  @Test
  void aMissingRequiredPropertyIsNamed() {
    assertThat(create("{'title':'Bump web','base':'main'}")).singleElement().satisfies(v -> {
      assertThat(v.jsonPath()).isEqualTo("$");
      assertThat(v.message()).contains("'head'");
      assertThat(v).hasToString("POST /repos/{owner}/{repo}/pulls (pulls/create): request body $: " + v.message());
    });
  }

  @Test
  void aPropertyTheDescriptionDoesNotNameIsAViolation() {
    // GitHub would ignore "tittle" and open a pull request without a title.
    assertThat(create("{'tittle':'Bump web','head':'bumper/web','base':'main'}"))
        .singleElement().satisfies(v -> assertThat(v.message()).contains("tittle"));
  }

  @Test
  void aBodyThatIsNoJsonOrNotTheMediaTypeOrMissingIsAViolation() {
    assertThat(create("{'head':'a','base':'b'")).singleElement()
        .satisfies(v -> assertThat(v.message()).startsWith("not JSON"));
    assertThat(create("{'head':'a','head':'b','base':'c'}")).as("a duplicate key").singleElement()
        .satisfies(v -> assertThat(v.message()).startsWith("not JSON"));
    assertThat(create("{'head':'a','base':'c'} {}")).as("two values").singleElement()
        .satisfies(v -> assertThat(v.message()).startsWith("not JSON"));
    assertThat(request("POST", "/repos/acme/config/pulls", "", "text/plain", "head=a"))
        .singleElement().satisfies(v -> assertThat(v.message()).contains("text/plain", "application/json"));
    assertThat(request("POST", "/repos/acme/config/pulls", "", null, ""))
        .singleElement().satisfies(v -> assertThat(v.message()).isEqualTo("required, and missing"));
    assertThat(request("GET", "/repos/acme/config/pulls", "", "application/json", "{}"))
        .singleElement().satisfies(v -> assertThat(v.message()).isEqualTo("the operation takes no body"));
  }

  @Test
  void parametersAreCheckedAsTheTypesTheirSchemasGive() {
    assertThat(list("state=merged")).singleElement().satisfies(v -> {
      assertThat(v.part()).isEqualTo("query parameter state");
      assertThat(v.message()).contains("merged", "enum");
    });
    assertThat(list("per_page=many")).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("string found, integer expected"));
    assertThat(list("sort=created")).singleElement().satisfies(v -> {
      assertThat(v.part()).isEqualTo("query parameter sort");
      assertThat(v.message()).isEqualTo("the operation has no such parameter");
    });
    assertThat(request("GET", "/repos/acme/config/pulls/seven", "", null, "")).singleElement()
        .satisfies(v -> assertThat(v.part()).isEqualTo("path parameter pull_number"));
  }

  @Test
  void anAnswerIsCheckedAgainstTheResponseForItsStatus() {
    Operation create = api.operation("pulls/create");
    assertThat(api.checkResponse(create, 201, json(
        "{'number':1,'state':'open','merged_at':null,'labels':['a',{'name':'b'}],"
            + "'user':{'login':'octocat','id':1}}"))).isEmpty();

    List<Violation> wrong = api.checkResponse(create, 201, json(
        "{'number':1,'state':'merged','merged_at':'yesterday','labels':[],'user':{'login':'o','id':1},"
            + "'extra':true}"));
    assertThat(wrong).extracting(Violation::jsonPath).containsExactlyInAnyOrder("$.state", "$.merged_at", "$");
    assertThat(wrong).allSatisfy(v -> assertThat(v.part()).isEqualTo("response 201 body"));

    assertThat(api.checkResponse(create, 200, json("{}"))).singleElement().satisfies(v -> {
      assertThat(v.part()).isEqualTo("response 200");
      assertThat(v.message()).contains("201, 422");
    });
    assertThat(api.checkResponse(create, 422, json("{}"))).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("no JSON body"));
    assertThat(api.checkResponse(create, 201, null)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("there is none"));
  }

  @Test
  void onlyObjectsThatAreWholeAreClosed() {
    JsonNode closed = OpenApiDescription.closed(api.responseSchema("pulls/create", 201).deepCopy(), false);
    assertThat(closed.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(closed.at("/properties/labels/items/oneOf/1/additionalProperties").asBoolean(true)).isFalse();
    // The parts of an allOf each name some of one object's properties: closing one would refuse the others'.
    assertThat(closed.at("/properties/user/allOf/0").has("additionalProperties")).isFalse();
  }

  @Test
  void theSmallestSampleOfASchemaIsValidAgainstIt() {
    JsonNode schema = api.responseSchema("pulls/create", 201);
    JsonNode sample = SchemaSamples.minimal(schema);
    assertThat(api.problems(schema, sample)).isEmpty();
    assertThat(sample).hasToString(
        json("{'number':1,'state':'open','merged_at':null,'labels':[],'user':{'login':'octocat','id':1}}").toString());
  }

  private List<Violation> create(String body) {
    return request("POST", "/repos/acme/config/pulls", "", "application/json; charset=utf-8", body);
  }

  private List<Violation> list(String query) {
    return request("GET", "/repos/acme/config/pulls", query, null, "");
  }

  /** Checks a request whose body is JSON written with ' for ", for reading's sake. */
  private List<Violation> request(String method, String path, String query, String contentType, String body) {
    Match match = api.find(method, path).orElseThrow();
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
      String[] parts = pair.split("=", 2);
      parameters.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
    }
    return api.checkRequest(match, new RequestParts(match.pathParameters(), parameters, Map.of(), contentType,
        body.replace('\'', '"').getBytes(UTF_8)));
  }

  /** JSON written with ' for ", for reading's sake. */
  private static JsonNode json(String text) {
    return JSON.readTree(text.replace('\'', '"'));
  }
}
