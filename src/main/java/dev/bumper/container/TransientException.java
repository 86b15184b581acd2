package dev.bumper.container;

import java.time.Duration;

/**
 * A failure that trying again may cure: a dropped or refused connection, a 5xx or 429 answer, an
 * upload the registry forgot ({@code BLOB_UPLOAD_UNKNOWN}). The message holds no secret.
 */
final class TransientException extends Exception {
  private final Duration retryAfter;

  TransientException(String message, Throwable cause) {
    this(message, cause, null);
  }

  /** @param retryAfter how long the server asked to wait (429's {@code Retry-After}), or null */
  TransientException(String message, Throwable cause, Duration retryAfter) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  Duration retryAfter() {
    return retryAfter;
  }
}
