package dev.bumper.git;

/**
 * A bump that failed on the config repo's content (nothing matched, an invalid file); carries the
 * exit code of that failure. Its message has been printed already when {@code printed} is true.
 */
public final class ChangeFailedException extends RuntimeException {
  private final int exitCode;

  public ChangeFailedException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
