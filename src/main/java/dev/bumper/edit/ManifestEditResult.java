package dev.bumper.edit;

import dev.bumper.io.TreeBump;
import dev.bumper.manifest.ValueChange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ManifestEdit} applied: every value changed, per file; and {@code notes}, the specs that
 * matched nothing when that was allowed, for verbose output.
 */
public record ManifestEditResult(TreeBump bump, List<String> notes) implements EditResult {
  public ManifestEditResult {
    notes = List.copyOf(notes);
  }

  @Override
  public List<FileEdit> edits() {
    List<FileEdit> edits = new ArrayList<>();
    for (int i = 0; i < bump.changedFiles().size(); i++) {
      edits.add(new FileEdit(
          bump.changedFiles().get(i), bump.changedBumps().get(i).edited().newText().getBytes(StandardCharsets.UTF_8)));
    }
    return edits;
  }

  @Override
  public List<String> summaries() {
    return CommitSummaries.of(changes());
  }

  public List<ValueChange> changes() {
    return bump.changes();
  }
}
