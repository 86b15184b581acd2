package dev.bumper.manifest;

import dev.bumper.image.ImageUpdate;
import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.EditedYaml;
import java.util.BitSet;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The bump of one YAML stream in progress: finds the places each spec of the request names (image
 * references, Helm values, kustomize and Argo CD entries, paths, Flux markers), has the setter of
 * that kind of spec set them, notes which specs matched, and applies the edits, verified, at the
 * end.
 */
final class FileBumper {
  private final BumpRequest request;
  private final ComposedYaml yaml;
  private final StreamEdit edit;
  private final BitSet matched;

  FileBumper(
      BumpRequest request,
      String path,
      ComposedYaml yaml,
      List<ValueChange> changes,
      BitSet matched) {
    this.request = request;
    this.yaml = yaml;
    this.edit = new StreamEdit(path, yaml, changes);
    this.matched = matched;
  }

  void run(boolean argoSourceFile) {
    List<ImageUpdate> images = request.images();
    if (!images.isEmpty()) {
      ImageSetter setter = new ImageSetter(edit);
      for (Node document : yaml.documents()) {
        for (Place place : PlaceFinder.find(document, argoSourceFile)) {
          for (int i = 0; i < images.size(); i++) {
            if (setter.set(place, images.get(i))) {
              matched.set(i);
            }
          }
        }
      }
    }
    List<PathAssignment> paths = request.paths();
    PathSetter pathSetter = new PathSetter(edit, request.createKeys());
    for (int i = 0; i < paths.size(); i++) {
      for (Node document : yaml.documents()) {
        if (pathSetter.set(document, paths.get(i))) {
          matched.set(images.size() + i);
        }
      }
    }
    List<PolicyAssignment> policies = request.policies();
    if (!policies.isEmpty()) {
      MarkerSetter markerSetter = new MarkerSetter(edit);
      int offset = images.size() + paths.size();
      for (Place.Marker marker : PolicyMarkers.find(yaml)) {
        for (int i = 0; i < policies.size(); i++) {
          if (markerSetter.set(marker, policies.get(i))) {
            matched.set(offset + i);
          }
        }
      }
    }
  }

  /** The new text, verified. */
  EditedYaml apply() {
    return edit.apply();
  }
}
