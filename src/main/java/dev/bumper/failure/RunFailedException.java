package dev.bumper.failure;

/**
 * A run that cannot go on for a reason the user can act on (another run holds the checkout, a
 * clone was left incomplete): printed as it is, exit 1, never as an internal error.
 */
public final class RunFailedException extends Failure {
  public RunFailedException(String message) {
    super(ExitCode.FAILURE, message);
  }
}
