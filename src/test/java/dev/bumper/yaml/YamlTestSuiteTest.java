package dev.bumper.yaml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * Runs composing and one-scalar editing over every case of the official YAML test suite (release
 * {@code data-2022-01-17}, copied to {@code src/test/data/yaml-test-suite}; see its SOURCES.md).
 *
 * <p>Valid cases: every one-line, non-empty scalar is replaced, one edit at a time, and the result
 * is checked independently of {@link YamlEditor}'s own self-check: the exact new text, and the
 * value read back at the same path. Invalid cases (with an {@code error} file): composing either
 * refuses them with {@link InvalidYamlException} or accepts them, and never fails any other way.
 */
class YamlTestSuiteTest {

  /** Values written in the first pass: plain-safe, and with a ':' that must not start a mapping. */
  private static final List<String> FIRST_PASS = List.of("bumped/value:1.2");

  /** Values written in the second pass: both read as non-strings when plain, so need quotes. */
  private static final List<String> SECOND_PASS = List.of("0.10", "yes");

  /**
   * Valid cases (no {@code error} file) that SnakeYAML Engine refuses to parse: known parser
   * limitations, with a fragment of the parser's message. Each entry is asserted to still fail, so
   * the list shrinks when the parser improves (remove the entry then).
   */
  private static final Map<String, String> KNOWN_PARSER_LIMITATIONS = knownParserLimitations();

  private static Map<String, String> knownParserLimitations() {
    Map<String, String> m = new LinkedHashMap<>();

    // Empty (omitted) implicit keys in block mappings, "': value'" and "'? a' + ': b'" forms.
    String blockColon = "while parsing a block mapping: expected <block end>, but found ':'";
    for (String id : List.of("2JQS", "6M2F", "M2N8/00", "NHX8", "NKF9", "S3PD", "SM9W/01",
        "UKK6/00")) {
      m.put(id, blockColon);
    }

    // Empty implicit keys in flow collections, or plain scalars in flow starting with ':'.
    String flowColon = "while parsing a flow node: expected the node content, but found ':'";
    for (String id : List.of("58MP", "5T43", "CFD4", "DBG4", "FRK4", "HM87/00")) {
      m.put(id, flowColon);
    }

    // Flow mapping keys whose ':' is on a later line (multi-line keys, JSON-like keys).
    String flowNextLine = "while parsing a flow mapping: expected ',' or '}', but got :";
    for (String id : List.of("4MUZ/00", "4MUZ/01", "4MUZ/02", "5MUD", "9SA2", "K3WX", "NJ66",
        "UT92", "VJP3/01")) {
      m.put(id, flowNextLine);
    }

    // A document after "..." or a zero-indented block scalar, without "---" (YAML 1.2 bare docs).
    String documentStart = "expected '<document start>', but found";
    for (String id : List.of("7Z25", "DK3J", "FP8R", "M7A3")) {
      m.put(id, documentStart);
    }

    // "..." ending a document that has no content.
    String emptyDocument = "expected the node content, but found '<document end>'";
    m.put("HWV9", emptyDocument);
    m.put("QT73", emptyDocument);

    // Tabs as separation white space where YAML 1.2 allows them.
    String tab = "found character '\\t(TAB)' that cannot start any token";
    for (String id : List.of("6CA3", "HS5T", "Q5MG")) {
      m.put(id, tab);
    }
    m.put("UV7Q", "while parsing a block collection: expected <block end>, but found '<scalar>'");
    m.put("NB6Z", "while parsing a block mapping: expected <block end>, but found '<scalar>'");

    // Single cases.
    // "%!PS-Adobe-2.0" inside a literal block scalar read as a directive.
    m.put("W4TN", "while scanning a directive: expected alphabetic or numeric character");
    m.put("WZ62", "while scanning a tag: expected ' ', but found ','"); // "!!str," in flow
    // An anchor name with '*' in it.
    m.put("W5VH", "while scanning an anchor: unexpected character found *");
    return Collections.unmodifiableMap(m);
  }

  /** Every case's outcome, filled by the case tests, or by the summary for cases not yet run. */
  private final Map<String, CaseResult> results = new ConcurrentHashMap<>();

  /** Cases whose test failed: reported there, so the summary does not run them again. */
  private final Set<String> failed = ConcurrentHashMap.newKeySet();

