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

/**
 * The image references a file deploys, found where a bump would look, so that what an
 * environment ran at any commit is read by the same rules that change it: a container's or
 * volume's image, a Helm values block, a kustomize {@code images:} entry (its {@code newName}, or
 * its {@code name}, with {@code newTag} and {@code digest}), an Argo CD override entry.
 */
public final class ImagesInUse {
  private ImagesInUse() {}

  /**
   * One place's image.
   *
   * @param repository the normalized repository, the same for every spelling of it
   * @param reference the reference as the file spells it
   */
  public record Use(String repository, String reference) {}

  /** The images {@code source} deploys, in document order; none when bumper cannot read it. */
  public static List<Use> of(String path, SourceText source) {
    List<Use> found = new ArrayList<>();
    boolean argoSourceFile = path.substring(path.lastIndexOf('/') + 1).startsWith(".argocd-source");
    try {
      for (SourceText slice : DocumentChunks.split(source)) {
        for (Node document : ComposedYaml.compose(slice).documents()) {
          for (Place place : PlaceFinder.find(document, argoSourceFile)) {
            reference(place).ifPresent(ref -> found.add(new Use(ref.repository(), ref.toString())));
          }
        }
      }
    } catch (InvalidYamlException | StackOverflowError e) {
      // a file bumper cannot read deploys nothing it could change
    }
    return found;
  }

  private static Optional<ImageReference> reference(Place place) {
    String text = null;
    if (place instanceof Place.Ref ref) {
      text = ref.scalar().getValue();
      int alias = text.indexOf('=');
      if (ref.kind() == Kind.ARGOCD && alias >= 0) {
        text = text.substring(alias + 1);
      }
    } else if (place instanceof Place.HelmImage helm && helm.repository() != null) {
      String repository = Nodes.string(helm.repository());
      String registry = helm.registry() == null ? null : Nodes.string(helm.registry());
      text = registry == null || registry.isEmpty() ? repository : registry + "/" + repository;
      text = withParts(text, helm.tag() == null ? null : Nodes.string(helm.tag()),
          helm.digest() == null ? null : Nodes.string(helm.digest()));
    } else if (place instanceof Place.KustomizeEntry entry) {
      String newName = Nodes.string(entry.entry(), "newName");
      text = newName != null && !newName.isEmpty() ? newName : Nodes.string(entry.entry(), "name");
      text = withParts(text, Nodes.string(entry.entry(), "newTag"),
          Nodes.string(entry.entry(), "digest"));
    }
    return text == null || text.isEmpty() ? Optional.empty() : ImageReference.tryParse(text);
  }

  private static String withParts(String name, String tag, String digest) {
    if (name == null || name.isEmpty()) {
      return null;
    }
    String text = name;
    if (tag != null && !tag.isEmpty()) {
      text += ":" + tag;
    }
    if (digest != null && !digest.isEmpty()) {
      text += "@" + digest;
    }
    return text;
  }
}
