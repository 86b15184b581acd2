package dev.bumper.edit;

import dev.bumper.io.ManifestSource;
import dev.bumper.yaml.EditedYaml;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** An {@link ArgoCdSourceEdit} applied: the override file, its new text, and the list it holds. */
public record ArgoCdSourceEditResult(ManifestSource file, EditedYaml edited, String list) implements EditResult {
  @Override
  public List<FileEdit> edits() {
    return edited.changed() ? List.of(new FileEdit(file, edited.newText().getBytes(StandardCharsets.UTF_8))) : List.of();
  }

  @Override
  public List<String> summaries() {
    return edited.changed() ? List.of("Record images in " + file.display()) : List.of();
  }
}
