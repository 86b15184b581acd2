package dev.bumper.manifest;

import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.EditedYaml;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import dev.bumper.yaml.YamlEditor;
import java.util.List;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The edits of one YAML stream and the changes they make, each located in the file the user named:
 * the setters of images, paths and markers all write here, so one file's changes are in the order
 * they were found and its edits are proved together.
 */
final class StreamEdit {
  private final String path;
  private final ComposedYaml yaml;
  private final SourceText source;
  private final YamlEditor editor;
  private final List<ValueChange> changes;

  StreamEdit(String path, ComposedYaml yaml, List<ValueChange> changes) {
    this.path = path;
    this.yaml = yaml;
    this.source = yaml.source();
    this.editor = new YamlEditor(yaml);
    this.changes = changes;
  }

  String path() {
    return path;
  }

  YamlEditor editor() {
    return editor;
  }

  /** The line of a scalar's value as the user sees it. */
  int lineOf(ScalarNode scalar) {
    return source.lineOf(spanStart(scalar));
  }

  void record(Node node, Kind kind, String old, String now) {
    int offset = node instanceof ScalarNode s ? spanStart(s) : yaml.startOffset(node);
    changes.add(
        new ValueChange(path, source.lineOf(offset), source.columnOf(offset), kind, old, now));
  }

  InvalidYamlException invalidAt(Node node, String reason) {
    int offset = yaml.startOffset(node);
    return new InvalidYamlException(path, source.lineOf(offset), source.columnOf(offset), reason);
  }

  /** The new text, verified. */
  EditedYaml apply() {
    return editor.apply();
  }

  // An empty plain scalar has no span of its own: it is where its node starts.
  private int spanStart(ScalarNode scalar) {
    return scalar.getValue().isEmpty() && scalar.getScalarStyle() == ScalarStyle.PLAIN
        ? yaml.startOffset(scalar)
        : yaml.span(scalar).start();
  }
}
