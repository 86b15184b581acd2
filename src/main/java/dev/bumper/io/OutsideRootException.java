package dev.bumper.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that leads out of the root, or into {@code .git}: {@link WriteRoot} refuses to write it.
 * Carries where it leads, so that a caller can name both the file and its target, and tell a link
 * to a file from one to a directory.
 */
public final class OutsideRootException extends IOException {
  private final Path target;
  private final Path root;
  private final boolean intoGit;
  private final boolean viaLink;

  OutsideRootException(String shown, Path target, Path root, boolean intoGit, boolean viaLink) {
    super(shown);
    this.target = target;
    this.root = root;
    this.intoGit = intoGit;
    this.viaLink = viaLink;
  }

  /** The real path the file leads to. */
  public Path target() {
    return target;
  }

  /** Whether it leads into {@code .git} (inside the root) rather than out of the root. */
  public boolean intoGit() {
    return intoGit;
  }

  @Override
  public String getMessage() {
    return message(super.getMessage());
  }

  /** The message, naming the file as {@code shown}: a path relative to the root, say. */
  public String message(String shown) {
    String where = intoGit ? "into .git" : "outside the root " + PathText.of(root);
    String why = intoGit
        ? "bumper edits a repository's files, not git's own, and did not write it"
        : "bumper writes only inside the root, and did not write it";
    return viaLink
        ? shown + " leads through a symlink to " + PathText.of(target) + ", " + where + "; " + why
        : shown + " is " + (intoGit ? "inside .git" : where) + "; " + why;
  }
}
