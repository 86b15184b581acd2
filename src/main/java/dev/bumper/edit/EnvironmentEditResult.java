package dev.bumper.edit;

import dev.bumper.manifest.ValueChange;
import dev.bumper.yaml.TextEdit;
import dev.bumper.yaml.UnifiedDiff;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A rollback or a release applied: the images set back, file by file, and the holds file when it
 * changes.
 *
 * @param parts what setting the images made of each file
 * @param holds the holds file's new content, or null when it does not change
 * @param holdsBefore the holds file's text before ({@code ""} when there was none)
 * @param summaries the commit's summary lines
 * @param held whether the environment is held afterwards
 */
public record EnvironmentEditResult(
    List<ManifestEditResult> parts, FileEdit holds, String holdsBefore, List<String> summaries,
    boolean held) implements EditResult {
  public EnvironmentEditResult {
    parts = List.copyOf(parts);
    summaries = List.copyOf(summaries);
  }

  @Override
  public List<FileEdit> edits() {
    List<FileEdit> edits = new ArrayList<>();
    parts.forEach(part -> edits.addAll(part.edits()));
    if (holds != null) {
      edits.add(holds);
    }
    return edits;
  }

  @Override
  public List<String> summaries() {
    return changed() ? summaries : List.of();
  }

  /** Every image set back. */
  public List<ValueChange> changes() {
    List<ValueChange> changes = new ArrayList<>();
    parts.forEach(part -> changes.addAll(part.changes()));
    return changes;
  }

  /** A unified diff of every file that changes. */
  public String diff() {
    StringBuilder diff = new StringBuilder();
    for (ManifestEditResult part : parts) {
      for (int i = 0; i < part.bump().changedFiles().size(); i++) {
        diff.append(part.bump().changedBumps().get(i).edited()
            .diff(part.bump().changedFiles().get(i).display()));
      }
    }
    if (holds != null) {
      String after = new String(holds.content(), StandardCharsets.UTF_8);
      diff.append(UnifiedDiff.of(holds.path(), holdsBefore,
          List.of(new TextEdit(0, holdsBefore.length(), after))));
    }
    return diff.toString();
  }
}
