package dev.bumper.provider;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The smallest value a schema of a provider's description allows: its required properties only,
 * null where null is allowed, the description's own example for a scalar that has one. A fake
 * starts its answers from these and sets the fields its state decides (a pull request's number,
 * branches, state), because GitHub's pull request alone requires some 200 properties across its
 * nested repositories and users, and writing them by hand would drift from the description.
 */
final class SchemaSamples {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A valid value of each format GitHub's description uses on strings without an example. */
  private static final Map<String, String> FORMATS = Map.of(
      "date-time", "2011-01-26T19:01:12Z",
      "date", "2011-01-26",
      "uri", "https://github.com/octocat",
      "uri-template", "https://api.github.com/repos/octocat/Hello-World{/path}",
      "email", "octocat@github.com",
      "uuid", "aa8c1a4f-1c0d-4b7a-9b8e-0d2f2c4a6e5b",
      "hostname", "github.com",
      "ipv4", "192.0.2.1",
      "ipv6", "2001:db8::1");

  private SchemaSamples() {}

  static JsonNode minimal(JsonNode schema) {
    if (schema.has("enum")) {
      for (JsonNode value : schema.get("enum")) {
        if (!value.isNull()) {
          return value.deepCopy();
        }
      }
    }
    if (schema.path("nullable").asBoolean(false)) {
      return NODES.nullNode();
    }
    if (schema.has("allOf")) {
      ObjectNode merged = NODES.objectNode();
      for (JsonNode part : schema.get("allOf")) {
        JsonNode sample = minimal(part);
        if (!sample.isObject()) {
          return sample;
        }
        merged.setAll((ObjectNode) sample);
      }
      return merged;
    }
    for (String choice : new String[] {"oneOf", "anyOf"}) {
      if (schema.has(choice)) {
        return minimal(schema.get(choice).get(0));
      }
    }
    JsonNode example = schema.get("example");
    String type = schema.path("type").asString(
        schema.has("properties") ? "object" : schema.has("items") ? "array" : "");
    switch (type) {
      case "object" -> {
        ObjectNode object = NODES.objectNode();
        for (JsonNode name : schema.path("required")) {
          object.set(name.asString(), minimal(schema.path("properties").path(name.asString())));
        }
        return object;
      }
      case "array" -> {
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; i < schema.path("minItems").asInt(0); i++) {
          array.add(minimal(schema.path("items")));
        }
        return array;
      }
      case "string" -> {
        if (example != null && example.isString()) {
          return example.deepCopy();
        }
        return NODES.stringNode(FORMATS.getOrDefault(schema.path("format").asString(""), ""));
      }
      case "integer" -> {
        return example != null && example.isIntegralNumber() ? example.deepCopy()
            : NODES.numberNode(schema.path("minimum").asLong(1));
      }
      case "number" -> {
        return example != null && example.isNumber() ? example.deepCopy()
            : NODES.numberNode(schema.path("minimum").asDouble(1));
      }
      case "boolean" -> {
        return example != null && example.isBoolean() ? example.deepCopy() : NODES.booleanNode(false);
      }
      default -> {
        // No type: the schema allows any value, and null is the smallest.
        return NODES.nullNode();
      }
    }
  }
}
