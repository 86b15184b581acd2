package dev.bumper.manifest;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Lookups in composed mappings by scalar key. The first entry wins, as in the parsers K8s uses. */
final class Nodes {
  private Nodes() {}

  static NodeTuple entry(MappingNode map, String key) {
    for (NodeTuple tuple : map.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return tuple;
      }
    }
    return null;
  }

  static Node get(MappingNode map, String key) {
    NodeTuple tuple = entry(map, key);
    return tuple == null ? null : tuple.getValueNode();
  }

  /** The value of a scalar entry, or null when absent or not a scalar. */
  static String string(MappingNode map, String key) {
    return get(map, key) instanceof ScalarNode scalar ? scalar.getValue() : null;
  }

  static String string(NodeTuple tuple) {
    return tuple != null && tuple.getValueNode() instanceof ScalarNode scalar
        ? scalar.getValue()
        : null;
  }
}
