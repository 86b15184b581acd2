package dev.bumper.git;

import dev.bumper.edit.Edit;
import dev.bumper.edit.EditResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@link Edit} as a change to commits: applied to each snapshot it is given (the tip, and the
 * new tip after each lost race), remembering what it made of the last one, for output.
 */
public final class EditChange implements TreeChange {
  private final Edit edit;
  private final boolean write;
  private EditResult last;

  private EditChange(Edit edit, boolean write) {
    this.edit = edit;
    this.write = write;
  }

  /** The edit as a change to commit. */
  public static EditChange of(Edit edit) {
    return new EditChange(edit, true);
  }

  /** The edit applied only to see what it would change: no files, so nothing is committed. */
  public static EditChange preview(Edit edit) {
    return new EditChange(edit, false);
  }

  @Override
  public Result apply(Snapshot snapshot) throws IOException {
    last = edit.apply(snapshot);
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (write) {
      last.edits().forEach(file -> files.put(file.path(), file.content()));
    }
    return new Result(files, last.summaries());
  }

  @Override
  public Map<String, String> trailers(String base) {
    return edit.trailers(base);
  }

  /** What the edit made of the last snapshot it was applied to; null before the first. */
  public EditResult last() {
    return last;
  }
}
