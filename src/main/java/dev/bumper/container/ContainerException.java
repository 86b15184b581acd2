package dev.bumper.container;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.Failure;

/**
 * A build or push that cannot go on, with a message for the user that names the cause and holds no
 * secret. {@link Kind} tells the command line which exit code it is.
 */
public class ContainerException extends Failure {
  /** What kind of failure, for the exit code. */
  public enum Kind {
    /** A bad argument: an option value, a missing file named on the command line. */
    USAGE,
    /** The registry, the network or the file system failed, or refused. */
    FAILURE,
    /** An input file that is not what it claims to be: a corrupt tarball, invalid JSON. */
    INVALID_INPUT
  }

  private final Kind kind;

  public ContainerException(Kind kind, String message) {
    super(exitCode(kind), message);
    this.kind = kind;
  }

  public ContainerException(Kind kind, String message, Throwable cause) {
    super(exitCode(kind), message, cause);
    this.kind = kind;
  }

  private static int exitCode(Kind kind) {
    return switch (kind) {
      case USAGE -> ExitCode.USAGE;
      case INVALID_INPUT -> ExitCode.INVALID_INPUT;
      case FAILURE -> ExitCode.FAILURE;
    };
  }

  public Kind kind() {
    return kind;
  }

  static ContainerException usage(String message) {
    return new ContainerException(Kind.USAGE, message);
  }

  static ContainerException failure(String message) {
    return new ContainerException(Kind.FAILURE, message);
  }

  static ContainerException invalidInput(String message) {
    return new ContainerException(Kind.INVALID_INPUT, message);
  }
}
