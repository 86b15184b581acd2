package dev.bumper.kustomize;

import dev.bumper.yaml.YamlEditor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Brings one {@code images:} entry to a wanted set of fields, in place: a field whose value
 * changes is edited where it is (its inline comment kept), a missing one is added after the
 * entry's last field in the entry's own layout, an unwanted one is removed with its line. Shared by
 * {@code kustomize-set-image} and by {@code bump-manifest}'s kustomize and Flux image lists.
 */
public final class ImageEntryEditor {
  private ImageEntryEditor() {}

  /**
   * @param wanted the fields the entry must end with and their values, in the order new ones are
   *     added
   * @param managed the keys this edit decides on: a managed key not in {@code wanted} is removed,
   *     a key not managed is left alone
   * @param asStrings quote a kept value that reads as a non-string (kustomize writes every field
   *     as a string); false keeps an unchanged value's bytes
   * @return true when anything changes
   */
  public static boolean write(
      YamlEditor editor,
      MappingNode entry,
      Map<String, String> wanted,
      Set<String> managed,
      boolean asStrings) {
    boolean changed = false;
    List<NodeTuple> present = new ArrayList<>();
    for (NodeTuple tuple : entry.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key && managed.contains(key.getValue())
          && !wanted.containsKey(key.getValue())) {
        editor.removeEntry(entry, tuple);
        changed = true;
      } else {
        present.add(tuple);
      }
    }
    for (Map.Entry<String, String> field : wanted.entrySet()) {
      NodeTuple tuple = find(present, field.getKey());
      if (tuple != null && asStrings && tuple.getValueNode() instanceof ScalarNode scalar
          && !scalar.getValue().isEmpty()) {
        changed |= editor.setStringQuoted(scalar, field.getValue());
      } else if (tuple != null) {
        changed |= editor.setEntryString(tuple, field.getValue());
      } else {
        editor.addEntry(entry, field.getKey(), field.getValue());
        changed = true;
      }
    }
    return changed;
  }

  private static NodeTuple find(List<NodeTuple> tuples, String key) {
    for (NodeTuple tuple : tuples) {
      if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return tuple;
      }
    }
    return null;
  }
}
