package dev.bumper.cli;

/**
 * A run that cannot go on for a reason the user can act on (another run holds the checkout, a
 * clone was left incomplete): printed as it is, exit 1, never as an internal error.
 */
final class RunFailedException extends RuntimeException {
  RunFailedException(String message) {
    super(message);
  }
}
