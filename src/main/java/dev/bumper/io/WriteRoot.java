package dev.bumper.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The directory a run may write under, and the one place that decides whether a file may be
 * written: a file may be when its real path is inside the root and outside {@code .git}. A symlink
 * in a config repo (a kustomization linked to {@code /etc/...} or {@code ../../other-repo}) is
 * followed only while it stays there. The walk asks before it takes a file, the commands ask about
 * the paths they are given, and {@link AtomicFiles} asks again right before each write, so a link
 * that appeared since is refused too.
 */
public final class WriteRoot {
  private final Path real;

  private WriteRoot(Path real) {
    this.real = real;
  }

  /**
   * The root at {@code dir}, resolved to its real path once, here.
   *
   * @throws OutsideRootException when {@code dir} is inside {@code .git}: git's own files are not
   *     bumper's to write
   */
  public static WriteRoot of(Path dir) throws IOException {
    Path real = dir.toRealPath();
    if (GitDirectories.isInside(real)) {
      throw new OutsideRootException(PathText.of(dir), real, real, true, false);
    }
    return new WriteRoot(real);
  }

  public Path dir() {
    return real;
  }

  /**
   * The real path to write for {@code file}: its target when it is a link, itself when new.
   *
   * @throws OutsideRootException when that path is outside the root or inside {@code .git}
   * @throws java.nio.file.NoSuchFileException for a link to nothing: a write never creates the file
   *     a dangling link names
   */
  public Path resolve(Path file) throws IOException {
    Path target;
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      target = file.toRealPath();
    } else {
      Path absolute = file.toAbsolutePath();
      Path parent = absolute.getParent();
      target = parent == null ? absolute : parent.toRealPath().resolve(absolute.getFileName());
    }
    boolean outside = !target.startsWith(real);
    if (outside || GitDirectories.isInside(real.relativize(target))) {
      boolean viaLink = !target.equals(file.toAbsolutePath().normalize());
      throw new OutsideRootException(PathText.of(file), target, real, !outside, viaLink);
    }
    return target;
  }
}
