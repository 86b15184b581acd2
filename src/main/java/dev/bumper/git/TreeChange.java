package dev.bumper.git;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A bump as an intent: a change that can be applied to any commit of the config repo. When a push
 * loses a race, the same change is applied again to the new tip, so neither update is lost.
 */
public interface TreeChange {
  /**
   * Applies the change to a snapshot.
   *
   * @return the new bytes of the files that change, and a one-line summary per change for the
   *     commit message; no files when the snapshot is already up to date
   * @throws dev.bumper.edit.EditFailedException when the change cannot be applied (nothing matched, an invalid
   *     file), with the exit code to end with
   */
  Result apply(Snapshot snapshot) throws IOException;

  /**
   * Trailers for the commit that holds the change, made on {@code base}: where a promotion came
   * from, for one.
   */
  default Map<String, String> trailers(String base) {
    return Map.of();
  }

  /**
   * The files the change can read: paths in the tree ({@code /}-separated, relative to its top),
   * each a file or a directory of files; null when it may read any file. A snapshot serves the
   * other files too, only more slowly, so this decides what is fetched first, never what is right.
   */
  default List<String> scope() {
    return null;
  }

  /** What a change did to one snapshot. */
  record Result(Map<String, byte[]> files, List<String> summaries) {
    public Result {
      files = Map.copyOf(files);
      summaries = List.copyOf(summaries);
    }
  }
}
