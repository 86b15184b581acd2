package dev.bumper.git;

/**
 * A push that did not land. {@code lost} is true when the remote kept moving for every attempt
 * or a rebase hit a real conflict (exit 5); false for a rejection that retrying cannot fix, such
 * as a hook or a protected branch (exit 1). The message never holds a credential.
 */
public final class PushFailedException extends RuntimeException {
  private final boolean lost;

  public PushFailedException(boolean lost, String message) {
    super(message);
    this.lost = lost;
  }

  public boolean lost() {
    return lost;
  }
}
