package dev.bumper.manifest;

import dev.bumper.yaml.YamlEditor;
import java.util.List;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * {@code --set}: the scalar at a path gets a value, keeping its type where the value reads as the
 * same type; with {@code createKeys}, a missing last key is added under its mapping.
 */
final class PathSetter {
  private final StreamEdit edit;
  private final YamlEditor editor;
  private final boolean createKeys;

  PathSetter(StreamEdit edit, boolean createKeys) {
    this.edit = edit;
    this.editor = edit.editor();
    this.createKeys = createKeys;
  }

  /**
   * Sets the value at the assignment's path in one document.
   *
   * @return whether the path is in the document (or was created), changed or already up to date
   */
  boolean set(Node document, PathAssignment assignment) {
    Node node = document;
    NodeTuple lastEntry = null;
    List<PathExpression.Segment> segments = assignment.path().segments();
    for (int s = 0; s < segments.size(); s++) {
      PathExpression.Segment segment = segments.get(s);
      lastEntry = null;
      if (segment instanceof PathExpression.Key key) {
        if (!(node instanceof MappingNode map)) {
          return false;
        }
        NodeTuple found = null;
        for (NodeTuple tuple : map.getValue()) {
          if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key.name())) {
            if (found != null) {
              throw edit.invalidAt(
                  k,
                  "duplicate key '" + key.name() + "' on the path of --set " + assignment.path());
            }
            found = tuple;
          }
        }
        if (found == null) {
          if (createKeys && s == segments.size() - 1) {
            createKey(map, key.name(), assignment.value());
            return true;
          }
          return false;
        }
        lastEntry = found;
        node = found.getValueNode();
      } else if (segment instanceof PathExpression.Index index) {
        if (!(node instanceof SequenceNode seq) || index.index() >= seq.getValue().size()) {
          return false;
        }
        node = seq.getValue().get(index.index());
      } else if (segment instanceof PathExpression.Select select) {
        if (!(node instanceof SequenceNode seq)) {
          return false;
        }
        Node found = null;
        for (Node item : seq.getValue()) {
          if (item instanceof MappingNode m
              && select.value().equals(Nodes.string(m, select.key()))) {
            if (found != null) {
              throw edit.invalidAt(
                  item,
                  "two items match ["
                      + select.key()
                      + "="
                      + select.value()
                      + "] on the path of --set "
                      + assignment.path());
            }
            found = item;
          }
        }
        if (found == null) {
          return false;
        }
        node = found;
      }
    }
    if (!(node instanceof ScalarNode scalar)) {
      throw edit.invalidAt(
          node,
          "--set "
              + assignment.path()
              + " names a "
              + (node instanceof MappingNode ? "mapping" : "sequence")
              + ", not a scalar value");
    }
    String value = assignment.value();
    // An empty plain value ('key:') has no text to splice: the value goes in after the colon.
    boolean changed =
        lastEntry != null
                && scalar.getValue().isEmpty()
                && scalar.getScalarStyle() == ScalarStyle.PLAIN
            ? editor.setEntryString(lastEntry, value)
            : editor.setKeepingType(scalar, value);
    if (changed) {
      edit.record(scalar, Kind.PATH, scalar.getValue(), value);
    }
    return true;
  }

  /** Adds a missing last key of a --set path under its mapping, in the mapping's own layout. */
  private void createKey(MappingNode map, String key, String value) {
    editor.addEntry(map, key, value);
    edit.record(map, Kind.PATH, null, value);
  }
}
