package dev.bumper.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The directory a run may write under. Every write goes to the real path of its file, checked
 * right before the write: a symlink in a config repo (a kustomization linked to {@code /etc/...}
 * or {@code ../../other-repo}) is followed only while it stays inside the root and outside
 * {@code .git}, whatever the walk or the command line saw earlier.
 */
public final class WriteRoot {
  private final Path real;

  /** @param dir the root; resolved to its real path once, here */
  public WriteRoot(Path dir) throws IOException {
    this.real = dir.toRealPath();
  }

  public Path dir() {
    return real;
  }

  /**
   * The real path to write for {@code file}: its target when it is a link, itself when new.
   *
   * @throws OutsideRootException when that path is outside the root or inside {@code .git}
   */
  public Path resolve(Path file) throws IOException {
    Path target;
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      target = file.toRealPath();
    } else {
      Path parent = file.toAbsolutePath().getParent();
      target = (parent == null ? file.toAbsolutePath() : parent.toRealPath().resolve(file.getFileName()));
    }
    if (!target.startsWith(real)) {
      throw new OutsideRootException(file + " leads to " + target + ", outside " + real
          + " (through a symlink); bumper writes only inside the root, and wrote nothing");
    }
    if (GitDirectories.isInside(real.relativize(target))) {
      throw new OutsideRootException(file + " leads into .git (" + target
          + "); bumper edits a repository's files, not git's own, and wrote nothing");
    }
    return target;
  }
}
