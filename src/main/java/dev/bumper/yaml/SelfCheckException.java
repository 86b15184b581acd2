package dev.bumper.yaml;

/**
 * The edited text does not re-parse to the original tree with only the intended values changed.
 * Nothing is written when this is thrown; it maps to exit code 1 because it is bumper's fault,
 * not the user's.
 */
public final class SelfCheckException extends RuntimeException {
  public SelfCheckException(String file, String detail) {
    super(file + ": self-check failed, nothing written: " + detail);
  }
}
