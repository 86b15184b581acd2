package dev.bumper.kustomize;

import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.ScalarFormatter;
import dev.bumper.yaml.ScalarSpan;
import dev.bumper.yaml.SourceText;
import dev.bumper.yaml.TextEdit;
import dev.bumper.yaml.YamlEditor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Writes kustomize's images list into a kustomization's text: entries kustomize keeps stay byte for
 * byte, entries it replaces are edited field by field in place, new entries follow the list's own
 * layout (block or flow, its indentation and line breaks), and whole blocks of text move when
 * kustomize's order differs from the file's.
 */
final class ImagesListWriter {
  private final SourceText source;
  private final ComposedYaml yaml;
  private final MappingNode root;
  private final NodeTuple images;

  ImagesListWriter(SourceText source, ComposedYaml yaml, MappingNode root, NodeTuple images) {
    this.source = source;
    this.yaml = yaml;
    this.root = root;
    this.images = images;
  }

  /** The span of the source that changes, and its new text. */
  record Region(int start, int end, String text) {}

  Region rewrite(List<MappingNode> items, List<ImagesMerge.Merged> merged) {
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
        throw invalid(
            items.get(i), "cannot rewrite an 'images' entry that shares a line with another");
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

  private Region rewriteFlow(
      SequenceNode seq, List<MappingNode> items, List<ImagesMerge.Merged> merged) {
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
    if (!KustomizationImages.isNull(value)) {
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
   * No {@code images:} key: appended as the root mapping's last entry, as kustomize appends it, in
   * the mapping's own indentation (before a {@code ...} end marker or trailing comments), or as a
   * flow entry in a flow mapping; at the end of a file with no mapping at all.
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
      indent =
          " ".repeat(source.columnOf(yaml.startOffset(root.getValue().get(0).getKeyNode())) - 1);
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
      sb.append(
          first
              ? layout.dash()
                  + "- "
                  + " ".repeat(Math.max(0, layout.key().length() - layout.dash().length() - 2))
              : layout.key());
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
    Collections.sort(edits);
    return edits;
  }

  private void writeFields(YamlEditor editor, MappingNode item, ImageEntry wanted) {
    Set<String> managed = new LinkedHashSet<>(KustomizationImages.KNOWN);
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

  private InvalidYamlException invalid(Node node, String reason) {
    int offset = yaml.startOffset(node);
    return new InvalidYamlException(
        source.name(), source.lineOf(offset), source.columnOf(offset), reason);
  }
}
