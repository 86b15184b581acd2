package dev.bumper.git;

import java.io.IOException;

/** A tree from a remote that git itself would refuse: bumper neither checks it out nor edits it. */
public final class InvalidTreeException extends IOException {
  InvalidTreeException(String message) {
    super(message);
  }
}
