package dev.bumper.yaml;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Proves an edit, the one check every edit of bumper's passes: composes the new text and walks it
 * beside the old tree. Every node must match (kind, tag, style, value, and the sharing of aliased
 * nodes) except the edited scalars, which must read as their new string, the mappings whose entries
 * were added or removed, and the values an edit replaced whole (which the edit checks itself on the
 * tree this returns).
 */
public final class TreeVerifier {
  private final ComposedYaml before;
  private final Map<ScalarNode, YamlEditor.Expected> scalars;
  private final Map<MappingNode, YamlEditor.MappingChange> mappings;
  private final Set<Node> replaced = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Mappings that may have gained an entry with this key at their end, of any value. */
  private final Map<MappingNode, String> addedValues = new IdentityHashMap<>();

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

  /**
   * Checks an edit that replaced whole values: {@code newText} must compose to {@code before}
   * except the {@code replaced} nodes, which may have become anything, and the mappings of {@code
   * added}, which may have gained an entry with that key, of any value, at their end.
   *
   * @return the new text composed, for the edit's own check of what it replaced
   * @throws SelfCheckException when anything else differs
   */
  public static ComposedYaml verifyReplacing(
      ComposedYaml before,
      String newText,
      Collection<Node> replaced,
      Map<MappingNode, String> added) {
    TreeVerifier verifier = new TreeVerifier(before, Map.of(), Map.of());
    verifier.replaced.addAll(replaced);
    verifier.addedValues.putAll(added);
    return verifier.verify(newText);
  }

  /**
   * Composes an edited text.
   *
   * @throws SelfCheckException when it does not parse
   */
  public static ComposedYaml reparse(String name, String newText) {
    try {
      return ComposedYaml.compose(SourceText.of(name, newText));
    } catch (InvalidYamlException e) {
      throw new SelfCheckException(name, "the edited text does not parse: " + e.reason());
    }
  }

  ComposedYaml verify(String newText) {
    SourceText source = before.source();
    ComposedYaml after = reparse(source.name(), newText);
    List<Node> oldDocs = before.documents();
    List<Node> newDocs = after.documents();
    if (oldDocs.size() != newDocs.size()) {
      throw new SelfCheckException(source.name(), "the number of documents changed");
    }
    for (int i = 0; i < oldDocs.size(); i++) {
      match(oldDocs.get(i), newDocs.get(i));
    }
    return after;
  }

  private void match(Node old, Node now) {
    if (replaced.contains(old)) {
      return;
    }
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
      if (!old.getValue().equals(now.getValue()) || old.getScalarStyle() != now.getScalarStyle()) {
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
    String addedValue = addedValues.get(old);
    if (addedValue != null && next.size() == kept.size() + 1) {
      if (!(next.get(kept.size()).getKeyNode() instanceof ScalarNode key)
          || !key.getValue().equals(addedValue)) {
        fail(old, "the added entry " + addedValue + " is not where it was written");
      }
      next = next.subList(0, kept.size());
    }
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
