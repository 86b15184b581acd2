package dev.bumper.failure;

/** A mistake in the command line that picocli cannot see (a path outside the root). Exit 2. */
public final class UsageException extends Failure {
  public UsageException(String message) {
    super(ExitCode.USAGE, message);
  }
}
