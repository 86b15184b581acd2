package dev.bumper.edit;

import dev.bumper.io.ManifestSource;
import java.util.List;

/** What an edit makes of one tree: the files it changes, and a summary line per change for commits. */
public sealed interface EditResult permits ManifestEditResult, KustomizationEditResult,
    ArgoCdSourceEditResult, PromoteEditResult, EnvironmentEditResult {
  /** A changed file: where it was read from, and its new bytes. */
  record FileEdit(ManifestSource source, byte[] content) {
    /** The path relative to the top of the tree the edit was applied to. */
    public String path() {
      return source.display();
    }
  }

  /** The changed files, in path order; none when the tree is already up to date. */
  List<FileEdit> edits();

  /** One line per change, for the commit message. */
  List<String> summaries();

  default boolean changed() {
    return !edits().isEmpty();
  }
}
