package dev.bumper.failure;

import java.util.List;

/**
 * A failure the user can act on: a bad argument, an input that is not what it claims to be, a
 * server that refused. It carries the exit code the run ends with and a message that names the
 * cause and holds no secret, printed as it is. Whatever else a command throws is a bug in bumper,
 * reported as an internal error.
 */
public class Failure extends RuntimeException {
  private final int exitCode;

  public Failure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public Failure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** What to print, one line each: by default the message. */
  public List<String> lines() {
    return List.of("bumper: " + getMessage());
  }
}
