package dev.bumper.cli;

import dev.bumper.edit.ArgoCdSourceEdit;
import dev.bumper.failure.UsageException;
import dev.bumper.image.ImageUpdate;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code bump-manifest}'s options for Argo CD's parameter override files. */
final class ArgoCdOptions {
  @Option(
      names = "--argocd-app",
      paramLabel = "APP",
      description = "Record the images for Argo CD application APP in .argocd-source-APP.yaml beside its source, as Argo CD Image Updater's git write-back does (kustomize.images, or helm.parameters for a Helm source), creating the file when missing. PATH is the source directory; default: the spec.source.path of the Application named APP in the tree.")
  String app;

  @Option(
      names = "--helm-image-name",
      paramLabel = "KEY",
      description = "With --argocd-app, for a Helm source: the parameter that holds the image's name (default: image.name).")
  String helmImageName = "image.name";

  @Option(
      names = "--helm-image-tag",
      paramLabel = "KEY",
      description = "With --argocd-app, for a Helm source: the parameter that holds the image's tag (default: image.tag).")
  String helmImageTag = "image.tag";

  boolean given() {
    return app != null;
  }

  /** The edit: the images for APP, in the source directory PATH names (or the Application's). */
  ArgoCdSourceEdit edit(List<ImageUpdate> images, boolean setsOrPolicies, List<String> paths) {
    if (setsOrPolicies) {
      throw new UsageException("--argocd-app records images: --set and --policy edit manifests, not its file");
    }
    if (images.isEmpty()) {
      throw new UsageException("--argocd-app " + app + ": give the images to record with --image");
    }
    if (paths.size() > 1) {
      throw new UsageException("--argocd-app " + app + ": give one PATH, the application's source directory");
    }
    return new ArgoCdSourceEdit("", app, paths.isEmpty() ? null : paths.get(0), images, helmImageName, helmImageTag);
  }
}
