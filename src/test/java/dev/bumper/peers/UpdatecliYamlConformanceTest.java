package dev.bumper.peers;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.TestData;
import dev.bumper.cli.Main;
import dev.bumper.manifest.BumpRequest;
import dev.bumper.manifest.FileBump;
import dev.bumper.manifest.ManifestBumper;
import dev.bumper.manifest.PathAssignment;
import dev.bumper.manifest.PathExpression;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * updatecli's YAML target tests ({@code pkg/plugins/resources/yaml/target_test.go}), kept as data
 * in {@code src/test/data/peers/updatecli-yaml}, run through bumper's core as
 * {@code bump-manifest --set KEY=VALUE} would run them: a user moving from updatecli gets the same
 * bytes, or a refusal where updatecli refuses, or a difference DIVERGENCES.md explains.
 *
 * <p>Where a case is a refusal, the command line is run as well: the exit code and "nothing
 * written" are the command's promises, not the core's.
 */
class UpdatecliYamlConformanceTest {

  /** Test_Target has 21 entries and Test_TargetFromSCM 3 at the commit SOURCES.md names. */
  private static final int UPSTREAM_CASES = 24;

  private static final int DERIVED_CASES = 11;

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> updatecliTargetTests() throws IOException {
    List<Map<String, Object>> cases = maps(data().get("cases"));
    // A case lost in an edit of the data file would otherwise pass unnoticed.
    assertThat(cases).hasSize(UPSTREAM_CASES);
    return cases.stream().map(c -> DynamicTest.dynamicTest(title(c), () -> check(c)));
  }

  @TestFactory
  Stream<DynamicTest> noOpWhateverTheScalarStyle() throws IOException {
    List<Map<String, Object>> cases = maps(data().get("derivedCases"));
    assertThat(cases).hasSize(DERIVED_CASES);
    return cases.stream().map(c -> DynamicTest.dynamicTest(title(c), () -> {
      // Not upstream data: a no-op proves something only if the input really holds the value.
      for (Map<String, Object> file : maps(c.get("files"))) {
        for (String key : strings(c.get("keys"))) {
          assertThat(valueAt(tree(string(file, "input")).get(0), PathExpression.parse(key)))
              .as("%s holds the value at %s", file.get("path"), key)
              .isEqualTo(c.get("value"));
        }
      }
      check(c);
    }));
  }

  @Test
  void everyDivergenceNamedByACaseIsExplainedAndEveryExplanationIsUsed() throws IOException {
    String text = Files.readString(TestData.dir("peers/updatecli-yaml").resolve("DIVERGENCES.md"));
    Set<String> explained = new TreeSet<>();
    Matcher heading = Pattern.compile("(?m)^## (D\\d+)\\b").matcher(text);
    while (heading.find()) {
      explained.add(heading.group(1));
    }
    Set<String> named = new TreeSet<>();
    for (Map<String, Object> c : allCases()) {
      if (c.get("divergence") != null) {
        named.addAll(strings(c.get("divergence")));
      }
    }
    assertThat(named).isEqualTo(explained);
  }

