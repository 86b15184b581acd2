package dev.bumper.retry;

import java.time.Duration;
import java.util.Random;

/**
 * How long to wait before trying again, for git pushes that lost a race and registry calls that
 * failed for a while alike: a window that doubles from {@code initial} with each try, up to {@code
 * max}, and a random point in it, so that pipelines that failed together do not all come back at
 * the same moment.
 */
public final class Backoff {
  /** Where in the window the wait falls. */
  public enum Jitter {
    /**
     * Anywhere from nothing to the whole window: a lost push race is best retried by pipelines
     * spread as widely as possible.
     */
    FULL,
    /**
     * Between half the window and all of it: a registry that is struggling gets at least half the
     * wait before it hears from us again.
     */
    HALF
  }

  private final Duration initial;
  private final Duration max;
  private final Jitter jitter;
  private final Random random;

  public Backoff(Duration initial, Duration max, Jitter jitter, Random random) {
    this.initial = initial;
    this.max = max;
    this.jitter = jitter;
    this.random = random;
  }

  /** The wait before try number {@code retry} + 1 (1: the first retry). */
  public Duration delay(int retry) {
    return delay(retry, null);
  }

  /**
   * The wait before try number {@code retry} + 1, at least {@code atLeast} (a server's {@code
   * Retry-After}; null: none) but never over the maximum.
   */
  public Duration delay(int retry, Duration atLeast) {
    long window = Math.min(initial.toMillis() << Math.min(retry - 1, 20), max.toMillis());
    long wait;
    if (window <= 0) {
      wait = 0;
    } else if (jitter == Jitter.FULL) {
      wait = random.nextLong(window + 1);
    } else {
      wait = window / 2 + (long) (random.nextDouble() * (window - window / 2));
    }
    if (atLeast != null) {
      wait = Math.max(wait, Math.min(atLeast.toMillis(), max.toMillis()));
    }
    return Duration.ofMillis(wait);
  }
}
