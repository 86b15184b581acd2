package dev.bumper.kustomize;

import dev.bumper.yaml.EditedYaml;
import java.util.List;

/** What {@code kustomize-set-image} did to one kustomization. */
public record SetImageResult(EditedYaml edited, List<EntryChange> changes) {
  public SetImageResult {
    changes = List.copyOf(changes);
  }
}
