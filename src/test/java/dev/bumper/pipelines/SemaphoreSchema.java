package dev.bumper.pipelines;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Semaphore's pipeline schema (JSON Schema draft-04, written in YAML), applied to pipeline YAML
 * files read the way Semaphore reads them: as YAML 1.2, duplicate keys refused.
 */
final class SemaphoreSchema {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Schema schema;

  private SemaphoreSchema(Schema schema) {
    this.schema = schema;
  }

  static SemaphoreSchema load(Path schemaFile) throws IOException {
    JsonNode node = tree(schemaFile);
    return new SemaphoreSchema(
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(node));
  }

  /** The file as a JSON tree; an empty file is {@code null}, as YAML has it. */
  static JsonNode tree(Path yamlFile) throws IOException {
    return JSON.valueToTree(yaml(yamlFile));
  }

  static Object yaml(Path yamlFile) throws IOException {
    String text = Files.readString(yamlFile, StandardCharsets.UTF_8);
    return new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build()).loadFromString(text);
  }

  /** What the schema finds wrong with the file, one line each; empty when it is valid. */
  List<String> problems(Path yamlFile) throws IOException {
    List<Error> errors = schema.validate(tree(yamlFile));
    return errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
  }
}
