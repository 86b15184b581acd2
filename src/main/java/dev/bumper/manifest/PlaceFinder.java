package dev.bumper.manifest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Finds the places in a composed document where images are written, by shape rather than by
 * resource kind, so custom resources work: container lists at any depth, image volumes, Helm-style
 * image blocks and strings, kustomize and Flux {@code images:} lists, Argo CD write-back files.
 *
 * <p>Each node is visited once, so aliases cost nothing and an anchored value is found once.
 * Places under a duplicated key carry that problem with them; it is raised only if a spec matches
 * the place, because duplicate keys elsewhere in a file are none of bumper's business.
 */
final class PlaceFinder {
  private static final Set<String> CONTAINER_LISTS =
      Set.of("containers", "initContainers", "ephemeralContainers");
  private static final Set<String> KUSTOMIZATION_KINDS = Set.of("Kustomization", "Component");

  private final boolean argoSourceFile;
  private final Map<Node, Place> places = new IdentityHashMap<>();
  private final Set<Node> visited = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  private PlaceFinder(boolean argoSourceFile) {
    this.argoSourceFile = argoSourceFile;
  }

  /** The places in one document, in document order. */
  static List<Place> find(Node document, boolean argoSourceFile) {
    if (isFluxImageAutomation(document)) {
      return List.of();
    }
    PlaceFinder finder = new PlaceFinder(argoSourceFile);
    finder.findTopLevel(document);
    finder.walk(document, null, false, null);
    return new ArrayList<>(finder.places.values()).stream()
        .sorted(java.util.Comparator.comparingInt(Place::order))
        .toList();
  }

  /**
   * Flux's image automation objects ({@code ImageRepository}, {@code ImagePolicy}, ...) name
   * repositories to scan, not images to run: an {@code ImageRepository}'s {@code spec.image} must
   * stay a bare repository, or Flux refuses it.
   */
  private static boolean isFluxImageAutomation(Node document) {
    if (!(document instanceof MappingNode root)) {
      return false;
    }
    String apiVersion = Nodes.string(root, "apiVersion");
    return apiVersion != null && apiVersion.startsWith("image.toolkit.fluxcd.io/");
  }

  private void findTopLevel(Node document) {
    if (!(document instanceof MappingNode root)) {
      return;
    }
    String kind = Nodes.string(root, "kind");
    String apiVersion = Nodes.string(root, "apiVersion");
    boolean kustomization =
        (kind == null || KUSTOMIZATION_KINDS.contains(kind))
            && (apiVersion == null || apiVersion.startsWith("kustomize.config.k8s.io/"));
    if (kustomization) {
      kustomizeImages(Nodes.get(root, "images"), duplicateOf(root, "images"));
    }
    if ("Kustomization".equals(kind) && apiVersion != null
        && apiVersion.startsWith("kustomize.toolkit.fluxcd.io/")
        && Nodes.get(root, "spec") instanceof MappingNode spec) {
      kustomizeImages(Nodes.get(spec, "images"), first(duplicateOf(root, "spec"), duplicateOf(spec, "images")));
    }
    if (argoSourceFile && Nodes.get(root, "kustomize") instanceof MappingNode kustomize
        && Nodes.get(kustomize, "images") instanceof SequenceNode images) {
      Node dup = first(duplicateOf(root, "kustomize"), duplicateOf(kustomize, "images"));
      for (Node item : images.getValue()) {
        if (item instanceof ScalarNode scalar) {
          add(new Place.Ref(Kind.ARGOCD, scalar, dup));
        }
      }
    }
  }

  private void kustomizeImages(Node images, Node duplicate) {
    if (!(images instanceof SequenceNode list)) {
      return;
    }
    for (Node item : list.getValue()) {
      if (item instanceof MappingNode entry && Nodes.get(entry, "name") instanceof ScalarNode
          && scalarOrAbsent(entry, "newName") && scalarOrAbsent(entry, "newTag")
          && scalarOrAbsent(entry, "digest")) {
        Node dup = first(duplicate, duplicateOf(entry, "name", "newName", "newTag", "digest"));
        add(new Place.KustomizeEntry(entry, dup));
      }
    }
  }

