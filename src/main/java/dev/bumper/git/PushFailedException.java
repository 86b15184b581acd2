package dev.bumper.git;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.Failure;

/**
 * A push that did not land. {@code lost} is true when the remote kept moving for every attempt
 * or a rebase hit a real conflict (exit 5); false for a rejection that retrying cannot fix, such
 * as a hook or a protected branch (exit 1). The message never holds a credential.
 */
public final class PushFailedException extends Failure {
  private final boolean lost;

  public PushFailedException(boolean lost, String message) {
    super(lost ? ExitCode.PUSH_LOST : ExitCode.FAILURE, message);
    this.lost = lost;
  }

  public boolean lost() {
    return lost;
  }
}
