package dev.bumper.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Collects edits to one composed YAML source as splices of its text, then applies them and proves
 * the result: the new text must compose to the old tree with only the intended values changed.
 *
 * <p>Every edit is recorded against a node, not a path, so an anchored node reached through its
 * aliases is edited once, at its anchor.
 */
public final class YamlEditor {
  private final ComposedYaml yaml;
  private final SourceText source;
  private final Map<ScalarNode, Expected> scalars = new IdentityHashMap<>();
  private final Map<MappingNode, MappingChange> mappings = new IdentityHashMap<>();
  private final List<TextEdit> edits = new ArrayList<>();

  public YamlEditor(ComposedYaml yaml) {
    this.yaml = yaml;
    this.source = yaml.source();
  }

  public ComposedYaml yaml() {
    return yaml;
  }

  /**
   * Sets a scalar to a string value.
   *
   * @return true when the value changes (false: it already had that value; nothing to do)
   * @throws InvalidYamlException if the scalar may not be edited (block or multi-line)
   * @throws EditConflictException if another edit already set it to a different value
   */
  public boolean setString(ScalarNode node, String value) {
    return set(node, value, false);
  }

  /**
   * Sets a scalar, keeping a plain non-string scalar plain when the new value reads as the same
   * type (a number stays a number): for {@code --set} on fields such as {@code replicas}.
   */
  public boolean setKeepingType(ScalarNode node, String value) {
    boolean keepPlain =
        node.getScalarStyle() == ScalarStyle.PLAIN
            && !Tag.STR.equals(node.getTag())
            && node.getTag().equals(resolvePlain(value));
    return set(node, value, keepPlain);
  }

  private boolean set(ScalarNode node, String value, boolean keepPlain) {
    Expected previous = scalars.get(node);
    if (previous != null) {
      if (!previous.value.equals(value)) {
        throw new EditConflictException(
            "%s:%d: two updates set the same value differently: %s and %s"
                .formatted(source.name(), yaml.line(node), previous.value, value));
      }
      return false;
    }
    if (node.getValue().equals(value)) {
      // already what was asked, whatever its style (a block scalar too): nothing to edit
      return false;
    }
    ScalarSpan span = yaml.span(node);
    if (span.start() == span.end()) {
      throw new InvalidYamlException(
          source.name(), source.lineOf(span.start()), source.columnOf(span.start()),
          "the value is empty; set it through its mapping entry");
    }
    String text = ScalarFormatter.format(value, span.style(), keepPlain);
    edits.add(new TextEdit(span.start(), span.end(), text));
    scalars.put(node, new Expected(value, keepPlain || span.explicitTag()));
    return true;
  }

  /**
   * Sets a scalar to a string value and makes sure it reads as a string: an equal value written
   * as a plain non-string ({@code newTag: 1.0}) is quoted. For fields that must be strings, as
   * kustomize writes them.
   */
  public boolean setStringQuoted(ScalarNode node, String value) {
    if (node.getValue().equals(value) && !Tag.STR.equals(node.getTag()) && !scalars.containsKey(node)) {
      ScalarSpan span = yaml.span(node);
      edits.add(new TextEdit(span.start(), span.end(), ScalarFormatter.doubleQuoted(value)));
      scalars.put(node, new Expected(value, false));
      return true;
    }
    return setString(node, value);
  }

  /**
   * Sets the value of a mapping entry whose value is a scalar, including an empty one
   * ({@code tag:} with nothing after the colon), where the value is inserted after the colon.
   */
  public boolean setEntryString(NodeTuple entry, String value) {
    ScalarNode node = (ScalarNode) entry.getValueNode();
    if (!node.getValue().isEmpty() || node.getScalarStyle() != ScalarStyle.PLAIN
        || scalars.containsKey(node)) {
      return setString(node, value);
    }
    ScalarSpan keySpan = yaml.span((ScalarNode) entry.getKeyNode());
    int colon = keySpan.end();
    while (colon < source.length() && (source.charAt(colon) == ' ' || source.charAt(colon) == '\t')) {
      colon++;
    }
    if (colon >= source.length() || source.charAt(colon) != ':') {
      throw new InvalidYamlException(
          source.name(), source.lineOf(keySpan.start()), source.columnOf(keySpan.start()),
          "cannot place a value for an empty key written this way");
    }
    edits.add(new TextEdit(colon + 1, colon + 1, " " + ScalarFormatter.format(value, ScalarStyle.PLAIN, false)));
    scalars.put(node, new Expected(value, false));
    return true;
  }

