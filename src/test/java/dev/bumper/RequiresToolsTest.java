package dev.bumper;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test class names in {@code @RequiresTools} the programs it runs and the npm packages it
 * reads, itself or through the helpers it uses, so that on a machine without one it is skipped and
 * listed rather than failed (and under CI=true fails naming the program or package).
 */
class RequiresToolsTest {
  /** A command ("skopeo") or an npm package ("@octokit/openapi") as a string literal. */
  private static final Pattern LITERAL = Pattern.compile("\"(@?[a-z][a-z0-9./-]*)\"");
  private static final Pattern DECLARED = Pattern.compile("@RequiresTools\\(\\{?([^)}]*)\\}?\\)");
  private static final Pattern TEST_CLASS = Pattern.compile("\\w+(Test|IT)");

  @Test
  void everyTestClassDeclaresTheProgramsItRunsDirectlyOrThroughItsHelpers() throws IOException {
    Set<String> table = tableCommands();
    Map<String, String> sources = sources();
    Map<String, Set<String>> direct = new HashMap<>();
    sources.forEach((name, text) -> direct.put(name, literals(text, table)));

    Map<String, Set<String>> undeclared = new TreeMap<>();
    for (Map.Entry<String, String> source : sources.entrySet()) {
      if (!TEST_CLASS.matcher(source.getKey()).matches()) {
        continue;
      }
      Set<String> needed = needs(source.getKey(), sources, direct, new HashSet<>());
      needed.removeAll(declared(source.getValue()));
      if (!needed.isEmpty()) {
        undeclared.put(source.getKey(), needed);
      }
    }
    assertThat(undeclared).as("programs run but not named in @RequiresTools").isEmpty();
  }

  @Test
  void everyDeclaredProgramIsInTheTableWithItsPackage() throws IOException {
    Set<String> table = tableCommands();
    for (String text : sources().values()) {
      assertThat(table).containsAll(declared(text));
    }
    assertThat(Tools.find("git")).as("git is a given, not in the table").isPresent();
  }

  @Test
  void everyNpmPackageIsPinnedToOneVersion() throws IOException {
    // A range would let two machines check bumper against two different API descriptions.
    for (String[] row : table()) {
      if (row[1].startsWith("npm:")) {
        assertThat(row[1]).as(row[0]).matches("npm:" + Pattern.quote(row[0]) + "@\\d+\\.\\d+\\.\\d+");
      }
    }
  }

  /** The programs a source runs: its own literals, and those of the helpers it names. */
  private static Set<String> needs(
      String name, Map<String, String> sources, Map<String, Set<String>> direct, Set<String> seen) {
    Set<String> needed = new TreeSet<>(direct.get(name));
    seen.add(name);
    for (String helper : sources.keySet()) {
      if (!seen.contains(helper) && !TEST_CLASS.matcher(helper).matches()
          && Pattern.compile("\\b" + helper + "\\b").matcher(sources.get(name)).find()) {
        needed.addAll(needs(helper, sources, direct, seen));
      }
    }
    return needed;
  }

  private static Set<String> literals(String text, Set<String> table) {
    Set<String> found = new TreeSet<>();
    Matcher m = LITERAL.matcher(text);
    while (m.find()) {
      if (table.contains(m.group(1))) {
        found.add(m.group(1));
      }
    }
    return found;
  }

  private static Set<String> declared(String text) {
    Matcher m = DECLARED.matcher(text);
    Set<String> declared = new TreeSet<>();
    if (m.find()) {
      for (String part : m.group(1).split(",")) {
        declared.add(part.strip().replace("\"", ""));
      }
    }
    return declared;
  }

  private static Set<String> tableCommands() throws IOException {
    Set<String> commands = new TreeSet<>();
    for (String[] row : table()) {
      commands.add(row[0]);
    }
    return commands;
  }

  private static List<String[]> table() throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(TestData.projectDir().resolve("src/test/tools.tsv"), UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] columns = line.split("\t");
        assertThat(columns).as(line).hasSize(3);
        rows.add(columns);
      }
    }
    return rows;
  }

  /** Test sources by simple class name, without this class (whose literals are patterns). */
  private static Map<String, String> sources() throws IOException {
    Map<String, String> sources = new TreeMap<>();
    try (Stream<Path> files = Files.walk(TestData.projectDir().resolve("src/test/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String name = file.getFileName().toString().replace(".java", "");
        if (!List.of("RequiresToolsTest", "Tools").contains(name)) {
          sources.put(name, Files.readString(file, UTF_8));
        }
      }
    }
    return sources;
  }
}
