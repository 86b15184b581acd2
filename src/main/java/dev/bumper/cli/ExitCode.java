package dev.bumper.cli;

/** The exit codes every command shares; see SPEC.md. */
final class ExitCode {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;
  static final int NO_MATCH = 3;
  static final int INVALID_INPUT = 4;
  static final int PUSH_LOST = 5;

  private ExitCode() {}
}
