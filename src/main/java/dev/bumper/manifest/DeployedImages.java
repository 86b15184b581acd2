package dev.bumper.manifest;

import dev.bumper.image.ImageReference;
import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.DocumentChunks;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The image references a file deploys, read at the places a bump would set them (containers, image
 * volumes, Helm values, kustomize and Argo CD entries), each whole: registry, repository, tag and
 * digest. What {@code promote} copies from one environment to another.
 */
public final class DeployedImages {
  private DeployedImages() {}

  /**
   * One place and the reference it deploys.
   *
   * @param replaces for a kustomize or Argo CD entry, the normalized repository of the images it
   *     replaces in the resources (its {@code name}, or its alias); null for any other place
   * @param duplicate a duplicated key on the path to the place, which makes what it deploys
   *     depend on the parser; null when there is none
   */
  public record Deployed(
      String file,
      int line,
      Kind kind,
      ImageReference reference,
      String replaces,
      InvalidYamlException duplicate) {
    /** The normalized repository, however the file spells it. */
    public String repository() {
      return reference.repository();
    }

    /** {@code file:line}, as messages name a place. */
    public String where() {
      return file + ":" + line;
    }
  }

  /**
   * The references {@code source} deploys, in file order; a value that is not a reference (a
   * template placeholder, an empty string) deploys nothing bumper could copy.
   *
   * @throws InvalidYamlException when the file is not YAML
   */
  public static List<Deployed> of(String path, SourceText source) {
    boolean argoSourceFile = path.substring(path.lastIndexOf('/') + 1).startsWith(".argocd-source");
    List<Deployed> found = new ArrayList<>();
    for (SourceText slice : DocumentChunks.split(source)) {
      ComposedYaml yaml = ComposedYaml.compose(slice);
      for (Node document : yaml.documents()) {
        for (Place place : PlaceFinder.find(document, argoSourceFile)) {
          deployed(path, yaml, place).ifPresent(found::add);
        }
      }
    }
    return found;
  }

  private static Optional<Deployed> deployed(String path, ComposedYaml yaml, Place place) {
    String text = null;
    String replaces = null;
    if (place instanceof Place.Ref ref) {
      text = ref.scalar().getValue().strip();
      if (ref.kind() == Kind.ARGOCD) {
        int eq = text.indexOf('=');
        replaces = eq < 0 ? null : text.substring(0, eq);
        text = text.substring(eq + 1);
        replaces = replaces == null ? text : replaces;
      }
    } else if (place instanceof Place.HelmImage helm) {
      String registry = Nodes.string(helm.registry());
      String repository = Nodes.string(helm.repository());
      String tag = Nodes.string(helm.tag());
      String digest = Nodes.string(helm.digest());
      // charts without a digest field often take "tag@digest" in the tag field
      if (helm.digest() == null && tag != null && tag.contains("@")) {
        digest = tag.substring(tag.indexOf('@') + 1);
        tag = tag.substring(0, tag.indexOf('@'));
      }
      String name =
          registry == null || registry.isEmpty() ? repository : registry + "/" + repository;
      text = ReferenceParts.display(name, tag, digest);
    } else if (place instanceof Place.KustomizeEntry entry) {
      String name = Nodes.string(entry.entry(), "name");
      String newName = Nodes.string(entry.entry(), "newName");
      text = ReferenceParts.display(newName == null || newName.isEmpty() ? name : newName,
          Nodes.string(entry.entry(), "newTag"), Nodes.string(entry.entry(), "digest"));
      replaces = name;
    }
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    Optional<ImageReference> reference = ImageReference.tryParse(text);
    if (reference.isEmpty()) {
      return Optional.empty();
    }
    String replaced = replaces == null ? null
        : ImageReference.tryParse(replaces).map(ImageReference::repository).orElse(null);
    Node at = place instanceof Place.Ref ref ? ref.scalar() : place.node();
    int line = yaml.source().lineOf(yaml.startOffset(at));
    InvalidYamlException duplicate = null;
    if (place.duplicate() != null) {
      int offset = yaml.startOffset(place.duplicate());
      String key = place.duplicate() instanceof ScalarNode s ? s.getValue() : "?";
      duplicate = new InvalidYamlException(path, yaml.source().lineOf(offset),
          yaml.source().columnOf(offset),
          "duplicate key '" + key
              + "' on the path to an image; parsers disagree on which one wins");
    }
    return Optional.of(new Deployed(path, line, place instanceof Place.Ref ref ? ref.kind()
        : place instanceof Place.HelmImage ? Kind.HELM : Kind.KUSTOMIZE, reference.get(), replaced,
        duplicate));
  }
}
