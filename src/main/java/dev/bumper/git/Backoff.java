package dev.bumper.git;

import java.util.Random;

/**
 * Waits between push attempts: full jitter over an exponentially growing window, so that
 * pipelines that lost the same race do not all come back at the same moment.
 */
final class Backoff {
  private static final long CAP_MILLIS = 5_000;

  private final long baseMillis;
  private final Random random;

  Backoff(long baseMillis, Random random) {
    this.baseMillis = baseMillis;
    this.random = random;
  }

  /** A random wait up to base * 2^(attempt-1), capped at 5 s. */
  long delayAfter(int attempt) {
    long window = Math.min(CAP_MILLIS, baseMillis << Math.min(attempt - 1, 16));
    return window <= 0 ? 0 : random.nextLong(window + 1);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