  @TestFactory
  Stream<DynamicTest> yamlTestSuite() throws IOException {
    List<TestCase> cases = findCases(TestData.dir("yaml-test-suite"));
    List<DynamicTest> tests = new ArrayList<>();
    for (TestCase c : cases) {
      tests.add(DynamicTest.dynamicTest(c.id() + ": " + c.title(), c.folder().toUri(),
          () -> {
            try {
              results.computeIfAbsent(c.id(), id -> run(c));
            } catch (Throwable t) {
              failed.add(c.id());
              throw t;
            }
          }));
    }
    tests.add(DynamicTest.dynamicTest("summary", () -> summary(cases)));
    return tests.stream();
  }

  // ---- Cases ----

  record TestCase(String id, String title, Path folder, boolean error) {}

  /** Case folders: {@code ID/} with an {@code in.yaml}, or {@code ID/NN/} for sub-cases. */
  private static List<TestCase> findCases(Path dir) throws IOException {
    List<TestCase> cases = new ArrayList<>();
    try (Stream<Path> ids = Files.list(dir)) {
      for (Path idDir : ids.filter(Files::isDirectory).sorted().toList()) {
        if (Files.exists(idDir.resolve("in.yaml"))) {
          cases.add(testCase(idDir.getFileName().toString(), idDir));
          continue;
        }
        try (Stream<Path> subs = Files.list(idDir)) {
          for (Path sub : subs.filter(p -> Files.exists(p.resolve("in.yaml"))).sorted().toList()) {
            cases.add(testCase(idDir.getFileName() + "/" + sub.getFileName(), sub));
          }
        }
      }
    }
    return cases;
  }

  private static TestCase testCase(String id, Path folder) throws IOException {
    Path titleFile = folder.resolve("===");
    String title = Files.exists(titleFile) ? Files.readString(titleFile, UTF_8).strip() : "";
    return new TestCase(id, title, folder, Files.exists(folder.resolve("error")));
  }

  /** What one case did. */
  record CaseResult(
      boolean error,
      boolean rejected,
      boolean parserLimitation,
      int scalars,
      int edits,
      int refused,
      Map<String, Integer> skips) {}

