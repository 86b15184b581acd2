package dev.bumper.yaml;

/** Two updates asked for different values at the same place. A usage error: exit code 2. */
public final class EditConflictException extends RuntimeException {
  public EditConflictException(String message) {
    super(message);
  }
}
