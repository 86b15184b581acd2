package dev.bumper.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * A file-system failure in words: Java's exceptions carry the path alone as their message
 * ({@code AccessDeniedException: /srv/config}), which says nothing of what went wrong.
 */
public final class IoErrors {
  private IoErrors() {}

  /** "PATH: permission denied", or the exception's own message when it has a sentence. */
  public static String describe(IOException e) {
    if (!(e instanceof FileSystemException failure) || failure.getFile() == null) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    String what = failure.getFile() + (failure.getOtherFile() == null ? "" : " -> " + failure.getOtherFile());
    return what + ": " + reason(e);
  }

  /** What went wrong, without the path: "permission denied", "no such file or directory". */
  public static String reason(IOException e) {
    if (!(e instanceof FileSystemException failure) || failure.getFile() == null) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    String reason = failure.getReason();
    if (reason == null) {
      reason = e instanceof AccessDeniedException ? "permission denied"
          : e instanceof NoSuchFileException ? "no such file or directory"
          : e instanceof NotDirectoryException ? "not a directory"
          : e instanceof FileAlreadyExistsException ? "already exists"
          : e instanceof DirectoryNotEmptyException ? "directory not empty"
          : e instanceof FileSystemLoopException ? "a loop of symlinks"
          : e instanceof NotLinkException ? "not a symlink"
          : "cannot be used";
    }
    return reason;
  }
}
