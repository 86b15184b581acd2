package dev.bumper.manifest;

import dev.bumper.image.ImageReference;
import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.DocumentChunks;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The image repositories a file uses, as it spells them, found where a bump would look (containers, Helm values,
 * kustomize and Argo CD entries): what a spec that matched nothing is compared with, so that the
 * error can name the repository the user probably meant.
 */
public final class RepositoriesInUse {
  private RepositoriesInUse() {}

  /** The repositories {@code source} uses; none when it is not YAML bumper can read. */
  public static Set<String> of(String path, SourceText source) {
    Set<String> found = new TreeSet<>();
    boolean argoSourceFile = path.substring(path.lastIndexOf('/') + 1).startsWith(".argocd-source");
    try {
      for (SourceText slice : DocumentChunks.split(source)) {
        if (!mayHoldAPlace(slice.text())) {
          continue;
        }
        for (Node document : ComposedYaml.compose(slice).documents()) {
          for (Place place : PlaceFinder.find(document, argoSourceFile)) {
            repository(place).ifPresent(found::add);
          }
        }
      }
    } catch (InvalidYamlException | StackOverflowError e) {
      // a file bumper cannot read names nothing it could have matched
    }
    return found;
  }

  /**
   * Whether a document's text may hold an image at all: every place is under a key that says so
   * ({@code image}, {@code images}, Helm's {@code *Image}). Most documents of a config repo
   * (Services, ConfigMaps) then need no parse, a third of the files of a large tree.
   */
  static boolean mayHoldAPlace(String text) {
    return text.contains("image") || text.contains("Image");
  }

  private static Optional<String> repository(Place place) {
    String text = null;
    if (place instanceof Place.Ref ref) {
      text = ref.scalar().getValue();
      int alias = text.indexOf('=');
      if (ref.kind() == Kind.ARGOCD && alias >= 0) {
        text = text.substring(0, alias);
      }
    } else if (place instanceof Place.HelmImage helm && helm.repository() != null) {
      String repository = Nodes.string(helm.repository());
      String registry = helm.registry() == null ? null : Nodes.string(helm.registry());
      text = registry == null || registry.isEmpty() ? repository : registry + "/" + repository;
    } else if (place instanceof Place.KustomizeEntry entry) {
      text = Nodes.string(entry.entry(), "name");
    }
    return text == null || text.isEmpty() ? Optional.empty() : ImageReference.tryParse(text).map(ImageReference::name);
  }
}