  @Test
  void theVerdictCountsAreThoseSourcesMdGives() throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    for (Map<String, Object> c : maps(data().get("cases"))) {
      counts.merge(string(c, "compare"), 1, Integer::sum);
    }
    assertThat(counts).isEqualTo(Map.of("bytes", 14, "divergent", 6, "refused", 4));
    // SOURCES.md states them for the README's comparison table to cite: keep them one truth.
    String sources = Files.readString(TestData.dir("peers/updatecli-yaml").resolve("SOURCES.md"));
    assertThat(sources).contains(
        "24 cases: 14 agree by bytes, 0 by tree, 4 refused by both, 6 diverge on purpose, 0 open; "
            + "11 derived no-op cases agree by bytes.");
  }

  @Test
  void theLicenceIsUpdatecliFileByteForByte() throws Exception {
    // As for the corpus: a copied file is checked by the blob id SOURCES.md records for it.
    byte[] licence = Files.readAllBytes(TestData.dir("peers/updatecli-yaml").resolve("LICENSE"));
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    sha1.update(("blob " + licence.length + "\0").getBytes(US_ASCII));
    assertThat(HexFormat.of().formatHex(sha1.digest(licence)))
        .isEqualTo("6c0955e1cd2681012fbc14a1d169dea6fe5f001d");
  }

  private void check(Map<String, Object> c) throws IOException {
    List<PathAssignment> sets = new ArrayList<>();
    for (String key : strings(c.get("keys"))) {
      sets.add(PathAssignment.parse(key + "=" + c.get("value")));
    }
    int exit = (Integer) c.get("exit");
    String compare = string(c, "compare");
    Map<String, Object> updatecli = map(c.get("updatecli"));
    if (updatecli != null) {
      // The verdict must fit what upstream asserts: "refused" only where updatecli fails too.
      assertThat(updatecli.get("wantedError")).isEqualTo(compare.equals("refused"));
    }
    if (exit != 0) {
      checkCommandLine(c, sets);
    }
    if (c.containsKey("cliPaths")) {
      return; // no file content: only the command line can say what bumper does with the PATH
    }
    Outcome got = bump(sets, maps(c.get("files")));
    assertThat(got.exit()).as(got.message()).isEqualTo(exit);
    if (exit == 4) {
      assertThat(got.message()).isEqualTo(c.get("error"));
      return;
    }
    if (exit != 0) {
      return; // what was written, nothing, is checked on the command line above
    }
    assertThat(got.changed()).isEqualTo(c.get("changed"));
    if (compare.equals("bytes") && updatecli != null) {
      assertThat(got.changed()).as("changed, as updatecli's wantedResult").isEqualTo(
          updatecli.get("wantedResult"));
    }
    for (Map<String, Object> file : maps(c.get("files"))) {
      String path = string(file, "path");
      String expected = string(file, "expected");
      String output = got.outputs().get(path);
      if (compare.equals("bytes")) {
        assertThat(output).as(path).isEqualTo(expected);
        assertThat(file).as("%s: bytes cases record no output of bumper's own", path)
            .doesNotContainKey("bumper");
      } else {
        // divergent: bumper's own bytes, recorded where they are not updatecli's
        String bumper = file.containsKey("bumper") ? string(file, "bumper") : expected;
        assertThat(output).as(path).isEqualTo(bumper);
        // Both ways: a "false" left behind after bumper came to agree would hide the agreement.
        assertThat(tree(output).equals(tree(expected)))
            .as("%s parses to updatecli's documents", path)
            .isEqualTo(c.get("sameTree"));
      }
    }
    if (compare.equals("divergent")) {
      // Only the files where bumper's bytes are not updatecli's can carry the divergence.
      assertThat(maps(c.get("files"))).anyMatch(f -> f.containsKey("bumper"));
    }
  }

  /** The core, as bump-manifest drives it: every file, then "matched nothing" is exit 3. */
  private static Outcome bump(List<PathAssignment> sets, List<Map<String, Object>> files) {
    ManifestBumper bumper = new ManifestBumper(new BumpRequest(List.of(), sets, List.of()));
    BitSet matched = new BitSet();
    Map<String, String> outputs = new LinkedHashMap<>();
    boolean changed = false;
    try {
      for (Map<String, Object> file : files) {
        String path = string(file, "path");
        FileBump result = bumper.bump(path, SourceText.of(path, string(file, "input")));
        matched.or(result.matched());
        outputs.put(path, result.edited().newText());
        changed |= result.changed();
      }
    } catch (InvalidYamlException e) {
      return new Outcome(4, e.getMessage(), Map.of(), false);
    }
    int unmatched = matched.nextClearBit(0);
    if (unmatched < sets.size()) {
      return new Outcome(3, "--set " + sets.get(unmatched) + " matched nothing", outputs, false);
    }
    return new Outcome(0, "", outputs, changed);
  }

  /** A refusal on the command line: its exit code, its message, and every file as it was. */
  private void checkCommandLine(Map<String, Object> c, List<PathAssignment> sets)
      throws IOException {
    Path root = Files.createTempDirectory(tmp, "root");
    List<String> args = new ArrayList<>(List.of("bump-manifest", "-C", root.toString()));
    for (PathAssignment set : sets) {
      args.add("--set");
      args.add(set.toString());
    }
    Map<String, String> inputs = new LinkedHashMap<>();
    for (Map<String, Object> file : maps(c.get("files"))) {
      String path = string(file, "path");
      inputs.put(path, string(file, "input"));
      Files.writeString(root.resolve(path), inputs.get(path), UTF_8);
      args.add(path);
    }
    if (c.containsKey("cliPaths")) {
      args.addAll(strings(c.get("cliPaths")));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      code = Main.run(args.toArray(String[]::new), o, e, Map.of("NO_COLOR", "1", "TERM", "dumb"));
    }
    assertThat(code).as(err.toString()).isEqualTo(c.get("exit"));
    assertThat(err.toString()).contains(string(c, "error"));
    for (Map.Entry<String, String> input : inputs.entrySet()) {
      assertThat(Files.readString(root.resolve(input.getKey()), UTF_8))
          .as("%s after a refused run", input.getKey())
          .isEqualTo(input.getValue());
    }
  }

  /** The value a path names in a loaded document, walked as bumper walks composed nodes. */
  private static Object valueAt(Object node, PathExpression path) {
    for (PathExpression.Segment segment : path.segments()) {
      if (segment instanceof PathExpression.Key key) {
        node = map(node).get(key.name());
      } else if (segment instanceof PathExpression.Index index) {
        node = list(node).get(index.index());
      } else {
        PathExpression.Select select = (PathExpression.Select) segment;
        node = list(node).stream()
            .filter(item -> select.value().equals(String.valueOf(map(item).get(select.key()))))
            .findFirst()
            .orElseThrow();
      }
    }
    return node;
  }

  /** Every document of a stream, as plain maps, lists and scalars: comments and styles gone. */
  private static List<Object> tree(String text) {
    List<Object> documents = new ArrayList<>();
    new Load(LoadSettings.builder().build()).loadAllFromString(text).forEach(documents::add);
    return documents;
  }

  private static Map<String, Object> data() throws IOException {
    Path file = TestData.dir("peers/updatecli-yaml").resolve("cases.yaml");
    return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
  }

  private static List<Map<String, Object>> allCases() throws IOException {
    Map<String, Object> data = data();
    List<Map<String, Object>> all = new ArrayList<>(maps(data.get("cases")));
    all.addAll(maps(data.get("derivedCases")));
    return all;
  }

  private static String title(Map<String, Object> c) {
    return c.get("id") + " [" + c.get("compare") + "] " + c.get("name");
  }

  private static String string(Map<String, Object> map, String key) {
    return (String) map.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object value) {
    return (List<String>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object value) {
    return (List<Map<String, Object>>) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  /** What a run gives: exit code, message, each file's new text, and whether any changed. */
  private record Outcome(int exit, String message, Map<String, String> outputs, boolean changed) {}
}