  private CaseResult run(TestCase c) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(c.folder().resolve("in.yaml"));
    } catch (IOException e) {
      throw new AssertionError("cannot read " + c.folder(), e);
    }
    return c.error() ? runInvalid(c, bytes) : runValid(c, bytes);
  }

  // ---- Invalid cases ----

  private CaseResult runInvalid(TestCase c, byte[] bytes) {
    SourceText source = SourceText.decode(c.id(), bytes);
    try {
      ComposedYaml.compose(source);
    } catch (InvalidYamlException e) {
      assertThat(e.reason()).as("reason").isNotBlank();
      assertThat(e.file()).isEqualTo(c.id());
      Optional<Mark> mark = parserMark(source);
      if (mark.isPresent()) {
        // The parser located the problem: the exception must carry that line (1-based).
        assertThat(e.line()).as("line of %s", e.getMessage()).isGreaterThanOrEqualTo(1)
            .isEqualTo(mark.get().getLine() + 1);
        assertThat(e.column()).as("column of %s", e.getMessage()).isGreaterThanOrEqualTo(1);
      } else {
        assertThat(e.line()).as("line of %s", e.getMessage()).isGreaterThanOrEqualTo(0);
      }
      return new CaseResult(true, true, false, 0, 0, 0, Map.of());
    } catch (Throwable t) {
      // Anything else (NullPointerException, StackOverflowError, IndexOutOfBounds...) is a bug.
      throw new AssertionError("compose threw " + t + " instead of InvalidYamlException", t);
    }
    // SnakeYAML Engine accepts some invalid YAML; composing fine is allowed.
    return new CaseResult(true, false, false, 0, 0, 0, Map.of());
  }

  /** The parser's own position for the problem, parsing independently of ComposedYaml. */
  private static Optional<Mark> parserMark(SourceText source) {
    LoadSettings settings =
        LoadSettings.builder()
            .setUseMarks(true)
            .setSchema(new JsonSchema())
            .setCodePointLimit(Integer.MAX_VALUE)
            .setMaxAliasesForCollections(1_000)
            .setAllowRecursiveKeys(false)
            .build();
    try {
      for (Node ignored : new Compose(settings).composeAllFromString(source.body())) {
        // compose every document
      }
    } catch (MarkedYamlEngineException e) {
      return e.getProblemMark().or(e::getContextMark);
    } catch (RuntimeException | StackOverflowError e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  // ---- Valid cases ----

  private CaseResult runValid(TestCase c, byte[] bytes) {
    SourceText source = SourceText.decode(c.id(), bytes);
    String limitation = KNOWN_PARSER_LIMITATIONS.get(c.id());
    if (limitation != null) {
      assertThatThrownBy(() -> ComposedYaml.compose(source))
          .as("%s is listed as a parser limitation; if it parses now, remove it from the list",
              c.id())
          .isInstanceOf(InvalidYamlException.class)
          .hasMessageContaining(limitation);
      return new CaseResult(false, false, true, 0, 0, 0, Map.of());
    }
    ComposedYaml yaml = ComposedYaml.compose(source);

    Map<ScalarNode, List<Step>> scalars = new IdentityHashMap<>();
    List<ScalarNode> order = new ArrayList<>();
    Map<Node, Boolean> visited = new IdentityHashMap<>();
    for (int d = 0; d < yaml.documents().size(); d++) {
      collect(yaml.documents().get(d), List.of(new Step(Step.DOCUMENT, d, null)), visited,
          scalars, order);
    }

    List<String> failures = new ArrayList<>();
    Map<String, Integer> skips = new TreeMap<>();
    int edits = 0;
    int refused = 0;
    for (ScalarNode node : order) {
      List<Step> path = scalars.get(node);
      String where = "scalar '" + node.getValue() + "' at " + describe(path)
          + " (line " + yaml.line(node) + ")";
      int contentStart = contentStart(source.text(), yaml.startOffset(node), yaml.endOffset(node));
      int end = yaml.endOffset(node);
      ScalarStyle style = node.getScalarStyle();
      boolean block = style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED;
      boolean multiLine = containsLineBreak(source.text(), contentStart, end);

      ScalarSpan span;
      try {
        span = yaml.span(node);
      } catch (InvalidYamlException e) {
        if (!block && !multiLine) {
          failures.add(where + ": span refused a one-line scalar: " + e.getMessage());
        }
        refused++;
        continue;
      } catch (RuntimeException e) {
        failures.add(where + ": span threw " + e);
        continue;
      }
      if (block || multiLine) {
        failures.add(where + ": span accepted a block or multi-line scalar: " + span);
        continue;
      }
      String own = source.substring(span.start(), span.end());
      if (span.start() != contentStart || span.end() != end || span.style() != style) {
        failures.add(where + ": span " + span + " ('" + own + "'), expected [" + contentStart
            + ", " + end + ") ('" + source.substring(contentStart, end) + "')");
        continue;
      }
      if (node.getValue().isEmpty()) {
        // Not a target: YamlEditor refuses empty scalars (setEntryString handles those).
        skips.merge("empty value", 1, Integer::sum);
        continue;
      }
      for (List<String> pass : List.of(FIRST_PASS, SECOND_PASS)) {
        for (String newValue : pass) {
          if (node.getValue().equals(newValue)) {
            // setString is a no-op for a value that is already there.
            skips.merge("already has the new value", 1, Integer::sum);
            continue;
          }
          String problem = edit(yaml, node, path, span, newValue);
          if (problem == null) {
            edits++;
          } else {
            failures.add(where + " -> '" + newValue + "': " + problem);
          }
        }
      }
    }
    assertThat(failures).as("edits in %s", c.id()).isEmpty();
    return new CaseResult(false, false, false, order.size(), edits, refused, skips);
  }

  /** Replaces one scalar and checks the result; null when all is well, else what went wrong. */
  private static String edit(
      ComposedYaml yaml, ScalarNode node, List<Step> path, ScalarSpan span, String newValue) {
    String old = yaml.source().text();
    String formatted = ScalarFormatter.format(newValue, span.style(), false);
    boolean quoted = formatted.startsWith("\"") || formatted.startsWith("'");
    if (SECOND_PASS.contains(newValue) && !quoted) {
      // The JSON schema used to compose reads a plain "yes" as a string; YAML 1.1 readers do not.
      return "a value that reads as a non-string when plain was written unquoted: " + formatted;
    }
    String expected = old.substring(0, span.start()) + formatted + old.substring(span.end());
    EditedYaml edited;
    try {
      YamlEditor editor = new YamlEditor(yaml);
      if (!editor.setString(node, newValue)) {
        return "setString reported no change";
      }
      edited = editor.apply();
    } catch (RuntimeException e) {
      return "threw " + e;
    }
    if (!edited.newText().equals(expected)) {
      return "new text differs:\n--- expected\n" + expected + "\n--- actual\n" + edited.newText();
    }
    if (!edited.edits().equals(List.of(new TextEdit(span.start(), span.end(), formatted)))) {
      return "edits " + edited.edits();
    }
    ComposedYaml after;
    try {
      after = ComposedYaml.compose(SourceText.of(yaml.source().name(), expected));
    } catch (InvalidYamlException e) {
      return "the new text does not compose: " + e.getMessage();
    }
    Node found;
    try {
      found = locate(after, path, node);
    } catch (IllegalStateException e) {
      return "not found at " + describe(path) + " in the new text: " + e.getMessage();
    }
    if (!(found instanceof ScalarNode scalar)) {
      return "found a " + found.getNodeType() + " at " + describe(path);
    }
    if (!scalar.getValue().equals(newValue)) {
      return "reads back as '" + scalar.getValue() + "'";
    }
    Tag tag = span.explicitTag() ? node.getTag() : Tag.STR;
    if (!scalar.getTag().equals(tag)) {
      return "reads back with tag " + scalar.getTag() + ", not " + tag;
    }
    return null;
  }

  // ---- Paths ----

  /**
   * One step from the root: a document index, a sequence index, or a mapping entry's key or value
   * (by entry index, since keys may repeat or be collections). {@code key} is the entry's old key
   * text when it is a scalar, checked on the way down.
   */
  record Step(char kind, int index, ScalarNode key) {
    static final char DOCUMENT = 'd';
    static final char ITEM = 'i';
    static final char KEY = 'k';
    static final char VALUE = 'v';
  }

  private static void collect(
      Node node,
      List<Step> path,
      Map<Node, Boolean> visited,
      Map<ScalarNode, List<Step>> scalars,
      List<ScalarNode> order) {
    if (visited.put(node, Boolean.TRUE) != null) {
      return; // an alias: visit each node once, at its first (anchored) occurrence
    }
    if (node instanceof ScalarNode scalar) {
      scalars.put(scalar, path);
      order.add(scalar);
    } else if (node instanceof SequenceNode seq) {
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        collect(items.get(i), append(path, new Step(Step.ITEM, i, null)), visited, scalars, order);
      }
    } else if (node instanceof MappingNode map) {
      List<NodeTuple> entries = map.getValue();
      for (int i = 0; i < entries.size(); i++) {
        Node key = entries.get(i).getKeyNode();
        ScalarNode scalarKey = key instanceof ScalarNode s ? s : null;
        collect(key, append(path, new Step(Step.KEY, i, null)), visited, scalars, order);
        collect(entries.get(i).getValueNode(), append(path, new Step(Step.VALUE, i, scalarKey)),
            visited, scalars, order);
      }
    }
  }

  private static List<Step> append(List<Step> path, Step step) {
    List<Step> longer = new ArrayList<>(path);
    longer.add(step);
    return List.copyOf(longer);
  }

  /** Follows a path in a newly composed text, checking the keys on the way (except the edited). */
  private static Node locate(ComposedYaml yaml, List<Step> path, ScalarNode edited) {
    Node node = null;
    for (Step step : path) {
      switch (step.kind()) {
        case Step.DOCUMENT -> node = at(yaml.documents(), step.index());
        case Step.ITEM -> {
          if (!(node instanceof SequenceNode seq)) {
            throw new IllegalStateException("not a sequence: " + node);
          }
          node = at(seq.getValue(), step.index());
        }
        default -> {
          if (!(node instanceof MappingNode map)) {
            throw new IllegalStateException("not a mapping: " + node);
          }
          NodeTuple entry = at(map.getValue(), step.index());
          if (step.kind() == Step.KEY) {
            node = entry.getKeyNode();
          } else {
            if (step.key() != null && step.key() != edited
                && !(entry.getKeyNode() instanceof ScalarNode k
                    && k.getValue().equals(step.key().getValue()))) {
              throw new IllegalStateException(
                  "entry " + step.index() + " has key " + entry.getKeyNode() + ", not '"
                      + step.key().getValue() + "'");
            }
            node = entry.getValueNode();
          }
        }
      }
    }
    return node;
  }

  private static <T> T at(List<T> list, int index) {
    if (index >= list.size()) {
      throw new IllegalStateException("index " + index + " out of " + list.size());
    }
    return list.get(index);
  }

  private static String describe(List<Step> path) {
    StringBuilder sb = new StringBuilder();
    for (Step step : path) {
      switch (step.kind()) {
        case Step.DOCUMENT -> sb.append("doc[").append(step.index()).append(']');
        case Step.ITEM -> sb.append('[').append(step.index()).append(']');
        case Step.KEY -> sb.append(".key#").append(step.index());
        default -> sb.append('.').append(step.key() != null ? step.key().getValue() : "#"
            + step.index());
      }
    }
    return sb.toString();
  }

  // ---- Source text, computed independently of ComposedYaml.span ----

  /**
   * Where a scalar's own text starts within its node marks {@code [start, end)}: after its
   * properties (anchor {@code &a}, tag {@code !t}, {@code !!t} or verbatim {@code !<uri>}) and any
   * whitespace and comments between them.
   */
  private static int contentStart(String text, int start, int end) {
    int i = start;
    while (i < end) {
      char c = text.charAt(i);
      if (c == '!' && i + 1 < end && text.charAt(i + 1) == '<') {
        int close = text.indexOf('>', i);
        i = close < 0 || close >= end ? end : close + 1;
      } else if (c == '&' || c == '!') {
        while (i < end && " \t\r\n,[]{}".indexOf(text.charAt(i)) < 0) {
          i++;
        }
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        i++;
      } else if (c == '#') {
        while (i < end && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
          i++;
        }
      } else {
        break;
      }
    }
    return i;
  }

  private static boolean containsLineBreak(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '\n' || text.charAt(i) == '\r') {
        return true;
      }
    }
    return false;
  }

  // ---- Summary ----

  private void summary(List<TestCase> cases) {
    int valid = 0;
    int errorCases = 0;
    int rejected = 0;
    int limitations = 0;
    int scalars = 0;
    int edits = 0;
    int refused = 0;
    Map<String, Integer> skips = new TreeMap<>();
    List<String> accepted = new ArrayList<>();
    for (TestCase c : cases) {
      if (failed.contains(c.id())) {
        continue; // its own test failed and says why
      }
      CaseResult r = results.computeIfAbsent(c.id(), id -> run(c));
      if (r.error()) {
        errorCases++;
        if (r.rejected()) {
          rejected++;
        } else {
          accepted.add(c.id());
        }
      } else {
        valid++;
        limitations += r.parserLimitation() ? 1 : 0;
        scalars += r.scalars();
        edits += r.edits();
        refused += r.refused();
        r.skips().forEach((k, v) -> skips.merge(k, v, Integer::sum));
      }
    }
    System.out.printf(
        "YAML test suite: %d cases (%d failed); %d valid, %d with error; %d parser limitations;"
            + " %d scalars, %d edits, %d refused by span (block/multi-line), skipped %s;"
            + " invalid: %d rejected, %d accepted %s%n",
        cases.size(), failed.size(), valid, errorCases, limitations, scalars, edits, refused, skips,
        rejected, accepted.size(), accepted);

    // The data is pinned to release data-2022-01-17 (SOURCES.md): 402 cases, 94 with error.
    assertThat(cases).hasSize(402);
    assertThat(cases.stream().filter(TestCase::error)).hasSize(94);
    assertThat(limitations).isEqualTo(KNOWN_PARSER_LIMITATIONS.size());
    assertThat(edits).as("edits performed").isGreaterThan(500);
    assertThat(refused).as("block and multi-line scalars refused").isGreaterThan(20);
    assertThat(rejected).as("invalid cases rejected, of %d", errorCases)
        .isGreaterThanOrEqualTo(errorCases * 3 / 4);
  }
}
