package dev.bumper.manifest;

import dev.bumper.image.ImageReference;
import dev.bumper.image.ImageUpdate;
import dev.bumper.kustomize.ImageEntryEditor;
import dev.bumper.yaml.YamlEditor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * {@code --image}: sets an image update at a place where an image is written, in that place's own
 * form (a whole reference, an Argo CD override entry, a Helm values block, a kustomize images
 * entry).
 */
final class ImageSetter {
  private static final Set<String> KUSTOMIZE_FIELDS = Set.of("newName", "newTag", "digest");

  private final StreamEdit edit;
  private final YamlEditor editor;

  ImageSetter(StreamEdit edit) {
    this.edit = edit;
    this.editor = edit.editor();
  }

  /**
   * Sets the update at the place if it names the image there.
   *
   * @return whether the update matched the place, changed or already up to date
   */
  boolean set(Place place, ImageUpdate update) {
    if (place instanceof Place.Ref ref) {
      return ref.kind() == Kind.ARGOCD ? argoCd(ref, update) : reference(ref, update);
    } else if (place instanceof Place.HelmImage helm) {
      return helm(helm, update);
    } else if (place instanceof Place.KustomizeEntry entry) {
      return kustomize(entry, update);
    }
    return false;
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
      edit.record(scalar, place.kind(), scalar.getValue(), next);
    }
    return true;
  }

  /**
   * {@code kustomize.images} entries of an Argo CD write-back file: {@code name=ref} or {@code
   * ref}.
   */
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
        alias != null
            && update.newName().isPresent()
            && ImageReference.tryParse(alias).map(update::matches).orElse(false);
    if (!update.matches(deployed.get()) && !byAlias) {
      return false;
    }
    refuseDuplicate(place);
    ImageReference rewritten = ReferenceParts.rewrite(update, deployed.get());
    if (rewritten.tag() == null && rewritten.digest() == null) {
      // Argo CD runs kustomize edit set image on these strings, which refuses a bare name
      throw new InvalidRequestException(
          "%s:%d: %s in an Argo CD override file needs a tag or a digest: kustomize edit"
                  .formatted(edit.path(), edit.lineOf(scalar), rewritten)
              + " set image, which Argo CD runs on it, refuses a bare name");
    }
    String next = (alias == null ? "" : alias + "=") + rewritten;
    if (editor.setString(scalar, next)) {
      edit.record(scalar, Kind.ARGOCD, value, next);
    }
    return true;
  }

  private boolean helm(Place.HelmImage place, ImageUpdate update) {
    String registry = Nodes.string(place.registry());
    String repository = Nodes.string(place.repository());
    String name = registry == null || registry.isEmpty() ? repository : registry + "/" + repository;
    Optional<ImageReference> parsed = ImageReference.tryParse(name);
    if (parsed.isEmpty()
        || parsed.get().tag() != null
        || parsed.get().digest() != null
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
      edit.record(first != null ? first : place.map(), Kind.HELM, old, now);
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
    Optional<ImageReference> deployed =
        ImageReference.tryParse(deployedName == null ? "" : deployedName);
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
    String wantedName =
        renamed == null ? Nodes.string(newName) : renamed.equals(name) ? null : renamed;
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
      edit.record(at, Kind.KUSTOMIZE, old, now);
    }
    return true;
  }

  private ScalarNode setEntry(NodeTuple entry, String value, ScalarNode first) {
    ScalarNode scalar = (ScalarNode) entry.getValueNode();
    boolean changed = editor.setEntryString(entry, value);
    return first == null && changed ? scalar : first;
  }

  private void refuseDuplicate(Place place) {
    if (place.duplicate() != null) {
      String key = place.duplicate() instanceof ScalarNode s ? s.getValue() : "?";
      throw edit.invalidAt(
          place.duplicate(),
          "duplicate key '"
              + key
              + "' on the path to an image; parsers disagree on which one wins");
    }
  }

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (value != null && !value.isEmpty()) {
      map.put(key, value);
    }
  }

  private static String key(NodeTuple tuple) {
    return ((ScalarNode) tuple.getKeyNode()).getValue();
  }
}
