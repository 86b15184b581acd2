package dev.bumper.io;

import dev.bumper.manifest.FileBump;
import dev.bumper.manifest.ValueChange;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The outcome of bumping a set of files, before anything is written: the bumps of the files that
 * change, which specs matched anywhere, and the files that failed.
 */
public record TreeBump(
    int filesScanned,
    List<ManifestSource> changedFiles,
    List<FileBump> changedBumps,
    BitSet matched,
    List<FileFailure> failures) {

  public List<ValueChange> changes() {
    List<ValueChange> all = new ArrayList<>();
    changedBumps.forEach(b -> all.addAll(b.changes()));
    return all;
  }

  public boolean failed() {
    return !failures.isEmpty();
  }
}
