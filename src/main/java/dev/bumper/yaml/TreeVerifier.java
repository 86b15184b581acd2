package dev.bumper.yaml;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Proves an edit: composes the new text and walks it beside the old tree. Every node must match
 * (kind, tag, style, value, and the sharing of aliased nodes) except the edited scalars, which
 * must read as their new string, and the mappings whose entries were added or removed.
 */
final class TreeVerifier {
  private final ComposedYaml before;
  private final Map<ScalarNode, YamlEditor.Expected> scalars;
  private final Map<MappingNode, YamlEditor.MappingChange> mappings;
  /** Old node to the new node it became: aliases must map to the same new node. */
  private final Map<Node, Node> seen = new IdentityHashMap<>();

  TreeVerifier(
      ComposedYaml before,
      Map<ScalarNode, YamlEditor.Expected> scalars,
      Map<MappingNode, YamlEditor.MappingChange> mappings) {
    this.before = before;
    this.scalars = scalars;
    this.mappings = mappings;
  }

  void verify(String newText) {
    SourceText source = before.source();
    ComposedYaml after;
    try {
      after = ComposedYaml.compose(SourceText.of(source.name(), newText));
    } catch (InvalidYamlException e) {
      throw new SelfCheckException(source.name(), "the edited text does not parse: " + e.reason());
    }
    List<Node> oldDocs = before.documents();
    List<Node> newDocs = after.documents();
    if (oldDocs.size() != newDocs.size()) {
      throw new SelfCheckException(source.name(), "the number of documents changed");
    }
    for (int i = 0; i < oldDocs.size(); i++) {
      match(oldDocs.get(i), newDocs.get(i));
    }
  }

  private void match(Node old, Node now) {
    Node mapped = seen.get(old);
    if (mapped != null) {
      if (mapped != now) {
        fail(old, "an alias no longer refers to its anchor");
      }
      return;
    }
    seen.put(old, now);
    if (old.getNodeType() != now.getNodeType()) {
      fail(old, "a " + old.getNodeType() + " became a " + now.getNodeType());
    }
    if (old instanceof ScalarNode oldScalar) {
      matchScalar(oldScalar, (ScalarNode) now);
    } else if (old instanceof SequenceNode oldSeq) {
      sameTag(old, now);
      List<Node> a = oldSeq.getValue();
      List<Node> b = ((SequenceNode) now).getValue();
      if (a.size() != b.size()) {
        fail(old, "a sequence changed length");
      }
      for (int i = 0; i < a.size(); i++) {
        match(a.get(i), b.get(i));
      }
    } else {
      sameTag(old, now);
      matchMapping((MappingNode) old, (MappingNode) now);
    }
  }

  private void matchScalar(ScalarNode old, ScalarNode now) {
    YamlEditor.Expected expected = scalars.get(old);
    if (expected == null) {
      if (!old.getValue().equals(now.getValue())
          || old.getScalarStyle() != now.getScalarStyle()) {
        fail(old, "a value that was not to change changed: " + old.getValue());
      }
      sameTag(old, now);
      return;
    }
    if (!expected.value().equals(now.getValue())) {
      fail(old, "the new value reads as '" + now.getValue() + "', not '" + expected.value() + "'");
    }
    boolean tagOk =
        expected.keepsTag() ? old.getTag().equals(now.getTag()) : Tag.STR.equals(now.getTag());
    if (!tagOk) {
      fail(old, "the new value '" + expected.value() + "' reads as " + now.getTag());
    }
  }

  private void matchMapping(MappingNode old, MappingNode now) {
    YamlEditor.MappingChange change = mappings.get(old);
    List<NodeTuple> kept = new ArrayList<>(old.getValue());
    Map<String, String> added = Map.of();
    if (change != null) {
      kept.removeIf(change.removed::containsKey);
      added = change.added;
    }
    List<NodeTuple> next = now.getValue();
    if (next.size() != kept.size() + added.size()) {
      fail(old, "a mapping has the wrong number of entries");
    }
    for (int i = 0; i < kept.size(); i++) {
      match(kept.get(i).getKeyNode(), next.get(i).getKeyNode());
      match(kept.get(i).getValueNode(), next.get(i).getValueNode());
    }
    int i = kept.size();
    for (Map.Entry<String, String> entry : added.entrySet()) {
      NodeTuple tuple = next.get(i++);
      if (!(tuple.getKeyNode() instanceof ScalarNode key)
          || !key.getValue().equals(entry.getKey())
          || !(tuple.getValueNode() instanceof ScalarNode value)
          || !Objects.equals(value.getValue(), entry.getValue())
          || !Tag.STR.equals(value.getTag())) {
        fail(old, "the added entry " + entry.getKey() + " does not read back as written");
      }
    }
  }

  private void sameTag(Node old, Node now) {
    if (!old.getTag().equals(now.getTag())) {
      fail(old, "a tag changed from " + old.getTag() + " to " + now.getTag());
    }
  }

  private void fail(Node old, String detail) {
    throw new SelfCheckException(
        before.source().name(), "line " + before.line(old) + ": " + detail);
  }
}
