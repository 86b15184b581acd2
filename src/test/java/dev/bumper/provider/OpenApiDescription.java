package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAPI 3.0 description, dereferenced (every {@code $ref} already replaced by what it names,
 * as {@code @octokit/openapi} ships GitHub's), turned into the checks a simulated provider makes:
 * which operation a request is, whether the description allows the request, and whether an answer
 * is one the description says the operation gives.
 *
 * <p>Schemas are checked by networknt's JSON Schema validator in its OpenAPI 3.0 dialect, so
 * {@code nullable}, {@code oneOf}, enums and formats mean what they mean to the provider. One rule
 * is stricter than the description: an object schema that lists its properties and says nothing
 * about others is taken as closed, in requests and answers alike. GitHub ignores a property it
 * does not know, so a misspelt field sent by bumper would otherwise pass unnoticed, and a fake
 * that answered a field GitHub never sends would let bumper come to rely on it.
 */
final class OpenApiDescription {
  private static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)\\}");
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /** One operation of the description, named as the provider's documentation names it. */
  record Operation(String method, String template, String id, JsonNode node) {
    @Override
    public String toString() {
      return method + " " + template + (id == null ? "" : " (" + id + ")");
    }
  }

  /** An operation and the values of its path's parameters, percent-decoded. */
  record Match(Operation operation, Map<String, String> pathParameters) {}

  /**
   * Something the description does not allow: in which operation (or request line, when there is
   * no such operation), which part of the exchange, where in its JSON ({@code $.head}; empty when
   * the part is not JSON), and what.
   */
  record Violation(String operation, String part, String jsonPath, String message) {
    @Override
    public String toString() {
      return operation + ": " + part + (jsonPath.isEmpty() ? "" : " " + jsonPath) + ": " + message;
    }
  }

  /** What a request carries besides its operation, as the server read it. */
  record RequestParts(
      Map<String, String> pathParameters,
      Map<String, List<String>> query,
      Map<String, List<String>> headers,
      String contentType,
      byte[] body) {}

  private record PathEntry(String template, Pattern pattern, List<String> names, int literals, JsonNode item) {}

  private final JsonNode document;
  private final String basePath;
  private final List<PathEntry> paths = new ArrayList<>();
  private final Map<String, Operation> byId = new LinkedHashMap<>();
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30(),
      builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
          .pathType(PathType.JSON_PATH).formatAssertionsEnabled(true).build()));
  private final Map<JsonNode, Schema> schemas = new IdentityHashMap<>();
  private final Map<JsonNode, Schema> openSchemas = new IdentityHashMap<>();

  private OpenApiDescription(JsonNode document) {
    this.document = document;
    this.basePath = basePath(document);
    document.path("paths").properties().forEach(entry -> {
      String template = entry.getKey();
      JsonNode item = entry.getValue();
      paths.add(compile(template, item));
      for (String method : METHODS) {
        JsonNode operation = item.get(method);
        if (operation != null) {
          Operation op = new Operation(method.toUpperCase(Locale.ROOT), template,
              operation.path("operationId").stringValue(null), operation);
          if (op.id() != null) {
            byId.put(op.id(), op);
          }
        }
      }
    });
  }

  static OpenApiDescription load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new OpenApiDescription(JSON.readTree(in));
    }
  }

  static OpenApiDescription of(JsonNode document) {
    return new OpenApiDescription(document);
  }

  /** The path of the first server's URL ("" for {@code https://api.github.com}), without a trailing slash. */
  String basePath() {
    return basePath;
  }

  /** The version the description gives itself ({@code info.version}). */
  String version() {
    return document.path("info").path("version").asString("");
  }

  Operation operation(String id) {
    Operation op = byId.get(id);
    if (op == null) {
      throw new IllegalArgumentException("the description has no operation " + id);
    }
    return op;
  }

  /**
   * The operation that {@code method} on {@code rawPath} (below the base path, still
   * percent-encoded) is. A path without parameters wins over a template that also matches, as
   * OpenAPI says; a parameter matches one path segment unless the description marks it
   * {@code x-multi-segment} (GitHub's {@code ref}: {@code heads/feature/x}).
   */
  Optional<Match> find(String method, String rawPath) {
    PathEntry best = null;
    Matcher bestMatch = null;
    for (PathEntry entry : paths) {
      Matcher m = entry.pattern().matcher(rawPath);
      if (m.matches() && entry.item().has(method.toLowerCase(Locale.ROOT))
          && (best == null || entry.literals() > best.literals())) {
        best = entry;
        bestMatch = m;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < best.names().size(); i++) {
      values.put(best.names().get(i), URLDecoder.decode(bestMatch.group(i + 1).replace("+", "%2B"), UTF_8));
    }
    JsonNode node = best.item().get(method.toLowerCase(Locale.ROOT));
    Operation op = new Operation(method.toUpperCase(Locale.ROOT), best.template(),
        node.path("operationId").stringValue(null), node);
    return Optional.of(new Match(op, values));
  }

  /** Everything the description does not allow in this request to {@code op}. */
  List<Violation> checkRequest(Match match, RequestParts request) {
    Operation op = match.operation();
    List<Violation> found = new ArrayList<>();
    Map<String, JsonNode> declared = parameters(op);
    for (String name : request.query().keySet()) {
      if (!declared.containsKey("query:" + name)) {
        found.add(new Violation(op.toString(), "query parameter " + name, "",
            "the operation has no such parameter"));
      }
    }
    for (JsonNode parameter : declared.values()) {
      String name = parameter.path("name").asString();
      String in = parameter.path("in").asString();
      List<String> values = switch (in) {
        case "path" -> request.pathParameters().containsKey(name)
            ? List.of(request.pathParameters().get(name)) : List.of();
        case "query" -> request.query().getOrDefault(name, List.of());
        case "header" -> request.headers().getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        default -> null; // cookies: nothing sends them
      };
      if (values == null) {
        continue;
      }
      String part = in + " parameter " + name;
      if (values.isEmpty()) {
        if (parameter.path("required").asBoolean(false)) {
          found.add(new Violation(op.toString(), part, "", "required, and missing"));
        }
        continue;
      }
      JsonNode schema = parameter.path("schema");
      for (com.networknt.schema.Error error : schema(schema, false).validate(typed(parameter, schema, values))) {
        // A header's value is left out: it may be a credential, and violations are printed.
        String given = in.equals("header") ? "" : " (given: " + String.join(", ", values) + ")";
        found.add(new Violation(op.toString(), part, "", error.getMessage() + given));
      }
    }
    found.addAll(checkBody(op, request.contentType(), request.body()));
    return found;
  }

  private List<Violation> checkBody(Operation op, String contentType, byte[] body) {
    JsonNode requestBody = op.node().get("requestBody");
    String part = "request body";
    if (requestBody == null) {
      return body.length == 0 ? List.of()
          : List.of(new Violation(op.toString(), part, "", "the operation takes no body"));
    }
    if (body.length == 0) {
      return requestBody.path("required").asBoolean(false)
          ? List.of(new Violation(op.toString(), part, "", "required, and missing")) : List.of();
    }
    String mediaType = mediaType(contentType);
    JsonNode content = requestBody.path("content");
    if (!content.has(mediaType)) {
      return List.of(new Violation(op.toString(), part, "", "Content-Type " + contentType
          + " is not one the operation takes (" + String.join(", ", content.propertyNames()) + ")"));
    }
    if (!json(mediaType)) {
      return List.of();
    }
    JsonNode value;
    try {
      value = JSON.readTree(body);
    } catch (JacksonException e) {
      return List.of(new Violation(op.toString(), part, "", "not JSON: " + e.getOriginalMessage()));
    }
    return schemaViolations(op.toString(), part, content.path(mediaType).path("schema"), value);
  }

  /**
   * Everything the description does not allow in the answer {@code status} with {@code body}
   * (null for none) to {@code op}: a status it does not list, a body where it gives none or none
   * where it gives one, a body its schema does not allow.
   */
  List<Violation> checkResponse(Operation op, int status, JsonNode body) {
    String part = "response " + status + " body";
    JsonNode response = response(op, status);
    if (response == null) {
      return List.of(new Violation(op.toString(), "response " + status, "",
          "the description gives no such status for this operation (it gives "
              + String.join(", ", op.node().path("responses").propertyNames()) + ")"));
    }
    JsonNode content = response.path("content");
    JsonNode media = jsonMedia(content);
    if (body == null) {
      return media == null ? List.of()
          : List.of(new Violation(op.toString(), part, "", "the description gives a body, and there is none"));
    }
    if (media == null) {
      return List.of(new Violation(op.toString(), part, "", "the description gives no JSON body for this status"));
    }
    return schemaViolations(op.toString(), part, media.path("schema"), body);
  }

  /** The schema of the JSON body of {@code id}'s answer {@code status}, for fakes to build answers from. */
  JsonNode responseSchema(String id, int status) {
    Operation op = operation(id);
    JsonNode response = response(op, status);
    JsonNode media = response == null ? null : jsonMedia(response.path("content"));
    if (media == null) {
      throw new IllegalArgumentException(op + " gives no JSON body for " + status);
    }
    return media.path("schema");
  }

  /** What the schema, closed as the class comment says, finds wrong with {@code value}, one line each. */
  List<String> problems(JsonNode schema, JsonNode value) {
    List<String> found = new ArrayList<>();
    for (com.networknt.schema.Error error : schema(schema, true).validate(value)) {
      found.add(error.getInstanceLocation() + ": " + error.getMessage());
    }
    return found;
  }

  private List<Violation> schemaViolations(String operation, String part, JsonNode schema, JsonNode value) {
    List<Violation> found = new ArrayList<>();
    for (com.networknt.schema.Error error : schema(schema, true).validate(value)) {
      found.add(new Violation(operation, part, error.getInstanceLocation().toString(), error.getMessage()));
    }
    return found;
  }

  /**
   * The compiled schema, once per schema node of the description (compiling GitHub's pull request
   * takes longer than checking one), closed or as written.
   */
  private Schema schema(JsonNode schema, boolean closed) {
    synchronized (schemas) {
      Map<JsonNode, Schema> cache = closed ? schemas : openSchemas;
      return cache.computeIfAbsent(schema,
          s -> registry.getSchema(closed ? closed(s.deepCopy(), false) : s));
    }
  }

  /**
   * {@code schema} with {@code additionalProperties: false} on every object that lists properties
   * and says nothing of others, except where a sibling or parent {@code allOf}/{@code anyOf}
   * spreads one object's properties over several schemas (closing each would refuse the others').
   */
  static JsonNode closed(JsonNode schema, boolean shared) {
    if (schema.isArray()) {
      for (JsonNode item : schema) {
        closed(item, shared);
      }
      return schema;
    }
    if (!schema.isObject()) {
      return schema;
    }
    ObjectNode object = (ObjectNode) schema;
    boolean spread = object.has("allOf") || object.has("anyOf");
    if (!shared && !spread && object.has("properties") && !object.has("additionalProperties")) {
      object.put("additionalProperties", false);
    }
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      switch (entry.getKey()) {
        case "properties" -> entry.getValue().forEach(property -> closed(property, false));
        case "allOf", "anyOf" -> closed(entry.getValue(), true);
        case "oneOf", "items", "not", "additionalProperties" -> closed(entry.getValue(), false);
        default -> { } // examples, descriptions, enums: values, not schemas
      }
    }
    return schema;
  }

  /** The operation's parameters by "in:name", the path's own first, the operation's over them. */
  private Map<String, JsonNode> parameters(Operation op) {
    Map<String, JsonNode> parameters = new LinkedHashMap<>();
    JsonNode item = document.path("paths").path(op.template());
    for (JsonNode source : List.of(item.path("parameters"), op.node().path("parameters"))) {
      for (JsonNode parameter : source) {
        parameters.put(parameter.path("in").asString() + ":" + parameter.path("name").asString(), parameter);
      }
    }
    return parameters;
  }

  /**
   * A parameter's text as the JSON value its schema describes: "17" is 17 for an integer, so that
   * "abc" is reported as a string where an integer belongs; an array is every value given, or the
   * comma-separated parts of one when the parameter is not exploded.
   */
  private static JsonNode typed(JsonNode parameter, JsonNode schema, List<String> values) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if ("array".equals(schema.path("type").asString(""))) {
      // OpenAPI's default styles: form (exploded) in the query, simple (comma-separated) elsewhere.
      String in = parameter.path("in").asString();
      boolean explode = parameter.path("explode").asBoolean(in.equals("query") || in.equals("cookie"));
      List<String> items = explode ? values : List.of(values.get(0).split(",", -1));
      ArrayNode array = nodes.arrayNode();
      for (String item : items) {
        array.add(scalar(schema.path("items"), item));
      }
      return array;
    }
    return scalar(schema, values.get(values.size() - 1));
  }

  private static JsonNode scalar(JsonNode schema, String text) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    try {
      return switch (schema.path("type").asString("")) {
        case "integer" -> text.matches("-?\\d+") ? nodes.numberNode(new BigInteger(text)) : nodes.stringNode(text);
        case "number" -> nodes.numberNode(new BigDecimal(text));
        case "boolean" -> text.equals("true") || text.equals("false")
            ? nodes.booleanNode(Boolean.parseBoolean(text)) : nodes.stringNode(text);
        default -> nodes.stringNode(text);
      };
    } catch (NumberFormatException e) {
      return nodes.stringNode(text);
    }
  }

  private static JsonNode response(Operation op, int status) {
    JsonNode responses = op.node().path("responses");
    String exact = Integer.toString(status);
    if (responses.has(exact)) {
      return responses.get(exact);
    }
    String range = exact.charAt(0) + "XX";
    return responses.has(range) ? responses.get(range) : responses.get("default");
  }

  private static JsonNode jsonMedia(JsonNode content) {
    for (Map.Entry<String, JsonNode> media : content.properties()) {
      if (json(mediaType(media.getKey()))) {
        return media.getValue();
      }
    }
    return null;
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  private static boolean json(String mediaType) {
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  private static PathEntry compile(String template, JsonNode item) {
    Map<String, Boolean> multiSegment = new LinkedHashMap<>();
    for (JsonNode source : item) {
      for (JsonNode parameter : source.isObject() ? source.path("parameters") : source) {
        if ("path".equals(parameter.path("in").asString(""))
            && parameter.path("x-multi-segment").asBoolean(false)) {
          multiSegment.put(parameter.path("name").asString(), true);
        }
      }
    }
    StringBuilder regex = new StringBuilder();
    List<String> names = new ArrayList<>();
    Matcher m = PARAMETER.matcher(template);
    int last = 0;
    int literals = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start())));
      literals += m.start() - last;
      names.add(m.group(1));
      regex.append(multiSegment.getOrDefault(m.group(1), false) ? "(.+)" : "([^/]+)");
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    literals += template.length() - last;
    return new PathEntry(template, Pattern.compile(regex.toString()), names, literals, item);
  }

  private static String basePath(JsonNode document) {
    String url = document.path("servers").path(0).path("url").asString("/");
    String path = URI.create(url.replaceAll("\\{[^}]*\\}", "x")).getPath();
    return path == null || path.equals("/") ? "" : path.replaceAll("/+$", "");
  }
}
