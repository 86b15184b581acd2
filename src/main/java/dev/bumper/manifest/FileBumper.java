package dev.bumper.manifest;

import dev.bumper.image.ImageReference;
import dev.bumper.image.ImageUpdate;
import dev.bumper.kustomize.ImageEntryEditor;
import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.EditedYaml;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import dev.bumper.yaml.YamlEditor;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The bump of one YAML stream in progress: finds the places each spec of the request names
 * (image references, Helm values, kustomize and Argo CD entries, paths, Flux markers), records a
 * change for each value it sets, and applies the edits, verified, at the end.
 */
final class FileBumper {
  private final BumpRequest request;

  private final String path;
  private final ComposedYaml yaml;
  private final SourceText source;
  private final YamlEditor editor;
  private final List<ValueChange> changes;
  private final BitSet matched;

  FileBumper(BumpRequest request, String path, ComposedYaml yaml, List<ValueChange> changes, BitSet matched) {
    this.request = request;
    this.path = path;
    this.yaml = yaml;
    this.source = yaml.source();
    this.editor = new YamlEditor(yaml);
    this.changes = changes;
    this.matched = matched;
  }

  void run(boolean argoSourceFile) {
    if (!request.images().isEmpty()) {
      for (Node document : yaml.documents()) {
        for (Place place : PlaceFinder.find(document, argoSourceFile)) {
          images(place);
        }
      }
    }
    for (int i = 0; i < request.paths().size(); i++) {
      for (Node document : yaml.documents()) {
        path(document, request.paths().get(i), request.images().size() + i);
      }
    }
    if (!request.policies().isEmpty()) {
      for (Place.Marker marker : PolicyMarkers.find(yaml)) {
        marker(marker);
      }
    }
  }

  void images(Place place) {
    List<ImageUpdate> images = request.images();
    for (int i = 0; i < images.size(); i++) {
      ImageUpdate update = images.get(i);
      boolean hit;
      if (place instanceof Place.Ref ref) {
        hit = ref.kind() == Kind.ARGOCD ? argoCd(ref, update) : reference(ref, update);
      } else if (place instanceof Place.HelmImage helm) {
        hit = helm(helm, update);
      } else if (place instanceof Place.KustomizeEntry entry) {
        hit = kustomize(entry, update);
      } else {
        hit = false;
      }
      if (hit) {
        matched.set(i);
      }
    }
  }

  private boolean reference(Place.Ref place, ImageUpdate update) {
    ScalarNode scalar = place.scalar();
    Optional<ImageReference> current = ImageReference.tryParse(scalar.getValue().strip());
    if (current.isEmpty() || !update.matches(current.get())) {
      return false;
    }
    refuseDuplicate(place);
    String next = update.apply(current.get()).toString();
    if (editor.setString(scalar, next)) {
      record(scalar, place.kind(), scalar.getValue(), next);
    }
    return true;
  }

  /** {@code kustomize.images} entries of an Argo CD write-back file: {@code name=ref} or {@code ref}. */
  private boolean argoCd(Place.Ref place, ImageUpdate update) {
    ScalarNode scalar = place.scalar();
    String value = scalar.getValue();
    int eq = value.indexOf('=');
    String alias = eq < 0 ? null : value.substring(0, eq);
    Optional<ImageReference> deployed = ImageReference.tryParse(value.substring(eq + 1));
    if (deployed.isEmpty()) {
      return false;
    }
    boolean byAlias =
        alias != null && update.newName().isPresent()
            && ImageReference.tryParse(alias).map(update::matches).orElse(false);
    if (!update.matches(deployed.get()) && !byAlias) {
      return false;
    }
    refuseDuplicate(place);
    ImageReference rewritten = ReferenceParts.rewrite(update, deployed.get());
    if (rewritten.tag() == null && rewritten.digest() == null) {
      // Argo CD runs kustomize edit set image on these strings, which refuses a bare name
      throw new InvalidRequestException("%s:%d: %s in an Argo CD override file needs a tag or a digest: kustomize edit"
          .formatted(path, source.lineOf(spanStart(scalar)), rewritten) + " set image, which Argo CD runs on it, refuses a bare name");
    }
    String next = (alias == null ? "" : alias + "=") + rewritten;
    if (editor.setString(scalar, next)) {
      record(scalar, Kind.ARGOCD, value, next);
    }
    return true;
  }

