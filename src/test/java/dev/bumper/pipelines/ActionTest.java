package dev.bumper.pipelines;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bumper.RequiresTools;
import dev.bumper.TestData;
import dev.bumper.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Action (action.yml) and the example workflows that use it, read by GitHub's own
 * parser ({@code @actions/workflow-parser}, pinned in src/test/tools.tsv, run with node); the
 * inputs the README documents are the action's, and the examples give only those.
 */
@RequiresTools({"node", "@actions/workflow-parser"})
class ActionTest {
  private static final Path PROJECT = TestData.projectDir();
  private static final Pattern INPUT_ROW = Pattern.compile("^\\| `([a-z-]+)` \\|", Pattern.MULTILINE);

  @TempDir Path tmp;

  private static List<Path> workflows() throws IOException {
    try (Stream<Path> files = Files.list(PROJECT.resolve("examples/app/.github/workflows"))) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  /** Runs the parser script on FILES; its output, one line per error. */
  private static String parse(String kind, List<Path> files) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Tools.path("node"),
        PROJECT.resolve("src/test/js/github-parse.mjs").toString(),
        Tools.npmPackage("@actions/workflow-parser").toString(), kind));
    files.forEach(f -> command.add(f.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("node did not finish");
    }
    return p.exitValue() + "\n" + out;
  }

  @Test
  void theExampleWorkflowsParseWithGitHubsParser() throws Exception {
    List<Path> files = workflows();
    assertThat(files).isNotEmpty();
    assertThat(parse("workflow", files)).isEqualTo("0\n");
  }

  @Test
  void theActionParsesWithGitHubsParser() throws Exception {
    assertThat(parse("action", List.of(PROJECT.resolve("action.yml")))).isEqualTo("0\n");
  }

  @Test
  void theParserRefusesWhatGitHubWouldRefuse() throws Exception {
    Path workflow = Files.writeString(tmp.resolve("bad.yml"), """
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-24.04
            steps:
              - uses: bumper-dev/bumper@v0.1.0
                with: {version: 0.1.0}
                env-vars: {A: b}
              - run: echo ${{ inputs.version( }}
        """);
    assertThat(parse("workflow", List.of(workflow)))
        .startsWith("1\n").contains("Unexpected value 'env-vars'").contains("Unexpected symbol: '('");
    Path action = Files.writeString(tmp.resolve("action.yml"), """
        name: x
        description: y
        runs:
          using: composite
          steps:
            - run: echo
        """);
    assertThat(parse("action", List.of(action))).startsWith("1\n").contains("Required property is missing: shell");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theActionHasEveryInputTheReadmeDocumentsAndNoOther() throws IOException {
    Map<String, Object> action = (Map<String, Object>) SemaphoreSchema.yaml(PROJECT.resolve("action.yml"));
    Set<String> inputs = ((Map<String, Object>) action.get("inputs")).keySet();
    String readme = Files.readString(PROJECT.resolve("README.md"), UTF_8);
    int start = readme.indexOf("\n### GitHub Action\n");
    assertThat(start).as("README has a GitHub Action section").isPositive();
    int end = readme.indexOf("\n#", start + 2);
    Set<String> documented = new LinkedHashSet<>();
    Matcher row = INPUT_ROW.matcher(readme.substring(start, end < 0 ? readme.length() : end));
    while (row.find()) {
      documented.add(row.group(1));
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(inputs);
    for (String input : inputs) {
      assertThat((Map<String, Object>) ((Map<String, Object>) action.get("inputs")).get(input))
          .as(input).containsKey("description");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theExamplesGiveTheActionOnlyItsInputsAndEveryRequiredOne() throws IOException {
    Map<String, Object> action = (Map<String, Object>) SemaphoreSchema.yaml(PROJECT.resolve("action.yml"));
    Map<String, Object> inputs = (Map<String, Object>) action.get("inputs");
    int uses = 0;
    for (Path file : workflows()) {
      Map<String, Object> workflow = (Map<String, Object>) SemaphoreSchema.yaml(file);
      for (Object job : ((Map<String, Object>) workflow.get("jobs")).values()) {
        for (Object step : (List<Object>) ((Map<String, Object>) job).getOrDefault("steps", List.of())) {
          Map<String, Object> s = (Map<String, Object>) step;
          if (!String.valueOf(s.get("uses")).startsWith("bumper-dev/bumper@")) {
            continue;
          }
          uses++;
          Map<String, Object> with = (Map<String, Object>) s.getOrDefault("with", Map.of());
          assertThat(inputs.keySet()).as(file + ": inputs given").containsAll(with.keySet());
          inputs.forEach((name, spec) -> {
            if (Boolean.TRUE.equals(((Map<String, Object>) spec).get("required"))) {
              assertThat(with).as(file + ": required input " + name).containsKey(name);
            }
          });
        }
      }
    }
    assertThat(uses).as("steps that use the action").isPositive();
  }
}
