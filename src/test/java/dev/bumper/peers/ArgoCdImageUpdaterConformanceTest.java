package dev.bumper.peers;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.bumper.TestData;
import dev.bumper.cli.Main;
import dev.bumper.kustomize.ImageArg;
import dev.bumper.kustomize.KustomizationImages;
import dev.bumper.manifest.ArgoCdOverrideFile;
import dev.bumper.manifest.BumpRequest;
import dev.bumper.manifest.FileBump;
import dev.bumper.manifest.ManifestBumper;
import dev.bumper.manifest.PathAssignment;
import dev.bumper.manifest.PathExpression;
import dev.bumper.manifest.ValueChange;
import dev.bumper.yaml.EditedYaml;
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
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Argo CD Image Updater's tests of what its git write-back writes ({@code
 * pkg/argocd/update_test.go} and {@code git_test.go}), kept as data in {@code
 * src/test/data/peers/argocd-image-updater}, run through bumper's own code for the same files: the
 * {@code .argocd-source-APP.yaml} override files ({@link ArgoCdOverrideFile}), Helm values files
 * ({@code bump-manifest --set --create-keys}) and kustomizations ({@code kustomize-set-image}). A
 * user moving from the updater gets the same file, or the same refusal, or a difference
 * DIVERGENCES.md explains.
 *
 * <p>Where a case names a command line, it is run as well, on the same files: what is written or
 * refused there, and the exit code, are the command's promises, not the core's.
 */
class ArgoCdImageUpdaterConformanceTest {

  /** The upstream subtests SOURCES.md maps, at the commit it names (two split in two parts). */
  private static final int UPSTREAM_CASES = 132;

  /** TestIsSafePlainScalar's 5 safe and 20 unsafe values. */
  private static final int DERIVED_CASES = 25;

  private static final String DATA = "peers/argocd-image-updater";

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> updaterTestTables() throws IOException {
    List<Map<String, Object>> cases = maps(data().get("cases"));
    // A case lost in an edit of the data file would otherwise pass unnoticed.
    assertThat(cases).hasSize(UPSTREAM_CASES);
    return cases.stream().map(c -> DynamicTest.dynamicTest(title(c), () -> check(c)));
  }

  @TestFactory
  Stream<DynamicTest> isSafePlainScalarValuesWrittenByBumper() throws IOException {
    List<Map<String, Object>> cases = maps(data().get("derivedCases"));
    assertThat(cases).hasSize(DERIVED_CASES);
    return cases.stream().map(c -> DynamicTest.dynamicTest(title(c), () -> checkDerived(c)));
  }

  @Test
  void everyDivergenceNamedByACaseIsExplainedAndEveryExplanationIsUsed() throws IOException {
    String text = Files.readString(TestData.dir(DATA).resolve("DIVERGENCES.md"));
    Set<String> named = new TreeSet<>();
    Set<String> open = new TreeSet<>();
    for (Map<String, Object> c : maps(data().get("cases"))) {
      if (c.get("divergence") != null) {
        named.addAll(strings(c.get("divergence")));
      }
      if (c.get("open") != null) {
        open.add(string(c, "open"));
      }
      // A verdict and its explanation must go together, both ways.
      assertThat(c.get("divergence") != null || !c.get("compare").equals("divergent"))
          .as("%s: a divergent case names its reason", c.get("id"))
          .isTrue();
      assertThat(c.get("open") != null).as("%s: open names its entry", c.get("id"))
          .isEqualTo(c.get("compare").equals("open"));
    }
    assertThat(named).isEqualTo(headings(text, "D"));
    assertThat(open).isEqualTo(headings(text, "O"));
  }