  /**
   * Walks a node. {@code key} is the key the node is the value of; {@code excluded} is true
   * inside kustomize patch targets and replacement selectors, which name images to select, not
   * images to run; {@code duplicate} is the first duplicated key on the way here, if any.
   */
  private void walk(Node node, String key, boolean excluded, Node duplicate) {
    if (!visited.add(node)) {
      return;
    }
    if (node instanceof MappingNode map) {
      Map<String, Node> duplicates = duplicates(map);
      if (!excluded && key != null && isImageKey(key)) {
        helmBlock(map, first(duplicate,
            first(duplicates.get("registry"), first(duplicates.get("repository"),
                first(duplicates.get("tag"), duplicates.get("digest"))))));
      }
      for (NodeTuple tuple : map.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
          continue;
        }
        String childKey = keyNode.getValue();
        Node dup = first(duplicate, duplicates.get(childKey));
        Node value = tuple.getValueNode();
        boolean childExcluded = excluded || isSelector(key, childKey);
        if (!childExcluded && CONTAINER_LISTS.contains(childKey) && value instanceof SequenceNode seq) {
          containers(seq, dup);
        }
        if (!childExcluded && "volumes".equals(childKey) && value instanceof SequenceNode seq) {
          volumes(seq, dup);
        }
        if (!childExcluded && isImageKey(childKey) && value instanceof ScalarNode scalar) {
          add(new Place.Ref(Kind.HELM, scalar, dup));
        }
        walk(value, childKey, childExcluded, dup);
      }
    } else if (node instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        walk(item, key, excluded, duplicate);
      }
    }
  }

  private void containers(SequenceNode seq, Node duplicate) {
    for (Node item : seq.getValue()) {
      if (item instanceof MappingNode container
          && Nodes.get(container, "image") instanceof ScalarNode image) {
        add(new Place.Ref(Kind.CONTAINER, image, first(duplicate, duplicateOf(container, "image"))));
      }
    }
  }

  private void volumes(SequenceNode seq, Node duplicate) {
    for (Node item : seq.getValue()) {
      if (item instanceof MappingNode volume
          && Nodes.get(volume, "image") instanceof MappingNode image
          && Nodes.get(image, "reference") instanceof ScalarNode reference) {
        Node dup = first(duplicate, first(duplicateOf(volume, "image"), duplicateOf(image, "reference")));
        add(new Place.Ref(Kind.VOLUME, reference, dup));
      }
    }
  }

  private void helmBlock(MappingNode map, Node duplicate) {
    NodeTuple repository = Nodes.entry(map, "repository");
    NodeTuple tag = Nodes.entry(map, "tag");
    NodeTuple digest = Nodes.entry(map, "digest");
    if (repository == null || !(repository.getValueNode() instanceof ScalarNode)
        || (tag == null && digest == null)) {
      return;
    }
    if ((tag != null && !(tag.getValueNode() instanceof ScalarNode))
        || (digest != null && !(digest.getValueNode() instanceof ScalarNode))) {
      return;
    }
    NodeTuple registry = Nodes.entry(map, "registry");
    if (registry != null && !(registry.getValueNode() instanceof ScalarNode)) {
      return;
    }
    add(new Place.HelmImage(map, registry, repository, tag, digest, duplicate));
  }

  private static boolean scalarOrAbsent(MappingNode map, String key) {
    Node value = Nodes.get(map, key);
    return value == null || value instanceof ScalarNode;
  }

  /** A Helm-style image key: {@code image}, or a name ending in {@code Image}. */
  private static boolean isImageKey(String key) {
    return key.equals("image") || (key.length() > 5 && key.endsWith("Image"));
  }

  /** Keys under which kustomize selects resources by image rather than running one. */
  private static boolean isSelector(String parentKey, String key) {
    if (parentKey == null) {
      return false;
    }
    return switch (parentKey) {
      case "patches", "patchesJson6902" -> key.equals("target");
      case "replacements" -> key.equals("source") || key.equals("targets");
      default -> false;
    };
  }

  private void add(Place place) {
    places.putIfAbsent(place.node(), place);
  }

  /** For each key that a mapping repeats, the node of its second occurrence. */
  static Map<String, Node> duplicates(MappingNode map) {
    List<NodeTuple> entries = map.getValue();
    if (entries.size() < 2) {
      return Map.of();
    }
    Set<String> keys = new HashSet<>();
    Map<String, Node> duplicates = null;
    for (NodeTuple tuple : entries) {
      if (tuple.getKeyNode() instanceof ScalarNode key && !keys.add(key.getValue())) {
        if (duplicates == null) {
          duplicates = new java.util.HashMap<>();
        }
        duplicates.putIfAbsent(key.getValue(), key);
      }
    }
    return duplicates == null ? Map.of() : duplicates;
  }

  /** The second occurrence of any of the keys in a mapping, or null. */
  static Node duplicateOf(MappingNode map, String... keys) {
    Map<String, Node> duplicates = duplicates(map);
    for (String key : keys) {
      if (duplicates.containsKey(key)) {
        return duplicates.get(key);
      }
    }
    return null;
  }

  private static Node first(Node a, Node b) {
    return a != null ? a : b;
  }
}
