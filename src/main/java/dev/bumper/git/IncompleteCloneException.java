package dev.bumper.git;

import java.io.IOException;

/** A clone mode directory that holds a clone of the URL whose checkout did not finish. */
public final class IncompleteCloneException extends IOException {
  public IncompleteCloneException(String message) {
    super(message);
  }
}