  @Test
  void theVerdictCountsAreThoseSourcesMdGives() throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    int exact = 0;
    for (Map<String, Object> c : maps(data().get("cases"))) {
      counts.merge(string(c, "compare"), 1, Integer::sum);
      if (Boolean.TRUE.equals(c.get("exact"))) {
        exact++;
      }
    }
    assertThat(counts).isEqualTo(Map.of("bytes", 62, "tree", 6, "parts", 7, "asserts", 21,
        "refused", 15, "divergent", 21));
    assertThat(exact).isEqualTo(58);
    // SOURCES.md states them for the README's comparison table to cite: keep them one truth.
    String sources = Files.readString(TestData.dir(DATA).resolve("SOURCES.md"));
    assertThat(sources.replaceAll("\\s+", " ")).contains(
        "132 cases: 62 agree by bytes (58 byte for byte, 4 after the upstream's TrimSpace), 6 by"
            + " tree, 7 by parsed SPEC, 21 meet every upstream assertion, 15 refused by both, 21"
            + " diverge on purpose; 25 derived cases agree, 5 by bytes and 20 by tree.");
  }

  @Test
  void theLicenceIsTheUpdatersFileByteForByte() throws Exception {
    // As for the corpus: a copied file is checked by the blob id SOURCES.md records for it.
    byte[] licence = Files.readAllBytes(TestData.dir(DATA).resolve("LICENSE"));
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    sha1.update(("blob " + licence.length + "\0").getBytes(US_ASCII));
    assertThat(HexFormat.of().formatHex(sha1.digest(licence)))
        .isEqualTo("261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64");
  }

  private void check(Map<String, Object> c) throws IOException {
    String compare = string(c, "compare");
    int exit = c.containsKey("exit") ? (Integer) c.get("exit") : 0;
    // The verdict must fit what upstream asserts: "refused" only where the updater fails too.
    assertThat(c.get("upstreamCompare").equals("error")).isEqualTo(compare.equals("refused"));
    if (c.get("input") == null && !string(c, "target").equals("image-arg")) {
      // no file content: only the command line can say what bumper does with the path
      assertThat(compare).isEqualTo("refused");
      checkCommandLine(c, null);
      return;
    }
    Outcome got = run(c);
    assertThat(got.exit()).as(got.message()).isEqualTo(exit);
    if (exit != 0) {
      assertThat(compare).isIn("refused", "divergent", "open");
      assertThat(got.message()).contains(string(c, "error"));
      if (c.containsKey("cli")) {
        checkCommandLine(c, null);
      }
      return;
    }
    String output = got.text();
    // a parsed SPEC's expected value is its parts, any other case's a text
    String expected = c.get("expected") instanceof String text ? text : null;
    String bumper = string(c, "bumper");
    switch (compare) {
      case "bytes" -> {
        assertThat(bumper).as("bytes cases record no output of bumper's own").isNull();
        if ((Boolean) c.get("exact")) {
          assertThat(output).isEqualTo(expected);
        } else {
          // Upstream compares strings.TrimSpace of both: the line breaks around a Go raw string
          // are the test's layout, not the updater's output.
          assertThat(output).isNotEqualTo(expected);
          assertThat(output.strip()).isEqualTo(expected.strip());
        }
      }
      case "tree" -> {
        assertThat(output).isEqualTo(bumper != null ? bumper : expected);
        if (string(c, "upstreamCompare").equals("elementsMatch")) {
          assertThat(kustomizeImages(output)).containsExactlyInAnyOrderElementsOf(
              kustomizeImages(expected));
        } else {
          assertThat(tree(output)).isEqualTo(tree(expected));
        }
      }
      case "parts" -> {
        Map<String, Object> parts = map(c.get("expected"));
        assertThat(got.parts()).isEqualTo(new ImageArg(string(parts, "name"),
            string(parts, "newName"), string(parts, "newTag"), string(parts, "digest")));
      }
      case "asserts" -> checkAsserts(c, got);
      case "divergent", "open" -> {
        assertThat(output).isEqualTo(bumper);
        if (expected != null) {
          // Both ways: a "false" left behind after bumper came to agree would hide the agreement.
          assertThat(tree(output).equals(tree(expected)))
              .as("parses to the updater's documents").isEqualTo(c.get("sameTree"));
        }
        if (c.containsKey("sameEntries")) {
          assertThat(sortedImages(tree(output)).equals(sortedImages(tree(expected))))
              .as("the same images entries, in another order").isEqualTo(c.get("sameEntries"));
        }
      }
      default -> throw new AssertionError("a case with exit 0 cannot be " + compare);
    }
    if (c.containsKey("cli")) {
      checkCommandLine(c, output);
    }
  }

  /** An upstream test that asserts parts of the result: each of its assertions, on bumper's. */
  private static void checkAsserts(Map<String, Object> c, Outcome got) {
    Map<String, Object> asserts = map(c.get("asserts"));
    String output = got.text();
    if (asserts.containsKey("found")) {
      // A read: the --set of a probe value changes exactly the scalar the updater reads.
      Map<String, Object> found = map(asserts.get("found"));
      assertThat(got.changes()).hasSize(1);
      assertThat(got.changes().get(0).old()).isEqualTo(found.get("old"));
      assertThat(got.changes().get(0).line()).isEqualTo(found.get("line"));
      return;
    }
    assertThat(output).isEqualTo(string(c, "bumper"));
    for (String part : listOrEmpty(asserts.get("contains"))) {
      assertThat(output).contains(part);
    }
    for (String part : listOrEmpty(asserts.get("notContains"))) {
      assertThat(output).doesNotContain(part);
    }
    if (asserts.containsKey("startsWith")) {
      assertThat(output).startsWith(string(asserts, "startsWith"));
    }
    if (asserts.containsKey("notStartsWith")) {
      assertThat(output).doesNotStartWith(string(asserts, "notStartsWith"));
    }
    if (asserts.containsKey("values")) {
      for (Map.Entry<String, Object> value : map(asserts.get("values")).entrySet()) {
        assertThat(valueAt(tree(output).get(0), PathExpression.parse(value.getKey())))
            .as(value.getKey()).isEqualTo(value.getValue());
      }
    }
    for (String path : listOrEmpty(asserts.get("absent"))) {
      assertThat(valueAt(tree(output).get(0), PathExpression.parse(path))).as(path).isNull();
    }
  }

  /**
   * TestIsSafePlainScalar's verdicts: a value the updater may patch in unquoted comes out as its
   * in-place patch does, byte for byte; any other is written so that it reads back as the same
   * string, never plain, since YAML 1.1 readers such as Helm take {@code yes} or {@code 1.20}
   * for a boolean or a number.
   */
  private static void checkDerived(Map<String, Object> c) {
    Outcome got = run(c);
    assertThat(got.exit()).as(got.message()).isZero();
    String value = string(c, "value");
    assertThat(got.changes()).extracting(ValueChange::old, ValueChange::now)
        .containsExactly(tuple("v0.0.0", value));
    ScalarNode tag = scalarAt(got.text(), "config", "image", "tag");
    assertThat(tag.getValue()).isEqualTo(value);
    assertThat(tag.getScalarStyle() == ScalarStyle.PLAIN).as("written plain")
        .isEqualTo(c.get("plain"));
    if (string(c, "compare").equals("bytes")) {
      assertThat(got.text()).isEqualTo(string(c, "expected"));
    } else {
      Map<String, Object> after = map(tree(got.text()).get(0));
      assertThat(valueAt(after, PathExpression.parse("config.image.tag"))).isEqualTo(value);
      map(map(after.get("config")).get("image")).put("tag", "v0.0.0");
      assertThat(List.of(after)).isEqualTo(tree(string(c, "input")));
    }
  }

  /** What bumper's core does with the case: the new text, or the refusal as an exit code. */
  private static Outcome run(Map<String, Object> c) {
    String target = string(c, "target");
    String path = string(c, "path");
    try {
      switch (target) {
        case "override-kustomize", "override-helm" -> {
          String text = string(c, "input");
          int cycles = c.containsKey("cycles") ? (Integer) c.get("cycles") : 1;
          EditedYaml edited = null;
          for (int i = 0; i < cycles; i++) {
            SourceText source = SourceText.of(path, text);
            edited = target.equals("override-kustomize")
                ? ArgoCdOverrideFile.kustomize(source, strings(c.get("images")))
                : ArgoCdOverrideFile.helm(source, parameters(c));
            text = edited.newText();
          }
          if (cycles == 1) {
            assertThat(edited.changed()).isEqualTo(!text.equals(string(c, "input")));
          }
          return new Outcome(0, "", text, List.of(), null);
        }
        case "kustomization" -> {
          EditedYaml edited = KustomizationImages.set(SourceText.of(path, string(c, "input")),
              ImageArg.parseAll(strings(c.get("images")))).edited();
          assertThat(edited.changed()).isEqualTo(!edited.newText().equals(string(c, "input")));
          return new Outcome(0, "", edited.newText(), List.of(), null);
        }
        case "image-arg" -> {
          return new Outcome(0, "", null, List.of(), ImageArg.parse(string(c, "image")));
        }
        case "helm-values" -> {
          return setValues(c);
        }
        default -> throw new AssertionError("unknown target " + target);
      }
    } catch (IllegalArgumentException e) {
      // bumper's request errors (a path, an image, a SPEC): the command line's exit 2
      return new Outcome(2, e.getMessage(), null, List.of(), null);
    } catch (InvalidYamlException e) {
      return new Outcome(4, e.getMessage(), null, List.of(), null);
    }
  }

  /** {@code bump-manifest --set ... [--create-keys]} as its core runs it on one file. */
  private static Outcome setValues(Map<String, Object> c) {
    List<PathAssignment> sets = new ArrayList<>();
    for (String set : strings(c.get("set"))) {
      sets.add(PathAssignment.parse(set));
    }
    String path = string(c, "path");
    boolean createKeys = (Boolean) c.get("createKeys");
    BumpRequest request = new BumpRequest(List.of(), sets, List.of(), createKeys);
    String input = string(c, "input");
    FileBump result = new ManifestBumper(request).bump(path, SourceText.of(path, input));
    BitSet matched = result.matched();
    int unmatched = matched.nextClearBit(0);
    if (unmatched < sets.size()) {
      return new Outcome(3, "--set " + sets.get(unmatched) + " matched nothing", null, List.of(),
          null);
    }
    assertThat(result.changed()).isEqualTo(!result.edited().newText().equals(input));
    return new Outcome(0, "", result.edited().newText(), result.changes(), null);
  }

  /**
   * The case's command line in a temporary root holding its files: the exit code, the message,
   * and what is on disk after it (the core's output, or every file as it was).
   */
  private void checkCommandLine(Map<String, Object> c, String written) throws IOException {
    Map<String, Object> cli = map(c.get("cli"));
    Path root = Files.createTempDirectory(tmp, "root");
    Map<Path, String> files = new LinkedHashMap<>();
    if (cli.get("files") != null) {
      for (Map.Entry<String, Object> file : map(cli.get("files")).entrySet()) {
        files.put(root.resolve(file.getKey()), (String) file.getValue());
      }
    }
    Path path = cli.get("path") == null ? null : root.resolve(string(cli, "path"));
    String input = string(c, "input");
    // An override file from nothing is no file at all; a values file or kustomization is given.
    boolean override = string(c, "target").startsWith("override-");
    if (path != null && input != null && !(override && input.isEmpty())) {
      files.put(path, input);
    }
    for (Map.Entry<Path, String> file : files.entrySet()) {
      Files.createDirectories(file.getKey().getParent());
      Files.writeString(file.getKey(), file.getValue(), UTF_8);
    }
    List<String> args = new ArrayList<>();
    for (String arg : strings(cli.get("args"))) {
      args.add(arg.replace("{root}", root.toString()));
    }
    int exit = (Integer) cli.get("exit");
    int cycles = c.containsKey("cycles") ? (Integer) c.get("cycles") : 1;
    for (int i = 0; i < cycles; i++) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code;
      try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
        code = Main.run(args.toArray(String[]::new), o, e, Map.of("NO_COLOR", "1", "TERM", "dumb"));
      }
      assertThat(code).as(err.toString()).isEqualTo(exit);
      if (exit != 0) {
        String error = string(cli, "error").replace("{root}", root.toString());
        assertThat(err.toString()).contains(error);
      }
    }
    if (exit == 0) {
      assertThat(Files.readString(path, UTF_8)).as("the file the command line writes")
          .isEqualTo(written);
      return;
    }
    for (Map.Entry<Path, String> file : files.entrySet()) {
      assertThat(Files.readString(file.getKey(), UTF_8)).as("%s after a refused run", file.getKey())
          .isEqualTo(file.getValue());
    }
    if (path != null && !files.containsKey(path)) {
      assertThat(path).as("no file written by a refused run").doesNotExist();
    }
  }

  /** The scalar at a path of mapping keys in the first document of a text, with its style. */
  private static ScalarNode scalarAt(String text, String... keys) {
    Node node = new Compose(LoadSettings.builder().build()).composeString(text).orElseThrow();
    for (String key : keys) {
      Node next = null;
      for (NodeTuple tuple : ((MappingNode) node).getValue()) {
        if (((ScalarNode) tuple.getKeyNode()).getValue().equals(key)) {
          next = tuple.getValueNode();
        }
      }
      node = next;
    }
    return (ScalarNode) node;
  }

  /** The value a path names in a loaded document, or null where it has none. */
  private static Object valueAt(Object node, PathExpression path) {
    for (PathExpression.Segment segment : path.segments()) {
      if (node == null) {
        return null;
      }
      if (segment instanceof PathExpression.Key key) {
        node = map(node).get(key.name());
      } else if (segment instanceof PathExpression.Index index) {
        node = list(node).get(index.index());
      } else {
        PathExpression.Select select = (PathExpression.Select) segment;
        node = list(node).stream()
            .filter(item -> select.value().equals(String.valueOf(map(item).get(select.key()))))
            .findFirst()
            .orElse(null);
      }
    }
    return node;
  }

  /** An override file's {@code kustomize.images}, as the updater's merge reads them. */
  private static List<String> kustomizeImages(String text) {
    Object images = map(map(tree(text).get(0)).get("kustomize")).get("images");
    return images == null ? List.of() : strings(images);
  }

  /** A kustomization's documents with its {@code images} entries in name order. */
  private static List<Object> sortedImages(List<Object> documents) {
    List<Object> sorted = new ArrayList<>();
    for (Object document : documents) {
      Map<String, Object> copy = new LinkedHashMap<>(map(document));
      List<Map<String, Object>> images = new ArrayList<>(maps(copy.get("images")));
      images.sort((a, b) -> string(a, "name").compareTo(string(b, "name")));
      copy.put("images", images);
      sorted.add(copy);
    }
    return sorted;
  }

  /** Every document of a stream, as plain maps, lists and scalars: comments and styles gone. */
  private static List<Object> tree(String text) {
    List<Object> documents = new ArrayList<>();
    new Load(LoadSettings.builder().build()).loadAllFromString(text).forEach(documents::add);
    return documents;
  }

  private static Map<String, String> parameters(Map<String, Object> c) {
    Map<String, String> parameters = new LinkedHashMap<>();
    map(c.get("parameters")).forEach((name, value) -> parameters.put(name, (String) value));
    return parameters;
  }

  private static Set<String> headings(String markdown, String letter) {
    Set<String> ids = new TreeSet<>();
    Matcher heading = Pattern.compile("(?m)^## (" + letter + "\\d+)\\b").matcher(markdown);
    while (heading.find()) {
      ids.add(heading.group(1));
    }
    return ids;
  }

  private static Map<String, Object> data() throws IOException {
    Path file = TestData.dir(DATA).resolve("cases.yaml");
    return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
  }

  private static String title(Map<String, Object> c) {
    String subtest = c.get("subtest") == null ? "" : " / " + c.get("subtest");
    return c.get("id") + " [" + c.get("compare") + "] " + c.get("test") + subtest;
  }

  private static String string(Map<String, Object> map, String key) {
    return (String) map.get(key);
  }

  private static List<String> listOrEmpty(Object value) {
    return value == null ? List.of() : strings(value);
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

  /**
   * What the core gives: an exit code (0, or the command line's code for its refusal) and
   * message, the new text, the values --set changed, and a parsed SPEC.
   */
  private record Outcome(
      int exit, String message, String text, List<ValueChange> changes, ImageArg parts) {}
}
