package dev.bumper.git;

import dev.bumper.edit.Edit;
import java.util.List;

/**
 * What one edit command set in a checkout, recorded so that it can be applied again to another
 * commit: the edit itself (its paths relative to a directory of the repository), the commit it was
 * applied on, the summary lines it made for the commit message, and the files it changed.
 */
public record Intent(Edit edit, String base, List<String> summaries, List<String> files) {
  public Intent {
    summaries = List.copyOf(summaries);
    files = List.copyOf(files);
  }

  /** The command that made the edit, as messages name it. */
  public String command() {
    return edit.command();
  }
}