  private boolean helm(Place.HelmImage place, ImageUpdate update) {
    String registry = Nodes.string(place.registry());
    String repository = Nodes.string(place.repository());
    String name =
        registry == null || registry.isEmpty() ? repository : registry + "/" + repository;
    Optional<ImageReference> parsed = ImageReference.tryParse(name);
    if (parsed.isEmpty() || parsed.get().tag() != null || parsed.get().digest() != null
        || !update.matches(parsed.get())) {
      return false;
    }
    refuseDuplicate(place);
    String tag = Nodes.string(place.tag());
    String digest = Nodes.string(place.digest());
    // Charts without a digest field often take "tag@digest" in the tag field.
    boolean combined = place.digest() == null;
    String oldTag = tag;
    String oldDigest = digest;
    if (combined && tag != null && tag.contains("@")) {
      oldTag = tag.substring(0, tag.indexOf('@'));
      oldDigest = tag.substring(tag.indexOf('@') + 1);
    }
    ImageReference current = parsed.get();
    String newTag = ReferenceParts.keepIfRemoved(update.tagChange(), oldTag);
    String newDigest = update.digestChange().applyTo(ReferenceParts.emptyToNull(oldDigest));
    ScalarNode first = null;
    if (update.newName().isPresent()) {
      ImageReference renamed = ImageReference.parse(update.newName().get());
      if (place.registry() != null) {
        String newRegistry = renamed.registry() == null ? "docker.io" : renamed.registry();
        first = setEntry(place.registry(), newRegistry, first);
        first = setEntry(place.repository(), renamed.path(), first);
      } else {
        first = setEntry(place.repository(), renamed.name(), first);
      }
      current = current.withName(renamed.name());
    }
    if (combined) {
      String value = newTag == null || newTag.isEmpty() ? "" : newTag;
      if (newDigest != null) {
        value = (value.isEmpty() && oldTag != null ? oldTag : value) + "@" + newDigest;
      }
      if (place.tag() != null) {
        first = setEntry(place.tag(), value, first);
      } else if (!value.isEmpty()) {
        editor.addEntry(place.map(), "tag", value);
      }
    } else {
      if (newTag != null && !newTag.equals(tag)) {
        if (place.tag() != null) {
          first = setEntry(place.tag(), newTag, first);
        } else {
          editor.addEntry(place.map(), "tag", newTag);
        }
      }
      String digestValue = newDigest == null ? "" : newDigest;
      if (!digestValue.equals(digest == null ? "" : digest)) {
        first = setEntry(place.digest(), digestValue, first);
      }
    }
    String old = ReferenceParts.display(name, oldTag, ReferenceParts.emptyToNull(oldDigest));
    String now = ReferenceParts.display(current.name(), newTag, newDigest);
    if (!old.equals(now)) {
      record(first != null ? first : place.map(), Kind.HELM, old, now);
    }
    return true;
  }

  private boolean kustomize(Place.KustomizeEntry place, ImageUpdate update) {
    MappingNode entry = place.entry();
    String name = Nodes.string(entry, "name");
    NodeTuple newName = Nodes.entry(entry, "newName");
    NodeTuple newTag = Nodes.entry(entry, "newTag");
    NodeTuple digest = Nodes.entry(entry, "digest");
    String deployedName = newName != null ? Nodes.string(newName) : name;
    Optional<ImageReference> deployed = ImageReference.tryParse(deployedName == null ? "" : deployedName);
    boolean byDeployed = deployed.isPresent() && update.matches(deployed.get());
    boolean byName =
        update.newName().isPresent()
            && ImageReference.tryParse(name).map(update::matches).orElse(false);
    if (!byDeployed && !byName) {
      return false;
    }
    refuseDuplicate(place);
    String oldTag = Nodes.string(newTag);
    String oldDigest = Nodes.string(digest);
    String tag = update.tagChange().applyTo(oldTag);
    String dig = update.digestChange().applyTo(oldDigest);
    String renamed = update.newName().orElse(null);
    String wantedName = renamed == null ? Nodes.string(newName) : renamed.equals(name) ? null : renamed;
    Map<String, String> wanted = new LinkedHashMap<>();
    putIfPresent(wanted, "newName", wantedName);
    putIfPresent(wanted, "newTag", tag);
    putIfPresent(wanted, "digest", dig);
    Node at = entry;
    for (NodeTuple field : new NodeTuple[] {newTag, digest, newName}) {
      if (field != null && !Objects.equals(Nodes.string(field), wanted.get(key(field)))) {
        at = field.getValueNode();
        break;
      }
    }
    ImageEntryEditor.write(editor, entry, wanted, KUSTOMIZE_FIELDS, false);
    String old = ReferenceParts.display(deployedName, oldTag, oldDigest);
    String now = ReferenceParts.display(wantedName != null ? wantedName : name, tag, dig);
    if (!old.equals(now)) {
      record(at, Kind.KUSTOMIZE, old, now);
    }
    return true;
  }

