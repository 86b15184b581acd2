package dev.bumper.edit;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.UsageException;
import dev.bumper.image.ImageReference;
import dev.bumper.image.ImageUpdate;
import dev.bumper.io.ManifestSource;
import dev.bumper.io.PathArguments;
import dev.bumper.manifest.ArgoCdApplicationSets;
import dev.bumper.manifest.ArgoCdApplications;
import dev.bumper.manifest.ArgoCdOverrideFile;
import dev.bumper.yaml.EditedYaml;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SelfCheckException;
import dev.bumper.yaml.SourceText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code bump-manifest --argocd-app APP}: the images recorded for Argo CD application APP in its
 * parameter override file, {@code .argocd-source-APP.yaml} beside its source, as Argo CD Image
 * Updater's git write-back records them: {@code kustomize.images} for a kustomize source, {@code
 * helm.parameters} (the image name and tag keys) for a Helm source. The source directory is {@code
 * source} (relative to {@code root}), or, when null, the {@code spec.source.path} of the
 * Application named APP found in the tree.
 */
public record ArgoCdSourceEdit(
    String root, String app, String source, List<ImageUpdate> images, String helmNameKey, String helmTagKey,
    boolean force)
    implements Edit {
  /** An edit that a hold refuses. */
  public ArgoCdSourceEdit(String root, String app, String source, List<ImageUpdate> images,
      String helmNameKey, String helmTagKey) {
    this(root, app, source, images, helmNameKey, helmTagKey, false);
  }

  public ArgoCdSourceEdit {
    images = List.copyOf(images);
    if (app.isEmpty() || app.contains("/")) {
      throw new UsageException("--argocd-app " + app + ": not an application name");
    }
    for (ImageUpdate image : images) {
      String spec = image.toString();
      if (spec.contains("*") || (ref(image).tag() == null && ref(image).digest() == null)) {
        // Argo CD runs kustomize edit set image, which refuses a bare name
        throw new UsageException("--image " + spec + ": an image for Argo CD needs a tag or a digest, and no *");
      }
    }
  }

  @Override
  public String command() {
    return ManifestEdit.COMMAND;
  }

  @Override
  public ArgoCdSourceEdit atRoot(String root) {
    return new ArgoCdSourceEdit(root, app, source, images, helmNameKey, helmTagKey, force);
  }

  /** The same edit, made whatever holds stand ({@code --force}). */
  public ArgoCdSourceEdit forced() {
    return new ArgoCdSourceEdit(root, app, source, images, helmNameKey, helmTagKey, true);
  }

  @Override
  public ArgoCdSourceEditResult apply(FileTree tree) throws IOException {
    ArgoCdApplications.Source found = source != null ? null : findApplication(tree);
    String dir = source != null ? Edit.join(root, normalized(source)) : found.path();
    boolean kustomize;
    if (KustomizationEdit.FILE_NAMES.stream().anyMatch(name -> exists(tree, Edit.join(dir, name)))) {
      kustomize = true;
    } else if (exists(tree, Edit.join(dir, "Chart.yaml")) || (found != null && found.helm())) {
      kustomize = false;
    } else if (found != null && found.kustomize()) {
      kustomize = true;
    } else {
      throw new UsageException("--argocd-app " + app + ": cannot tell whether " + (dir.isEmpty() ? "." : dir)
          + " is a kustomize or a Helm source (no kustomization, no Chart.yaml)");
    }
    String path = Edit.join(dir, ".argocd-source-" + app + ".yaml");
    ManifestSource existing = tree.file(path);
    ManifestSource file = existing != null ? existing : tree.target(path);
    SourceText text = SourceText.decode(file.display(), existing == null ? new byte[0] : existing.read());
    try {
      EditedYaml edited = kustomize ? ArgoCdOverrideFile.kustomize(text, kustomizeImages())
          : ArgoCdOverrideFile.helm(text, helmParameters());
      ArgoCdSourceEditResult result = new ArgoCdSourceEditResult(file, edited,
          kustomize ? "kustomize.images" : "helm.parameters", app, kustomizeImages());
      Holds.refuse(tree, result, force);
      return result;
    } catch (InvalidYamlException e) {
      throw new EditFailedException(ExitCode.INVALID_INPUT, e.getMessage(), List.of(e.getMessage()));
    } catch (SelfCheckException e) {
      throw new EditFailedException(ExitCode.FAILURE, e.getMessage(), List.of("bumper: " + e.getMessage()));
    }
  }

  /** The images as {@code kustomize edit set image} takes them: {@code NAME=REF} or {@code REF}. */
  private List<String> kustomizeImages() {
    List<String> entries = new ArrayList<>();
    images.forEach(image -> entries.add(image.toString()));
    return entries;
  }

  /** The image's name and tag under the Helm keys, as the updater writes them. */
  private Map<String, String> helmParameters() {
    if (images.size() != 1) {
      throw new UsageException("--argocd-app " + app + " is a Helm source: give one --image, its keys named by"
          + " --helm-image-name and --helm-image-tag");
    }
    ImageReference ref = ref(images.get(0));
    String tag = ref.tag() == null ? "latest" : ref.tag();
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put(helmNameKey, ref.name());
    parameters.put(helmTagKey, ref.digest() == null ? tag : tag + "@" + ref.digest());
    return parameters;
  }

  /** The reference an --image spec sets: REF of {@code NAME=REF}, else the spec itself. */
  private static ImageReference ref(ImageUpdate image) {
    String spec = image.toString();
    return ImageReference.parse(spec.substring(spec.indexOf('=') + 1));
  }

  /**
   * The source of the application named APP: an {@code Application} of that name, or one an
   * {@code ApplicationSet} generates; the git directory generator matches the tree's directories
   * that hold a manifest (a source directory holds a kustomization or a {@code Chart.yaml}).
   */
  private ArgoCdApplications.Source findApplication(FileTree tree) throws IOException {
    List<ArgoCdApplications.Source> found = new ArrayList<>();
    List<SourceText> applicationSets = new ArrayList<>();
    Set<String> directories = new TreeSet<>();
    tree.manifests(root, List.of(), List.of(), List.of(), file -> {
      String path = file.display();
      for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
        directories.add(path.substring(0, slash));
      }
      try {
        SourceText text = SourceText.decode(path, file.read());
        if (text.text().contains(app)) {
          ArgoCdApplications.find(text, app).ifPresent(found::add);
        }
        if (text.text().contains("ApplicationSet")) {
          applicationSets.add(text);
        }
      } catch (IOException | RuntimeException e) {
        // a file that cannot be read holds no Application bumper could use
      }
    });
    List<String> unexpanded = new ArrayList<>();
    for (SourceText text : applicationSets) {
      ArgoCdApplicationSets.Found generated = ArgoCdApplicationSets.find(text, app, directories);
      found.addAll(generated.sources());
      unexpanded.addAll(generated.unexpanded());
    }
    if (found.size() != 1) {
      String because = unexpanded.isEmpty() ? ""
          : " (not expanded: " + String.join(", ", unexpanded) + ")";
      throw new UsageException("--argocd-app " + app + ": " + (found.isEmpty()
          ? "no Application of that name with a spec.source.path in the tree, nor one an"
              + " ApplicationSet generates" + because + "; give the source directory as PATH"
          : found.size() + " Applications of that name; give the source directory as PATH"));
    }
    return found.get(0);
  }

  private static boolean exists(FileTree tree, String path) {
    try {
      return tree.file(path) != null;
    } catch (IOException e) {
      return false;
    }
  }

  private static String normalized(String path) {
    String normalized = PathArguments.of(path).normalize().toString().replace('\\', '/');
    if (normalized.startsWith("/") || normalized.startsWith("..")) {
      throw new UsageException(path + ": outside the repository");
    }
    return normalized.equals(".") ? "" : normalized;
  }
}
