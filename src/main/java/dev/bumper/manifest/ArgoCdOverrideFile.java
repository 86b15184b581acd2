package dev.bumper.manifest;

import dev.bumper.image.ImageReference;
import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.EditedYaml;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.ScalarFormatter;
import dev.bumper.yaml.ScalarSpan;
import dev.bumper.yaml.SelfCheckException;
import dev.bumper.yaml.SourceText;
import dev.bumper.yaml.TextEdit;
import dev.bumper.yaml.TreeVerifier;
import dev.bumper.yaml.UnifiedDiff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * An Argo CD parameter override file ({@code .argocd-source-APP.yaml}) written as Argo CD Image
 * Updater writes it: {@code kustomize.images} strings for a kustomize source (an image replaces the
 * entry of the same image, or is added at the end), {@code helm.parameters} for a Helm source (a
 * parameter replaces the value of the one of its name, or is added in name order, with {@code
 * forcestring: true}). A file from nothing is the updater's bytes; an existing file keeps every
 * byte but the values set and the entries added, and is composed again to check.
 */
public final class ArgoCdOverrideFile {
  private ArgoCdOverrideFile() {}

  /** The images of a kustomize source, each in {@code kustomize edit set image} form. */
  public static EditedYaml kustomize(SourceText file, List<String> images) {
    if (file.text().isBlank()) {
      StringBuilder text = new StringBuilder("kustomize:\n  images:" + (images.isEmpty() ? " []" : "") + "\n");
      images.forEach(image -> text.append("  - ").append(plain(image)).append('\n'));
      return created(file, text.toString());
    }
    Document document = new Document(file, "kustomize", "images");
    List<String> wanted = new ArrayList<>();
    for (Node item : document.items()) {
      wanted.add(scalar(document, item).getValue());
    }
    for (String image : images) {
      int at = indexOf(wanted, image);
      if (at >= document.items().size()) {
        throw new InvalidRequestException("two --image specs for one image: " + wanted.get(at) + " and " + image);
      }
      if (at >= 0) {
        document.set((ScalarNode) document.items().get(at), image);
        wanted.set(at, image);
      } else {
        document.insert(null, "", List.of("- " + plain(image)));
        wanted.add(image);
      }
    }
    return document.finish(items -> items.stream().map(item -> ((ScalarNode) item).getValue()).toList(), wanted);
  }

