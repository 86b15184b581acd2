package dev.bumper.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.TestData;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Semaphore pipeline of the project and of {@code examples/} is valid against Semaphore's
 * own pipeline schema; and the validator is shown to agree with the schema's own fixtures first,
 * so that "valid" means what Semaphore means by it.
 */
class SemaphorePipelinesTest {
  private static final Path PROJECT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

  private static Path schemaDir;
  private static SemaphoreSchema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    schemaDir = TestData.dir("semaphore-schema");
    schema = SemaphoreSchema.load(schemaDir.resolve("pipeline-v1.0.schema.yml"));
  }

  @Test
  void theSchemasFixturesAreAllThere() throws IOException {
    List<Path> fixtures = fixtures();
    assertThat(fixtures).hasSize(57);
    assertThat(fixtures).filteredOn(f -> f.getFileName().toString().endsWith(".fail.yml")).hasSize(33);
  }

  @TestFactory
  Stream<DynamicTest> theValidatorAgreesWithEveryFixture() throws IOException {
    return fixtures().stream()
        .map(
            fixture ->
                DynamicTest.dynamicTest(
                    fixture.getFileName().toString(),
                    () -> {
                      List<String> problems = schema.problems(fixture);
                      if (fixture.getFileName().toString().endsWith(".fail.yml")) {
                        assertThat(problems).as("%s must be invalid", fixture.getFileName()).isNotEmpty();
                      } else {
                        assertThat(problems).as("%s must be valid", fixture.getFileName()).isEmpty();
                      }
                    }));
  }

  @Test
  void theProjectsPipelinesAreFound() throws IOException {
    assertThat(pipelines())
        .contains(
            ".semaphore/semaphore.yml",
            ".semaphore/release.yml",
            ".semaphore/full.yml",
            "examples/app/.semaphore/semaphore.yml",
            "examples/app/.semaphore/deploy-staging.yml",
            "examples/app/.semaphore/deploy-production.yml",
            "examples/app/.semaphore/terraform-plan.yml",
            "examples/app/.semaphore/terraform-apply.yml");
  }

  @TestFactory
  Stream<DynamicTest> everyPipelineIsValid() throws IOException {
    return pipelines().stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      Path file = PROJECT.resolve(name);
                      assertThat(schema.problems(file)).as(name).isEmpty();
                      assertThat(PipelineRules.problems(file, SemaphoreSchema.yaml(file))).as(name).isEmpty();
                    }));
  }

  @Test
  void theRulesBeyondTheSchemaCatchWhatTheyAreFor(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("semaphore.yml");
    Files.writeString(
        file,
        """
        version: v1.0
        agent: {machine: {type: f1-standard-2}}
        blocks:
          - name: a
            dependencies: []
            task: {jobs: [{commands: [true]}]}
          - name: a
            task: {jobs: [{commands: [true]}]}
          - name: c
            dependencies: [b]
            task: {jobs: [{commands: [true]}]}
        promotions:
          - name: Release
            pipeline_file: release.yml
        """);
    assertThat(PipelineRules.problems(file, SemaphoreSchema.yaml(file)))
        .containsExactlyInAnyOrder(
            "two blocks are named 'a'",
            "some blocks declare dependencies and others do not",
            "block 'c' depends on no block named 'b'",
            "promotion 'Release' names a missing pipeline file release.yml");
  }

  private static List<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(schemaDir.resolve("fixtures"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".yml")).sorted().toList();
    }
  }

  /** Every YAML file in a {@code .semaphore} directory, relative to the project, sorted. */
  private static List<String> pipelines() throws IOException {
    List<String> found = new ArrayList<>();
    Files.walkFileTree(
        PROJECT,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
            boolean skip = !dir.equals(PROJECT) && (name.equals(".git") || name.equals("target") || name.equals("node_modules"));
            return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String name = file.getFileName().toString();
            boolean yaml = name.endsWith(".yml") || name.endsWith(".yaml");
            if (yaml && file.getParent().getFileName().toString().equals(".semaphore")) {
              found.add(PROJECT.relativize(file).toString().replace('\\', '/'));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    found.sort(null);
    return found;
  }
}
