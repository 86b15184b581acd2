package dev.bumper.io;

import java.io.IOException;

/** A write that would leave the root, or enter {@code .git}, through a symlink: refused. */
public final class OutsideRootException extends IOException {
  OutsideRootException(String message) {
    super(message);
  }
}
