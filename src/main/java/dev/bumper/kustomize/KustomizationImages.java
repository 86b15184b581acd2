package dev.bumper.kustomize;

import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.EditedYaml;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SelfCheckException;
import dev.bumper.yaml.SourceText;
import dev.bumper.yaml.TextEdit;
import dev.bumper.yaml.TreeVerifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  static final Set<String> KNOWN = new LinkedHashSet<>(Arrays.asList(ImageEntry.FIELDS));

  private final SourceText source;
  private final ComposedYaml yaml;
  private final MappingNode root;
  private final NodeTuple images;

  private KustomizationImages(SourceText source) {
    this.source = source;
    this.yaml = ComposedYaml.compose(source);
    List<Node> documents = yaml.documents();
    if (documents.size() > 1) {
      throw new InvalidYamlException(
          source.name(),
          0,
          0,
          "a kustomization holds one YAML document, this file has " + documents.size());
    }
    Node document = documents.isEmpty() ? null : documents.get(0);
    if (document != null
        && !(document instanceof MappingNode)
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
    List<EntryChange> changes = changes(file, merged);

    ImagesListWriter.Region region =
        new ImagesListWriter(source, yaml, root, images).rewrite(items, merged);
    String text = source.text();
    String newText =
        text.substring(0, region.start()) + region.text() + text.substring(region.end());
    List<TextEdit> edits =
        newText.equals(text)
            ? List.of()
            : List.of(new TextEdit(region.start(), region.end(), region.text()));
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
  static boolean isNull(Node value) {
    return value instanceof ScalarNode scalar
        && scalar.getScalarStyle() == ScalarStyle.PLAIN
        && Set.of("", "null", "Null", "NULL", "~").contains(scalar.getValue());
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

  private static List<EntryChange> changes(List<ImageEntry> file, List<ImagesMerge.Merged> merged) {
    List<EntryChange> changes = new ArrayList<>();
    Set<Integer> kept = new HashSet<>();
    for (ImagesMerge.Merged m : merged) {
      kept.add(m.fileIndex());
      if (!m.fromArgument()) {
        continue;
      }
      if (m.fileIndex() < 0) {
        changes.add(new EntryChange(m.entry().name(), "added", null, m.entry().display()));
      } else if (!m.entry().fields().equals(file.get(m.fileIndex()).fields())) {
        changes.add(
            new EntryChange(
                m.entry().name(),
                "updated",
                file.get(m.fileIndex()).display(),
                m.entry().display()));
      }
    }
    for (int i = 0; i < file.size(); i++) {
      if (!kept.contains(i)) {
        changes.add(new EntryChange(file.get(i).name(), "removed", file.get(i).display(), null));
      }
    }
    return changes;
  }

  // ---- checking the result ----

  /** Composes the new text: its images list must be kustomize's, and nothing else may differ. */
  private void verify(String newText, List<MappingNode> items, List<ImagesMerge.Merged> merged) {
    // outside images, the one check of every edit: the tree is the same node for node
    ComposedYaml after =
        root == null
            ? TreeVerifier.reparse(source.name(), newText)
            : TreeVerifier.verifyReplacing(
                yaml,
                newText,
                images == null ? List.of() : List.of(images.getValueNode()),
                images == null ? Map.of(root, "images") : Map.of());
    if (after.documents().size() != 1
        || !(after.documents().get(0) instanceof MappingNode newRoot)) {
      throw new SelfCheckException(source.name(), "the edited text is not one mapping");
    }
    NodeTuple newImages = imagesEntry(newRoot);
    List<Node> newItems =
        newImages != null && newImages.getValueNode() instanceof SequenceNode seq
            ? seq.getValue()
            : List.of();
    if (newItems.size() != merged.size()) {
      throw new SelfCheckException(
          source.name(), "images has " + newItems.size() + " entries, not " + merged.size());
    }
    for (int i = 0; i < merged.size(); i++) {
      ImagesMerge.Merged m = merged.get(i);
      if (!(newItems.get(i) instanceof MappingNode item)) {
        throw new SelfCheckException(source.name(), "an images entry is not a mapping");
      }
      Map<String, String> expected =
          m.untouched() ? allFields(items.get(m.fileIndex())) : m.entry().fields();
      if (!allFields(item).equals(expected)) {
        throw new SelfCheckException(
            source.name(),
            "images entry " + (i + 1) + " reads " + allFields(item) + ", not " + expected);
      }
      // A value kustomize kept may be as it was (an unquoted number, say); a value written must
      // read as a string.
      for (NodeTuple tuple : m.untouched() ? List.<NodeTuple>of() : item.getValue()) {
        if (!Tag.STR.equals(tuple.getValueNode().getTag())) {
          throw new SelfCheckException(
              source.name(), "images entry " + (i + 1) + " has a value that is not a string");
        }
      }
    }
  }

  private static Map<String, String> allFields(MappingNode map) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : map.getValue()) {
      String key = ((ScalarNode) tuple.getKeyNode()).getValue();
      Node value = tuple.getValueNode();
      fields.put(
          key, value instanceof ScalarNode s ? s.getValue() : value.getNodeType().toString());
    }
    return fields;
  }

  private InvalidYamlException invalid(Node node, String reason) {
    int offset = yaml.startOffset(node);
    return new InvalidYamlException(
        source.name(), source.lineOf(offset), source.columnOf(offset), reason);
  }
}
