package dev.bumper.edit;

import dev.bumper.io.ManifestSource;
import dev.bumper.kustomize.EntryChange;
import dev.bumper.kustomize.SetImageResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A {@link KustomizationEdit} applied: the kustomization it read, and what became of its images. */
public record KustomizationEditResult(ManifestSource source, SetImageResult result) implements EditResult {
  @Override
  public List<FileEdit> edits() {
    return result.edited().changed()
        ? List.of(new FileEdit(source, result.edited().newText().getBytes(StandardCharsets.UTF_8)))
        : List.of();
  }

  @Override
  public List<String> summaries() {
    List<String> summaries = new ArrayList<>();
    for (EntryChange c : result.changes()) {
      summaries.add(CommitSummaries.line(c.old(), c.now()));
    }
    if (summaries.isEmpty() && result.edited().changed()) {
      summaries.add("Sort images in " + source.display() + " by name");
    }
    return summaries;
  }
}
