package dev.bumper.pipeline;

import dev.bumper.edit.Edit;
import dev.bumper.git.Intent;
import dev.bumper.git.IntentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Records what an edit command set in a git checkout, so that {@code commit-push} can apply it
 * again on a newer tip when its push loses a race. Outside a checkout it does nothing. A failure
 * to record is only a warning: the change is then carried over like a change made by hand.
 */
final class IntentRecorder {
  private IntentRecorder() {}

  /** The top of the work tree that holds {@code dir}, or null outside a checkout. */
  private static Path gitMarkerAbove(Path dir) {
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.exists(d.resolve(Constants.DOT_GIT))) {
        return d;
      }
    }
    return null;
  }

  /**
   * Records {@code edit}, applied at {@code rootDir} (a real path; the edit's paths relative to
   * it), which changed {@code files} (relative to it).
   */
  static void record(Reporter reporter, Path rootDir, Edit edit, List<String> summaries, List<String> files) {
    if (gitMarkerAbove(rootDir) == null) {
      return;
    }
    try (Repository repo = new FileRepositoryBuilder().findGitDir(rootDir.toFile()).build()) {
      if (repo.isBare() || repo.getDirectory() == null) {
        return;
      }
      Path top = repo.getWorkTree().toPath().toRealPath();
      if (!rootDir.startsWith(top)) {
        return;
      }
      ObjectId head = repo.resolve(Constants.HEAD);
      String root = top.relativize(rootDir).toString().replace('\\', '/');
      List<String> repoFiles = new ArrayList<>();
      for (String file : files) {
        repoFiles.add(root.isEmpty() ? file : root + "/" + file);
      }
      new IntentStore(repo.getDirectory().toPath())
          .add(new Intent(edit.atRoot(root), head == null ? "" : head.name(), summaries, repoFiles));
      reporter.verbose("bumper: recorded the " + edit.command() + " in " + repo.getDirectory().toPath().resolve("bumper")
          + " for commit-push");
    } catch (IOException | IllegalArgumentException e) {
      reporter.warn("bumper: warning: could not record the change for commit-push (" + e.getMessage()
          + "); a lost push race will merge it like a change made by hand");
    }
  }
}
