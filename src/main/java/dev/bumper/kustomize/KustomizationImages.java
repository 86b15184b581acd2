package dev.bumper.kustomize;

import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.EditedYaml;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.ScalarFormatter;
import dev.bumper.yaml.ScalarSpan;
import dev.bumper.yaml.SelfCheckException;
import dev.bumper.yaml.SourceText;
import dev.bumper.yaml.TextEdit;
import dev.bumper.yaml.YamlEditor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * {@code kustomize edit set image} on a kustomization's text: kustomize's resulting {@code images:}
 * list, written without kustomize's rewrite of the file.
 *
 * <p>Only the {@code images:} list changes. Its entries are blocks of text (an entry's lines and
 * the comment lines above it); an entry kustomize keeps stays byte for byte, an entry it replaces
 * is edited field by field in place, a new entry is written in the list's own layout, and when
 * kustomize's order (by name) differs from the file's, whole blocks move. The result is composed
 * again and must hold exactly kustomize's list, and everything else unchanged.
 */
public final class KustomizationImages {
  private static final Set<String> KNOWN = new LinkedHashSet<>(Arrays.asList(ImageEntry.FIELDS));

  private final SourceText source;
  private final ComposedYaml yaml;
  private final MappingNode root;
  private final NodeTuple images;

  private KustomizationImages(SourceText source) {
    this.source = source;
    this.yaml = ComposedYaml.compose(source);
    List<Node> documents = yaml.documents();
    if (documents.size() > 1) {
      throw new InvalidYamlException(source.name(), 0, 0, "a kustomization holds one YAML document, this file has " + documents.size());
    }
    Node document = documents.isEmpty() ? null : documents.get(0);
    if (document != null && !(document instanceof MappingNode)
        && !(document instanceof ScalarNode s && s.getValue().isEmpty())) {
      throw invalid(document, "not a kustomization: the top level is not a mapping");
    }
    this.root = document instanceof MappingNode map ? map : null;
    this.images = root == null ? null : imagesEntry(root);
  }

  /**
   * Sets the images of a kustomization.
   *
   * @throws InvalidYamlException when the file is not YAML, not a mapping, or its images list is
   *     not a list of mappings of strings
   * @throws SelfCheckException when the result does not compose to kustomize's list
   */
  public static SetImageResult set(SourceText source, List<ImageArg> args) {
    return new KustomizationImages(source).apply(args);
  }

  private SetImageResult apply(List<ImageArg> args) {
    List<MappingNode> items = items();
    List<ImageEntry> file = new ArrayList<>();
    for (MappingNode item : items) {
      file.add(entryOf(item));
    }
    List<ImagesMerge.Merged> merged = ImagesMerge.merge(file, args);
    List<ImageChange> changes = changes(file, merged);

    Region region = rewrite(items, merged);
    String text = source.text();
    String newText = text.substring(0, region.start) + region.text + text.substring(region.end);
    List<TextEdit> edits =
        newText.equals(text) ? List.of() : List.of(new TextEdit(region.start, region.end, region.text));
    verify(newText, items, merged);
    return new SetImageResult(new EditedYaml(source, newText, edits), changes);
  }

  // ---- reading the list ----

