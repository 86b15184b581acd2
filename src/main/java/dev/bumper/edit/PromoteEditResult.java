package dev.bumper.edit;

import dev.bumper.edit.PromoteEdit.Promoted;
import dev.bumper.manifest.ValueChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link PromoteEdit} applied: the references read from the source ({@code promoted}, and
 * {@code unused}, those the target does not use), the digests looked up for tags, and the bump of
 * the target.
 */
public record PromoteEditResult(
    String from,
    String to,
    List<Promoted> promoted,
    List<Promoted> unused,
    Map<String, String> looked,
    ManifestEditResult bump)
    implements EditResult {
  public PromoteEditResult {
    promoted = List.copyOf(promoted);
    unused = List.copyOf(unused);
    looked = Map.copyOf(looked);
  }

  @Override
  public List<FileEdit> edits() {
    return bump.edits();
  }

  /** The bump's lines, the first saying where they come from, so a commit's subject says so. */
  @Override
  public List<String> summaries() {
    List<String> lines = new ArrayList<>(bump.summaries());
    if (!lines.isEmpty()) {
      lines.set(0, "Promote " + from + " to " + to + ": " + lines.get(0));
    }
    return lines;
  }

  public List<ValueChange> changes() {
    return bump.changes();
  }
}