  void path(Node document, PathAssignment assignment, int specIndex) {
    Node node = document;
    NodeTuple lastEntry = null;
    List<PathExpression.Segment> segments = assignment.path().segments();
    for (int s = 0; s < segments.size(); s++) {
      PathExpression.Segment segment = segments.get(s);
      lastEntry = null;
      if (segment instanceof PathExpression.Key key) {
        if (!(node instanceof MappingNode map)) {
          return;
        }
        NodeTuple found = null;
        for (NodeTuple tuple : map.getValue()) {
          if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key.name())) {
            if (found != null) {
              throw invalidAt(k, "duplicate key '" + key.name() + "' on the path of --set " + assignment.path());
            }
            found = tuple;
          }
        }
        if (found == null) {
          if (request.createKeys() && s == segments.size() - 1) {
            createKey(map, key.name(), assignment.value(), specIndex);
          }
          return;
        }
        lastEntry = found;
        node = found.getValueNode();
      } else if (segment instanceof PathExpression.Index index) {
        if (!(node instanceof SequenceNode seq) || index.index() >= seq.getValue().size()) {
          return;
        }
        node = seq.getValue().get(index.index());
      } else if (segment instanceof PathExpression.Select select) {
        if (!(node instanceof SequenceNode seq)) {
          return;
        }
        Node found = null;
        for (Node item : seq.getValue()) {
          if (item instanceof MappingNode m && select.value().equals(Nodes.string(m, select.key()))) {
            if (found != null) {
              throw invalidAt(item, "two items match [" + select.key() + "=" + select.value() + "] on the path of --set " + assignment.path());
            }
            found = item;
          }
        }
        if (found == null) {
          return;
        }
        node = found;
      }
    }
    if (!(node instanceof ScalarNode scalar)) {
      throw invalidAt(node, "--set " + assignment.path() + " names a " + (node instanceof MappingNode ? "mapping" : "sequence") + ", not a scalar value");
    }
    matched.set(specIndex);
    String value = assignment.value();
    boolean changed =
        lastEntry != null && scalar.getValue().isEmpty() && scalar.getScalarStyle() == ScalarStyle.PLAIN
            ? editor.setEntryString(lastEntry, value)
            : editor.setKeepingType(scalar, value);
    if (changed) {
      record(scalar, Kind.PATH, scalar.getValue(), value);
    }
  }

  /** Adds a missing last key of a --set path under its mapping, in the mapping's own layout. */
  private void createKey(MappingNode map, String key, String value, int specIndex) {
    matched.set(specIndex);
    editor.addEntry(map, key, value);
    record(map, Kind.PATH, null, value);
  }

  void marker(Place.Marker marker) {
    List<PolicyAssignment> policies = request.policies();
    int offset = request.images().size() + request.paths().size();
    for (int i = 0; i < policies.size(); i++) {
      PolicyAssignment policy = policies.get(i);
      if (!policy.policy().equals(marker.policy())) {
        continue;
      }
      matched.set(offset + i);
      ImageReference ref = policy.ref();
      String field = marker.field();
      String value =
          field == null ? ref.toString()
              : switch (field) {
                case "tag" -> ref.tag();
                case "name" -> ref.name();
                case "digest" -> ref.digest();
                default -> throw invalidAt(marker.scalar(), "unknown $imagepolicy field '" + field + "'");
              };
      if (value == null) {
        throw invalidAt(marker.scalar(), "the marker asks for the " + field + " of policy " + marker.policy() + ", but " + ref + " has none");
      }
      if (editor.setString(marker.scalar(), value)) {
        record(marker.scalar(), Kind.MARKER, marker.scalar().getValue(), value);
      }
    }
  }

  private ScalarNode setEntry(NodeTuple entry, String value, ScalarNode first) {
    ScalarNode scalar = (ScalarNode) entry.getValueNode();
    boolean changed = editor.setEntryString(entry, value);
    return first == null && changed ? scalar : first;
  }

  private void refuseDuplicate(Place place) {
    if (place.duplicate() != null) {
      String key = place.duplicate() instanceof ScalarNode s ? s.getValue() : "?";
      throw invalidAt(place.duplicate(), "duplicate key '" + key + "' on the path to an image; parsers disagree on which one wins");
    }
  }

  private InvalidYamlException invalidAt(Node node, String reason) {
    int offset = yaml.startOffset(node);
    return new InvalidYamlException(path, source.lineOf(offset), source.columnOf(offset), reason);
  }

  private void record(Node node, Kind kind, String old, String now) {
    int offset = node instanceof ScalarNode s ? spanStart(s) : yaml.startOffset(node);
    changes.add(new ValueChange(path, source.lineOf(offset), source.columnOf(offset), kind, old, now));
  }

  private int spanStart(ScalarNode scalar) {
    return scalar.getValue().isEmpty() && scalar.getScalarStyle() == ScalarStyle.PLAIN
        ? yaml.startOffset(scalar)
        : yaml.span(scalar).start();
  }

  /** The new text, verified. */
  EditedYaml apply() {
    return editor.apply();
  }

  private static final Set<String> KUSTOMIZE_FIELDS = Set.of("newName", "newTag", "digest");

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (value != null && !value.isEmpty()) {
      map.put(key, value);
    }
  }

  private static String key(NodeTuple tuple) {
    return ((ScalarNode) tuple.getKeyNode()).getValue();
  }
}
