package dev.bumper.io;

import java.nio.file.Path;

/**
 * Where git keeps its own files. bumper edits a repository's content, never git's: a symlink in
 * a cloned config repo can point into {@code .git/} (at a hook, the config), and following it
 * would let a commit decide what bumper overwrites there.
 */
public final class GitDirectories {
  private static final String GIT = ".git";

  private GitDirectories() {}

  /** Whether {@code path} is a {@code .git} directory or anything under one. */
  public static boolean isInside(Path path) {
    for (Path name : path) {
      if (name.toString().equals(GIT)) {
        return true;
      }
    }
    return false;
  }
}
