package dev.bumper.provider;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.Failure;

/**
 * A provider's API failed or refused: no answer, an answer that is not what the API describes,
 * or a refusal (a branch rule, a missing permission) with the provider's own message. Exit 1.
 */
public final class ProviderException extends Failure {
  private final int status;

  public ProviderException(String message) {
    this(message, 0);
  }

  public ProviderException(String message, Throwable cause) {
    super(ExitCode.FAILURE, message, cause);
    this.status = 0;
  }

  public ProviderException(String message, int status) {
    super(ExitCode.FAILURE, message);
    this.status = status;
  }

  /** The HTTP status of the refusal, or 0 when there was no answer. */
  public int status() {
    return status;
  }
}
