package dev.bumper.edit;

import dev.bumper.io.ManifestSource;
import dev.bumper.yaml.EditedYaml;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** An {@link ArgoCdSourceEdit} applied: the override file, its new text, and the list it holds. */
public record ArgoCdSourceEditResult(ManifestSource file, EditedYaml edited, String list, String app, List<String> images)
    implements EditResult {
  public ArgoCdSourceEditResult {
    images = List.copyOf(images);
  }

  @Override
  public List<FileEdit> edits() {
    return edited.changed() ? List.of(new FileEdit(file, edited.newText().getBytes(StandardCharsets.UTF_8))) : List.of();
  }

  @Override
  public List<String> summaries() {
    return edited.changed()
        ? images.stream().map(image -> image + " for Argo CD application " + app).toList()
        : List.of();
  }
}