  private NodeTuple imagesEntry(MappingNode map) {
    NodeTuple found = null;
    for (NodeTuple tuple : map.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("images")) {
        if (found != null) {
          throw invalid(key, "duplicate key 'images'");
        }
        found = tuple;
      }
    }
    return found;
  }

  private List<MappingNode> items() {
    if (images == null) {
      return List.of();
    }
    Node value = images.getValueNode();
    if (isNull(value)) {
      return List.of();
    }
    if (!(value instanceof SequenceNode seq)) {
      throw invalid(value, "'images' is not a list");
    }
    List<MappingNode> items = new ArrayList<>();
    for (Node item : seq.getValue()) {
      if (!(item instanceof MappingNode map)) {
        throw invalid(item, "an 'images' entry is not a mapping");
      }
      items.add(map);
    }
    return items;
  }

  /** {@code images:}, {@code images: null} or {@code images: ~}: kustomize reads an empty list. */
  private static boolean isNull(Node value) {
    return value instanceof ScalarNode scalar
        && scalar.getScalarStyle() == ScalarStyle.PLAIN
        && java.util.Set.of("", "null", "Null", "NULL", "~").contains(scalar.getValue());
  }

  private ImageEntry entryOf(MappingNode item) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : item.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        throw invalid(item, "an 'images' entry has a key that is not a string");
      }
      if (fields.containsKey(key.getValue())) {
        throw invalid(key, "duplicate key '" + key.getValue() + "' in an 'images' entry");
      }
      if (KNOWN.contains(key.getValue())) {
        if (!(tuple.getValueNode() instanceof ScalarNode value)) {
          throw invalid(tuple.getValueNode(), "'" + key.getValue() + "' is not a string");
        }
        fields.put(key.getValue(), value.getValue());
      } else {
        fields.put(key.getValue(), "");
      }
    }
    return new ImageEntry(
        fields.getOrDefault("name", ""),
        fields.getOrDefault("newName", ""),
        fields.getOrDefault("newTag", ""),
        fields.getOrDefault("digest", ""),
        fields.getOrDefault("tagSuffix", ""));
  }

  private static List<ImageChange> changes(List<ImageEntry> file, List<ImagesMerge.Merged> merged) {
    List<ImageChange> changes = new ArrayList<>();
    Set<Integer> kept = new java.util.HashSet<>();
    for (ImagesMerge.Merged m : merged) {
      kept.add(m.fileIndex());
      if (!m.fromArgument()) {
        continue;
      }
      if (m.fileIndex() < 0) {
        changes.add(new ImageChange(m.entry().name(), "added", null, m.entry().display()));
      } else if (!m.entry().fields().equals(file.get(m.fileIndex()).fields())) {
        changes.add(new ImageChange(m.entry().name(), "updated", file.get(m.fileIndex()).display(), m.entry().display()));
      }
    }
    for (int i = 0; i < file.size(); i++) {
      if (!kept.contains(i)) {
        changes.add(new ImageChange(file.get(i).name(), "removed", file.get(i).display(), null));
      }
    }
    return changes;
  }

  // ---- writing the list ----

  /** The span of the source that changes, and its new text. */
  private record Region(int start, int end, String text) {}

  private Region rewrite(List<MappingNode> items, List<ImagesMerge.Merged> merged) {
    if (images == null) {
      return appendImages(merged);
    }
    Node value = images.getValueNode();
    if (value instanceof SequenceNode seq && seq.getFlowStyle() == FlowStyle.FLOW) {
      return rewriteFlow(seq, items, merged);
    }
    if (items.isEmpty()) {
      return fillEmpty(merged);
    }
    return rewriteBlock(items, merged);
  }

  private Region rewriteBlock(List<MappingNode> items, List<ImagesMerge.Merged> merged) {
    String text = source.text();
    List<TextEdit> edits = fieldEdits(items, merged);

    int[] starts = new int[items.size()];
    int[] ends = new int[items.size()];
    int keyLine = source.lineOf(yaml.startOffset(images.getKeyNode()));
    for (int i = 0; i < items.size(); i++) {
      starts[i] = i == 0 ? source.nextLineStart(keyLine) : ends[i - 1];
      ends[i] = source.nextLineStart(source.lineOf(yaml.contentEnd(items.get(i))));
      if (ends[i] <= starts[i] || dash(items.get(i)) < starts[i]) {
        throw invalid(items.get(i), "cannot rewrite an 'images' entry that shares a line with another");
      }
    }
    int regionStart = starts[0];
    int regionEnd = ends[items.size() - 1];
    boolean endsWithBreak = regionEnd > regionStart && isBreak(text.charAt(regionEnd - 1));
    String lineBreak = source.lineBreak();
    Layout layout = blockLayout(items.get(0));

    StringBuilder out = new StringBuilder();
    for (ImagesMerge.Merged m : merged) {
      if (m.fileIndex() >= 0) {
        String block = applyWithin(text, starts[m.fileIndex()], ends[m.fileIndex()], edits);
        out.append(block);
        if (block.isEmpty() || !isBreak(block.charAt(block.length() - 1))) {
          out.append(lineBreak);
        }
      } else {
        out.append(newBlockEntry(m.entry(), layout, lineBreak));
      }
    }
    if (!endsWithBreak && out.length() >= lineBreak.length()) {
      out.setLength(out.length() - lineBreak.length());
    }
    return new Region(regionStart, regionEnd, out.toString());
  }

  private Region rewriteFlow(SequenceNode seq, List<MappingNode> items, List<ImagesMerge.Merged> merged) {
    String text = source.text();
    List<TextEdit> edits = fieldEdits(items, merged);
    int open = yaml.startOffset(seq);
    int close = yaml.endOffset(seq);
    String prefix = "[";
    String suffix = "]";
    String separator = ", ";
    if (!items.isEmpty()) {
      prefix = text.substring(open, yaml.startOffset(items.get(0)));
      suffix = text.substring(yaml.endOffset(items.get(items.size() - 1)), close);
      if (items.size() > 1) {
        separator = text.substring(yaml.endOffset(items.get(0)), yaml.startOffset(items.get(1)));
      }
    }
    List<String> parts = new ArrayList<>();
    for (ImagesMerge.Merged m : merged) {
      if (m.fileIndex() >= 0) {
        MappingNode item = items.get(m.fileIndex());
        parts.add(applyWithin(text, yaml.startOffset(item), yaml.endOffset(item), edits));
      } else {
        parts.add(flowEntry(m.entry()));
      }
    }
    return new Region(open, close, prefix + String.join(separator, parts) + suffix);
  }

  /**
   * {@code images:} with no list ({@code images:}, {@code images: null}, {@code images: ~}): the
   * null goes, and the entries go on the lines after the key.
   */
  private Region fillEmpty(List<ImagesMerge.Merged> merged) {
    Node value = images.getValueNode();
    if (!isNull(value)) {
      throw invalid(value, "'images' is not a list");
    }
    ScalarNode scalar = (ScalarNode) value;
    int keyStart = yaml.startOffset(images.getKeyNode());
    int line = source.lineOf(keyStart);
    String indent = " ".repeat(source.columnOf(keyStart) - 1);
    Layout layout = new Layout(indent, indent + "  ");
    String lineBreak = source.lineBreak();
    int from = source.nextLineStart(line);
    StringBuilder out = new StringBuilder();
    if (!scalar.getValue().isEmpty()) {
      // "images: null": drop the null and the spaces before it, keep the rest of the line
      ScalarSpan span = yaml.span(scalar);
      int start = span.start();
      while (start > 0 && (source.charAt(start - 1) == ' ' || source.charAt(start - 1) == '\t')) {
        start--;
      }
      out.append(source.substring(span.end(), from));
      from = start;
    }
    int end = out.length() > 0 ? source.nextLineStart(line) : from;
    boolean atEnd = end == source.length() && (end == 0 || !isBreak(source.charAt(end - 1)));
    if (atEnd && (out.length() == 0 || !isBreak(out.charAt(out.length() - 1)))) {
      out.append(lineBreak);
    }
    for (ImagesMerge.Merged m : merged) {
      out.append(newBlockEntry(m.entry(), layout, lineBreak));
    }
    if (atEnd) {
      out.setLength(out.length() - lineBreak.length());
    }
    return new Region(from, end, out.toString());
  }

  /**
   * No {@code images:} key: appended as the root mapping's last entry, as kustomize appends it,
   * in the mapping's own indentation (before a {@code ...} end marker or trailing comments), or
   * as a flow entry in a flow mapping; at the end of a file with no mapping at all.
   */
  private Region appendImages(List<ImagesMerge.Merged> merged) {
    String text = source.text();
    String lineBreak = source.lineBreak();
    if (root != null && root.getFlowStyle() == FlowStyle.FLOW) {
      int close = yaml.endOffset(root) - 1;
      int at = close;
      while (at > 0 && text.charAt(at - 1) == ' ') {
        at--;
      }
      List<String> entries = new ArrayList<>();
      for (ImagesMerge.Merged m : merged) {
        entries.add(flowEntry(m.entry()));
      }
      String prefix = root.getValue().isEmpty() ? "" : ", ";
      return new Region(at, at, prefix + "images: [" + String.join(", ", entries) + "]");
    }
    int at = text.length();
    String indent = "";
    if (root != null && !root.getValue().isEmpty()) {
      at = source.nextLineStart(source.lineOf(yaml.contentEnd(root)));
      indent = " ".repeat(source.columnOf(yaml.startOffset(root.getValue().get(0).getKeyNode())) - 1);
    }
    StringBuilder out = new StringBuilder();
    boolean needsBreak = at > 0 && !isBreak(text.charAt(at - 1)) && !(source.hasBom() && at == 1);
    if (needsBreak) {
      out.append(lineBreak);
    }
    out.append(indent).append("images:").append(lineBreak);
    Layout layout = new Layout(indent, indent + "  ");
    for (ImagesMerge.Merged m : merged) {
      out.append(newBlockEntry(m.entry(), layout, lineBreak));
    }
    return new Region(at, at, out.toString());
  }

  private static String flowEntry(ImageEntry entry) {
    List<String> fields = new ArrayList<>();
    entry.fields().forEach((k, v) -> fields.add(k + ": " + value(v)));
    return "{" + String.join(", ", fields) + "}";
  }

  /** How block entries are indented: before the dash, and before each key. */
  private record Layout(String dash, String key) {}

  private Layout blockLayout(MappingNode first) {
    int dash = dash(first);
    String before = " ".repeat(source.columnOf(dash) - 1);
    int firstKey = yaml.startOffset(first);
    if (source.lineOf(firstKey) == source.lineOf(dash)) {
      return new Layout(before, before + " ".repeat(firstKey - dash));
    }
    return new Layout(before, " ".repeat(source.columnOf(firstKey) - 1));
  }

  private String newBlockEntry(ImageEntry entry, Layout layout, String lineBreak) {
    StringBuilder sb = new StringBuilder();
    boolean first = true;
    for (Map.Entry<String, String> field : entry.fields().entrySet()) {
      sb.append(first ? layout.dash() + "- " + " ".repeat(Math.max(0, layout.key().length() - layout.dash().length() - 2)) : layout.key());
      sb.append(field.getKey()).append(": ").append(value(field.getValue())).append(lineBreak);
      first = false;
    }
    if (first) {
      sb.append(layout.dash()).append("- {}").append(lineBreak);
    }
    return sb.toString();
  }

  private static String value(String value) {
    return ScalarFormatter.format(value, ScalarStyle.PLAIN, false);
  }

  /** The offset of the {@code -} that introduces a block sequence item. */
  private int dash(MappingNode item) {
    int i = yaml.startOffset(item) - 1;
    String text = source.text();
    while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || isBreak(text.charAt(i)))) {
      i--;
    }
    if (i < 0 || text.charAt(i) != '-') {
      throw invalid(item, "cannot find the '-' of this 'images' entry");
    }
    return i;
  }

  /** The in-place edits of the entries kustomize replaces, sorted. */
  private List<TextEdit> fieldEdits(List<MappingNode> items, List<ImagesMerge.Merged> merged) {
    YamlEditor editor = new YamlEditor(yaml);
    for (ImagesMerge.Merged m : merged) {
      if (m.fromArgument() && m.fileIndex() >= 0) {
        writeFields(editor, items.get(m.fileIndex()), m.entry());
      }
    }
    List<TextEdit> edits = new ArrayList<>(editor.edits());
    java.util.Collections.sort(edits);
    return edits;
  }

  private void writeFields(YamlEditor editor, MappingNode item, ImageEntry wanted) {
    Set<String> managed = new LinkedHashSet<>(KNOWN);
    for (NodeTuple tuple : item.getValue()) {
      managed.add(((ScalarNode) tuple.getKeyNode()).getValue());
    }
    ImageEntryEditor.write(editor, item, wanted.fields(), managed, true);
  }

  private static String applyWithin(String text, int start, int end, List<TextEdit> edits) {
    StringBuilder out = new StringBuilder();
    int at = start;
    for (TextEdit edit : edits) {
      if (edit.start() >= start && edit.end() <= end && edit.start() >= at) {
        out.append(text, at, edit.start()).append(edit.replacement());
        at = edit.end();
      }
    }
    return out.append(text, at, end).toString();
  }

  private static boolean isBreak(char c) {
    return c == '\n' || c == '\r';
  }

  // ---- checking the result ----

  /** Composes the new text: its images list must be kustomize's, and nothing else may differ. */
  private void verify(String newText, List<MappingNode> items, List<ImagesMerge.Merged> merged) {
    ComposedYaml after;
    try {
      after = ComposedYaml.compose(SourceText.of(source.name(), newText));
    } catch (InvalidYamlException e) {
      throw new SelfCheckException(source.name(), "the edited text does not parse: " + e.reason());
    }
    if (after.documents().size() != 1 || !(after.documents().get(0) instanceof MappingNode newRoot)) {
      throw new SelfCheckException(source.name(), "the edited text is not one mapping");
    }
    NodeTuple newImages = imagesEntry(newRoot);
    List<Node> newItems =
        newImages != null && newImages.getValueNode() instanceof SequenceNode seq ? seq.getValue() : List.of();
    if (newItems.size() != merged.size()) {
      throw new SelfCheckException(source.name(), "images has " + newItems.size() + " entries, not " + merged.size());
    }
    for (int i = 0; i < merged.size(); i++) {
      ImagesMerge.Merged m = merged.get(i);
      if (!(newItems.get(i) instanceof MappingNode item)) {
        throw new SelfCheckException(source.name(), "an images entry is not a mapping");
      }
      Map<String, String> expected = m.untouched() ? allFields(items.get(m.fileIndex())) : m.entry().fields();
      if (!allFields(item).equals(expected)) {
        throw new SelfCheckException(source.name(), "images entry " + (i + 1) + " reads " + allFields(item) + ", not " + expected);
      }
      // A value kustomize kept may be as it was (an unquoted number, say); a value written must
      // read as a string.
      for (NodeTuple tuple : m.untouched() ? List.<NodeTuple>of() : item.getValue()) {
        if (!Tag.STR.equals(tuple.getValueNode().getTag())) {
          throw new SelfCheckException(source.name(), "images entry " + (i + 1) + " has a value that is not a string");
        }
      }
    }
    List<NodeTuple> oldRest = root == null ? List.of() : without(root, images);
    List<NodeTuple> newRest = without(newRoot, newImages);
    if (!new TreeEquality().sameTuples(oldRest, newRest)) {
      throw new SelfCheckException(source.name(), "something outside images changed");
    }
  }

  private static List<NodeTuple> without(MappingNode map, NodeTuple entry) {
    return map.getValue().stream().filter(t -> t != entry).toList();
  }

  private static Map<String, String> allFields(MappingNode map) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : map.getValue()) {
      String key = ((ScalarNode) tuple.getKeyNode()).getValue();
      Node value = tuple.getValueNode();
      fields.put(key, value instanceof ScalarNode s ? s.getValue() : value.getNodeType().toString());
    }
    return fields;
  }

  /** Structural equality of composed trees, each node pair compared once (aliases, alias bombs). */
  private static final class TreeEquality {
    private final Map<Node, Node> seen = new java.util.IdentityHashMap<>();

    boolean sameTuples(List<NodeTuple> a, List<NodeTuple> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i).getKeyNode(), b.get(i).getKeyNode())
            || !same(a.get(i).getValueNode(), b.get(i).getValueNode())) {
          return false;
        }
      }
      return true;
    }

    boolean same(Node a, Node b) {
      Node mapped = seen.get(a);
      if (mapped != null) {
        return mapped == b;
      }
      seen.put(a, b);
      if (a.getNodeType() != b.getNodeType() || !a.getTag().equals(b.getTag())) {
        return false;
      }
      if (a instanceof ScalarNode sa) {
        return Objects.equals(sa.getValue(), ((ScalarNode) b).getValue());
      }
      if (a instanceof SequenceNode qa) {
        List<Node> x = qa.getValue();
        List<Node> y = ((SequenceNode) b).getValue();
        if (x.size() != y.size()) {
          return false;
        }
        for (int i = 0; i < x.size(); i++) {
          if (!same(x.get(i), y.get(i))) {
            return false;
          }
        }
        return true;
      }
      return sameTuples(((MappingNode) a).getValue(), ((MappingNode) b).getValue());
    }
  }

  private InvalidYamlException invalid(Node node, String reason) {
    int offset = yaml.startOffset(node);
    return new InvalidYamlException(source.name(), source.lineOf(offset), source.columnOf(offset), reason);
  }
}
