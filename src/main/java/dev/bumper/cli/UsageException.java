package dev.bumper.cli;

/** A mistake in the command line that picocli cannot see (a path outside the root). Exit 2. */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }
}