  /** Helm parameters of a Helm source, name to value, each written with {@code forcestring: true}. */
  public static EditedYaml helm(SourceText file, Map<String, String> parameters) {
    if (file.text().isBlank()) {
      StringBuilder text = new StringBuilder("helm:\n  parameters:" + (parameters.isEmpty() ? " []" : "") + "\n");
      parameters.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(p -> text
          .append("  - name: ").append(plain(p.getKey())).append('\n')
          .append("    value: ").append(plain(p.getValue())).append('\n')
          .append("    forcestring: true\n"));
      return created(file, text.toString());
    }
    Document document = new Document(file, "helm", "parameters");
    Map<String, String> wanted = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (Node item : document.items()) {
      if (!(item instanceof MappingNode entry) || Nodes.string(entry, "name") == null) {
        throw document.invalid(item, "a helm parameter is not a mapping with a name");
      }
      names.add(Nodes.string(entry, "name"));
      wanted.put(Nodes.string(entry, "name"), Nodes.string(entry, "value"));
    }
    List<String> original = List.copyOf(names);
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      int at = original.indexOf(parameter.getKey());
      if (at >= 0) {
        NodeTuple value = Nodes.entry((MappingNode) document.items().get(at), "value");
        if (value == null || !(value.getValueNode() instanceof ScalarNode scalar)) {
          throw document.invalid(document.items().get(at), "the helm parameter " + parameter.getKey() + " has no value to set");
        }
        document.set(scalar, parameter.getValue());
        // the updater writes every parameter it sets as a string
        NodeTuple force = Nodes.entry((MappingNode) document.items().get(at), "forcestring");
        if (force != null && force.getValueNode() instanceof ScalarNode forced) {
          document.set(forced, "true", true);
        }
      } else if (!names.contains(parameter.getKey())) {
        // in name order, as the updater sorts them: before the first parameter named after it
        int before = 0;
        while (before < original.size() && original.get(before).compareTo(parameter.getKey()) < 0) {
          before++;
        }
        List<String> lines = List.of("- name: " + plain(parameter.getKey()), "  value: " + plain(parameter.getValue()),
            "  forcestring: true");
        document.insert(before < original.size() ? document.items().get(before) : null, parameter.getKey(), lines);
        int position = 0;
        while (position < names.size() && names.get(position).compareTo(parameter.getKey()) < 0) {
          position++;
        }
        names.add(position, parameter.getKey());
      }
      wanted.put(parameter.getKey(), parameter.getValue());
    }
    Map<String, String> expected = new LinkedHashMap<>();
    names.forEach(name -> expected.put(name, wanted.get(name)));
    return document.finish(items -> {
      Map<String, String> read = new LinkedHashMap<>();
      items.forEach(item -> read.put(Nodes.string((MappingNode) item, "name"), Nodes.string((MappingNode) item, "value")));
      return read;
    }, expected);
  }

  /** The entry of the same image: the same name before {@code =}, or the same repository. */
  private static int indexOf(List<String> entries, String image) {
    String key = imageKey(image);
    for (int i = 0; i < entries.size(); i++) {
      if (imageKey(entries.get(i)).equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private static String imageKey(String entry) {
    int alias = entry.indexOf('=');
    String name = alias >= 0 ? entry.substring(0, alias) : entry;
    Optional<ImageReference> ref = ImageReference.tryParse(name);
    return ref.map(ImageReference::repository).orElse(name);
  }

  private static String plain(String value) {
    return ScalarFormatter.format(value, ScalarStyle.PLAIN, false);
  }

  private static ScalarNode scalar(Document document, Node item) {
    if (!(item instanceof ScalarNode scalar)) {
      throw document.invalid(item, "a kustomize image is not a string");
    }
    return scalar;
  }

  private static EditedYaml created(SourceText file, String text) {
    TreeVerifier.reparse(file.name(), text);
    return new EditedYaml(file, text, List.of(new TextEdit(0, file.length(), text)));
  }

  /** Reads the list at the top-level {@code section.list}, and edits it in place. */
  private static final class Document {
    private final SourceText source;
    private final ComposedYaml yaml;
    /** The list's node: a block list of entries, or an empty list or null to replace. */
    private final Node list;
    private final Node key;
    private final List<String> path;
    private final List<TextEdit> edits = new ArrayList<>();
    /** Items to add, by the item they go before (null: after the last), in the order to write them. */
    private final Map<Node, List<List<String>>> inserts = new java.util.IdentityHashMap<>();
    private final List<List<String>> appended = new ArrayList<>();

    Document(SourceText source, String section, String listKey) {
      this.source = source;
      this.yaml = ComposedYaml.compose(source);
      if (yaml.documents().size() != 1 || !(yaml.documents().get(0) instanceof MappingNode root)) {
        throw new InvalidYamlException(source.name(), 1, 1, "an Argo CD override file holds one mapping");
      }
      NodeTuple sectionEntry = Nodes.entry(root, section);
      if (sectionEntry == null || !(sectionEntry.getValueNode() instanceof MappingNode sectionMap)) {
        throw invalid(root, "no " + section + ": mapping to add to; this file is for another kind of source");
      }
      NodeTuple listEntry = Nodes.entry(sectionMap, listKey);
      Node value = listEntry == null ? null : listEntry.getValueNode();
      boolean block = value instanceof SequenceNode sequence && !sequence.getValue().isEmpty()
          && sequence.getFlowStyle() == FlowStyle.BLOCK;
      // What the updater's own marshalling writes for no entries: a nil list, an empty one.
      boolean none = value instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)
          || value instanceof SequenceNode sequence && sequence.getValue().isEmpty();
      if (!block && !none) {
        throw invalid(sectionMap, section + "." + listKey + " is not a list of entries, nor an empty or null one");
      }
      this.list = value;
      this.key = listEntry.getKeyNode();
      this.path = List.of(section, listKey);
    }

    List<Node> items() {
      return list instanceof SequenceNode sequence ? sequence.getValue() : List.of();
    }

    void set(ScalarNode node, String value) {
      set(node, value, false);
    }

    /** @param keepPlain a plain boolean stays a boolean */
    void set(ScalarNode node, String value, boolean keepPlain) {
      if (node.getValue().equals(value)) {
        return;
      }
      ScalarSpan span = yaml.span(node);
      edits.add(new TextEdit(span.start(), span.end(), ScalarFormatter.format(value, span.style(), keepPlain)));
    }

    /**
     * An item to add before {@code item} (null: after the last), its lines at the list's
     * indentation; items added at one place go in the order of their {@code sortKey}.
     */
    void insert(Node item, String sortKey, List<String> lines) {
      List<String> keyed = new ArrayList<>();
      keyed.add(sortKey);
      keyed.addAll(lines);
      List<List<String>> at = item == null ? appended : inserts.computeIfAbsent(item, k -> new ArrayList<>());
      int position = 0;
      while (!sortKey.isEmpty() && position < at.size() && at.get(position).get(0).compareTo(sortKey) < 0) {
        position++;
      }
      at.add(sortKey.isEmpty() ? at.size() : position, keyed);
    }

    <T> EditedYaml finish(Function<List<Node>, T> read, T expected) {
      for (Map.Entry<Node, List<List<String>>> before : inserts.entrySet()) {
        int lineStart = source.lineStart(source.lineOf(dash(before.getKey())));
        StringBuilder text = new StringBuilder();
        before.getValue().forEach(item -> item.subList(1, item.size())
            .forEach(line -> text.append(indent()).append(line).append(source.lineBreak())));
        edits.add(new TextEdit(lineStart, lineStart, text.toString()));
      }
      if (!appended.isEmpty() && items().isEmpty()) {
        // no entries to follow: the updater's layout, entries at the key's indentation, in the
        // place of the empty list or null after the key's colon
        int colon = yaml.contentEnd(key);
        while (source.charAt(colon) != ':') {
          colon++;
        }
        int end = yaml.startOffset(list) == yaml.endOffset(list) ? colon + 1 : yaml.contentEnd(list);
        String indent = source.substring(source.lineStart(source.lineOf(yaml.startOffset(key))),
            yaml.startOffset(key));
        StringBuilder text = new StringBuilder();
        appended.forEach(item -> item.subList(1, item.size())
            .forEach(line -> text.append(source.lineBreak()).append(indent).append(line)));
        edits.add(new TextEdit(colon + 1, end, text.toString()));
      } else if (!appended.isEmpty()) {
        Node last = items().get(items().size() - 1);
        int at = source.lineContentEnd(source.lineOf(yaml.contentEnd(last) - 1));
        StringBuilder text = new StringBuilder();
        appended.forEach(item -> item.subList(1, item.size())
            .forEach(line -> text.append(source.lineBreak()).append(indent()).append(line)));
        edits.add(new TextEdit(at, at, text.toString()));
      }
      if (edits.isEmpty()) {
        return new EditedYaml(source, source.text(), List.of());
      }
      String newText = UnifiedDiff.apply(source.text(), edits);
      ComposedYaml after = TreeVerifier.verifyReplacing(yaml, newText, List.of(list), Map.of());
      T got = read.apply(listIn(after));
      if (!got.equals(expected)) {
        throw new SelfCheckException(source.name(), "the list reads " + got + ", not " + expected);
      }
      return new EditedYaml(source, newText, List.copyOf(edits));
    }

    /** The list in the composed new text: the same place, under the same keys. */
    private List<Node> listIn(ComposedYaml after) {
      Node node = after.documents().get(0);
      for (String key : path) {
        node = Nodes.entry((MappingNode) node, key).getValueNode();
      }
      return ((SequenceNode) node).getValue();
    }

    private String indent() {
      int dash = dash(items().get(0));
      return source.substring(source.lineStart(source.lineOf(dash)), dash);
    }

    /** The offset of the {@code -} that introduces a block sequence item. */
    private int dash(Node item) {
      int i = yaml.startOffset(item) - 1;
      while (i >= 0 && source.charAt(i) != '-') {
        i--;
      }
      if (i < 0) {
        throw invalid(item, "cannot find the '-' of this entry");
      }
      return i;
    }

    InvalidYamlException invalid(Node node, String reason) {
      int offset = yaml.startOffset(node);
      return new InvalidYamlException(source.name(), source.lineOf(offset), source.columnOf(offset), reason);
    }
  }
}