  /** Appends {@code key: value} as the mapping's last entry, in the mapping's own layout. */
  public void addEntry(MappingNode map, String key, String value) {
    String formatted = ScalarFormatter.format(value, ScalarStyle.PLAIN, false);
    List<NodeTuple> entries = map.getValue();
    int at;
    String text;
    if (map.getFlowStyle() == FlowStyle.FLOW) {
      int close = yaml.endOffset(map) - 1;
      if (close < 0 || source.charAt(close) != '}') {
        throw unsupported(map, "cannot find the end of this flow mapping");
      }
      at = close;
      while (at > 0 && source.charAt(at - 1) == ' ') {
        at--;
      }
      text = (entries.isEmpty() ? "" : ", ") + key + ": " + formatted;
    } else {
      if (entries.isEmpty()) {
        throw unsupported(map, "cannot add an entry to an empty block mapping");
      }
      ScalarSpan firstKey = keySpan(map, entries.get(0));
      int lineStart = source.lineStart(source.lineOf(firstKey.start()));
      String indent = blankedPrefix(lineStart, firstKey.start());
      int lastEnd = lastScalarEnd(lastKeptEntry(map).getValueNode());
      if (lastEnd < firstKey.start()) {
        throw unsupported(map, "cannot add an entry after an alias");
      }
      at = source.lineContentEnd(source.lineOf(lastEnd));
      text = source.lineBreak() + indent + key + ": " + formatted;
    }
    edits.add(new TextEdit(at, at, text));
    mappings.computeIfAbsent(map, m -> new MappingChange()).added.put(key, value);
  }

  /** The last entry of a mapping that no edit removes: new entries go after it. */
  private NodeTuple lastKeptEntry(MappingNode map) {
    MappingChange change = mappings.get(map);
    List<NodeTuple> entries = map.getValue();
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (change == null || !change.removed.containsKey(entries.get(i))) {
        return entries.get(i);
      }
    }
    throw unsupported(map, "cannot add an entry to a mapping whose entries are all removed");
  }

  /** Removes an entry, with its whole line(s) in block style, or its ", key: value" in flow. */
  public void removeEntry(MappingNode map, NodeTuple entry) {
    List<NodeTuple> entries = map.getValue();
    int index = entries.indexOf(entry);
    ScalarSpan key = keySpan(map, entry);
    int valueEnd = lastScalarEnd(entry.getValueNode());
    int start;
    int end;
    if (map.getFlowStyle() == FlowStyle.FLOW) {
      if (index > 0) {
        start = lastScalarEnd(entries.get(index - 1).getValueNode());
        end = valueEnd;
      } else if (entries.size() > 1) {
        start = key.start();
        end = keySpan(map, entries.get(1)).start();
      } else {
        start = key.start();
        end = valueEnd;
      }
    } else {
      int keyLine = source.lineOf(key.start());
      int lineStart = source.lineStart(keyLine);
      if (source.substring(lineStart, key.start()).isBlank()) {
        start = lineStart;
        end = source.nextLineStart(source.lineOf(valueEnd));
      } else if (index + 1 < entries.size()) {
        start = key.start();
        end = keySpan(map, entries.get(index + 1)).start();
      } else {
        throw unsupported(map, "cannot remove the only entry of a sequence item's line");
      }
    }
    edits.add(new TextEdit(start, end, ""));
    mappings.computeIfAbsent(map, m -> new MappingChange()).removed.put(entry, Boolean.TRUE);
  }

  public boolean hasEdits() {
    return !edits.isEmpty();
  }

  /**
   * The edits recorded so far, unsorted and not applied: for callers that move whole blocks of
   * text around these edits and check the result themselves.
   */
  public List<TextEdit> edits() {
    return List.copyOf(edits);
  }

  /**
   * Applies the edits and checks the result by composing it again.
   *
   * @throws SelfCheckException if the new text does not compose to the intended tree
   */
  public EditedYaml apply() {
    List<TextEdit> sorted = new ArrayList<>(edits);
    Collections.sort(sorted);
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).start() < sorted.get(i - 1).end()) {
        throw new SelfCheckException(
            source.name(), "overlapping edits at line " + source.lineOf(sorted.get(i).start()));
      }
    }
    String newText = UnifiedDiff.apply(source.text(), sorted);
    if (!sorted.isEmpty()) {
      new TreeVerifier(yaml, scalars, mappings).verify(newText);
    }
    return new EditedYaml(source, newText, sorted);
  }

  private ScalarSpan keySpan(MappingNode map, NodeTuple entry) {
    if (!(entry.getKeyNode() instanceof ScalarNode key)) {
      throw unsupported(map, "cannot edit a mapping with a non-scalar key");
    }
    return yaml.span(key);
  }

  private int lastScalarEnd(Node node) {
    return yaml.contentEnd(node);
  }

  private String blankedPrefix(int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      char c = source.charAt(i);
      sb.append(c == '\t' ? '\t' : ' ');
    }
    return sb.toString();
  }

  private InvalidYamlException unsupported(Node node, String reason) {
    int offset = yaml.startOffset(node);
    return new InvalidYamlException(
        source.name(), source.lineOf(offset), source.columnOf(offset), reason);
  }

  private static Tag resolvePlain(String value) {
    return ComposedYaml.SCHEMA.getScalarResolver().resolve(value, true);
  }

  /** What an edited scalar must read as after the edit. */
  record Expected(String value, boolean keepsTag) {}

  /** Entries added to and removed from one mapping. */
  static final class MappingChange {
    final Map<String, String> added = new java.util.LinkedHashMap<>();
    final Map<NodeTuple, Boolean> removed = new IdentityHashMap<>();
  }
}
