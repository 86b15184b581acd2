package dev.bumper.git;

import java.util.List;

/**
 * What one edit command set in a checkout, recorded so that it can be applied again to another
 * commit: the command, its arguments as they would be given at {@code root} (a directory of the
 * repository, {@code ""} for its top), the commit it was applied on, the summary lines it made for
 * the commit message, and the files it changed.
 */
public record Intent(
    String command, String root, List<String> args, String base, List<String> summaries, List<String> files) {
  public Intent {
    args = List.copyOf(args);
    summaries = List.copyOf(summaries);
    files = List.copyOf(files);
  }
}
