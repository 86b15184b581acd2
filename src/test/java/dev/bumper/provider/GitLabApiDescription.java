package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bumper.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitLab's REST API for merge requests as an {@link OpenApiDescription}: the requests from
 * GitLab's own OpenAPI description (an excerpt of {@code doc/api/openapi/openapi_v2.yaml}, in
 * src/test/data/gitlab-api with its SOURCES.md), the answers and GET /users from what GitLab's
 * documentation says of them ({@code merge-requests.yaml} beside it), which the description
 * leaves untyped or out.
 *
 * <p>GitLab's description is Swagger 2.0 with references; {@link OpenApiDescription} reads OpenAPI
 * 3.0 with every reference replaced, so it is turned into that here: a parameter's type becomes
 * its schema, the {@code in: body} parameter the request body, and each status the description
 * lists is answered with the documented schema (2xx) or GitLab's error body (4xx). A status the
 * description does not list stays one the server may not answer.
 */
final class GitLabApiDescription {
  static final String EXCERPT = "openapi_v2.merge-requests.yaml";
  static final String DOCUMENTED = "merge-requests.yaml";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** What a Swagger 2.0 parameter says of its value that is a schema's in OpenAPI 3.0. */
  private static final List<String> SCHEMA_KEYS = List.of("type", "format", "items", "enum",
      "default", "minimum", "maximum", "pattern");
  private static OpenApiDescription description;

  private GitLabApiDescription() {}

  /** The joined description, built once per JVM. */
  static synchronized OpenApiDescription load() {
    if (description == null) {
      description = OpenApiDescription.of(document(yaml(EXCERPT), yaml(DOCUMENTED)));
    }
    return description;
  }

  /** A YAML file of src/test/data/gitlab-api as JSON nodes. */
  static JsonNode yaml(String name) {
    Path file = TestData.dir("gitlab-api").resolve(name);
    try {
      Object value = new Load(LoadSettings.builder().build())
          .loadFromString(Files.readString(file, UTF_8));
      return JSON.valueToTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The OpenAPI 3.0 document of GitLab's excerpt {@code gitlab} with the documented parts. */
  static ObjectNode document(JsonNode gitlab, JsonNode documented) {
    ObjectNode document = NODES.objectNode();
    document.put("openapi", "3.0.3");
    ObjectNode info = document.putObject("info");
    info.put("title", gitlab.path("info").path("title").asString("GitLab API"));
    info.put("version", gitlab.path("info").path("version").asString(""));
    // The description's paths start with /api/v4, so the server is the host alone.
    document.putArray("servers").addObject().put("url", "https://"
        + gitlab.path("host").asString("gitlab.com"));
    ObjectNode paths = document.putObject("paths");
    JsonNode definitions = gitlab.path("definitions");
    JsonNode schemas = documented.path("schemas");
    JsonNode error = resolve(documented.path("errors").path("schema"), schemas, Set.of());
    for (Map.Entry<String, JsonNode> path : gitlab.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
        JsonNode op = method.getValue();
        JsonNode answers = documented.path("answers").path(op.path("operationId").asString());
        ObjectNode converted = operation(op, definitions, schemas);
        ObjectNode responses = converted.putObject("responses");
        for (Map.Entry<String, JsonNode> status : op.path("responses").properties()) {
          JsonNode schema = status.getKey().startsWith("2")
              ? resolve(answers.path(status.getKey()), schemas, Set.of())
              : status.getKey().startsWith("4") ? error : null;
          if (status.getKey().startsWith("2") && answers.path(status.getKey()).isMissingNode()) {
            throw new IllegalStateException(op.path("operationId").asString() + " "
                + status.getKey() + ": merge-requests.yaml documents no answer");
          }
          responses.set(status.getKey(),
              response(status.getValue().path("description").asString(""), schema));
        }
        paths.withObjectProperty(path.getKey()).set(method.getKey(), converted);
      }
    }
    for (Map.Entry<String, JsonNode> entry : documented.path("operations").properties()) {
      JsonNode op = entry.getValue();
      ObjectNode converted = operation(op, definitions, schemas);
      converted.put("operationId", entry.getKey());
      ObjectNode responses = converted.putObject("responses");
      for (Map.Entry<String, JsonNode> status : op.path("responses").properties()) {
        JsonNode schema = status.getValue().has("schema")
            ? resolve(status.getValue().get("schema"), schemas, Set.of())
            : status.getKey().startsWith("4") ? error : null;
        responses.set(status.getKey(),
            response(status.getValue().path("description").asString(""), schema));
      }
      paths.withObjectProperty(op.path("path").asString())
          .set(op.path("method").asString(), converted);
    }
    return document;
  }

  private static ObjectNode operation(JsonNode op, JsonNode definitions, JsonNode schemas) {
    ObjectNode converted = NODES.objectNode();
    converted.put("operationId", op.path("operationId").asString(""));
    ArrayNode parameters = converted.putArray("parameters");
    for (JsonNode parameter : op.path("parameters")) {
      if (parameter.path("in").asString().equals("body")) {
        ObjectNode body = converted.putObject("requestBody");
        body.put("required", parameter.path("required").asBoolean(false));
        body.putObject("content").putObject("application/json")
            .set("schema", resolve(parameter.path("schema"), definitions, Set.of()));
        continue;
      }
      ObjectNode param = parameters.addObject();
      param.put("name", parameter.path("name").asString());
      param.put("in", parameter.path("in").asString());
      param.put("required", parameter.path("required").asBoolean(false));
      ObjectNode schema = param.putObject("schema");
      for (String key : SCHEMA_KEYS) {
        if (parameter.has(key)) {
          schema.set(key, resolve(parameter.get(key), schemas, Set.of()));
        }
      }
    }
    return converted;
  }

  private static ObjectNode response(String description, JsonNode schema) {
    ObjectNode response = NODES.objectNode();
    response.put("description", description);
    if (schema != null) {
      response.putObject("content").putObject("application/json").set("schema", schema);
    }
    return response;
  }

  /**
   * {@code node} with every {@code $ref} to {@code #/definitions/NAME} or {@code #/schemas/NAME}
   * replaced by a copy of what {@code named} holds under NAME.
   */
  static JsonNode resolve(JsonNode node, JsonNode named, Set<String> seen) {
    if (node.isObject() && node.has("$ref")) {
      String ref = node.get("$ref").asString();
      String name = ref.substring(ref.lastIndexOf('/') + 1);
      if (!named.has(name)) {
        throw new IllegalStateException("no definition " + ref);
      }
      if (seen.contains(name)) {
        throw new IllegalStateException("a definition that contains itself: " + ref);
      }
      Set<String> deeper = new HashSet<>(seen);
      deeper.add(name);
      return resolve(named.get(name), named, deeper);
    }
    if (node.isObject()) {
      ObjectNode copy = NODES.objectNode();
      node.properties().forEach(e -> copy.set(e.getKey(), resolve(e.getValue(), named, seen)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      node.forEach(item -> copy.add(resolve(item, named, seen)));
      return copy;
    }
    return node.deepCopy();
  }
}
