package dev.bumper.failure;

/** The exit codes every command shares; see SPEC.md. */
public final class ExitCode {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int NO_MATCH = 3;
  public static final int INVALID_INPUT = 4;
  public static final int PUSH_LOST = 5;
  /** A held environment: {@code bumper rollback --hold} stands until {@code bumper release}. */
  public static final int HELD = 6;

  private ExitCode() {}
}
