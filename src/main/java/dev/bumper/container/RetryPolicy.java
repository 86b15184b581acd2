package dev.bumper.container;

import dev.bumper.retry.Backoff;
import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;

/**
 * How often and how long to wait before trying an operation again after a {@link
 * TransientException}: exponential backoff from {@code initial}, doubling up to {@code max}, each
 * delay jittered to between half and all of it (so that parallel uploads, and parallel pipelines,
 * do not retry in lockstep). A server's {@code Retry-After} is honoured up to {@code max}. The
 * number of retries is bounded, so a registry that stays down ends the run.
 */
public final class RetryPolicy {
  /** Retries after the first attempt, unless {@code --retries} says otherwise. */
  public static final int DEFAULT_RETRIES = 5;

  static final Duration INITIAL = Duration.ofMillis(500);
  static final Duration MAX = Duration.ofSeconds(10);

  /** Waits; a parameter so that tests can record the delays instead. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** One attempt of an operation. */
  public interface Attempt<T> {
    T run() throws TransientException;
  }

  private final int retries;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Consumer<String> log;

  RetryPolicy(int retries, Duration initial, Duration max, Random random, Sleeper sleeper, Consumer<String> log) {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must not be negative");
    }
    this.retries = retries;
    this.backoff = new Backoff(initial, max, Backoff.Jitter.HALF, random);
    this.sleeper = sleeper;
    this.log = log;
  }

  /** The policy of a run: {@code retries} retries, real sleeps, retries reported to {@code log}. */
  public static RetryPolicy of(int retries, Consumer<String> log) {
    return new RetryPolicy(retries, INITIAL, MAX, new Random(), duration -> Thread.sleep(duration.toMillis()), log);
  }

  int retries() {
    return retries;
  }

  /**
   * Runs {@code attempt} until it succeeds, fails for good, or has failed transiently {@code 1 +
   * retries} times.
   *
   * @param what the operation, for messages ("push blob sha256:12ab... to 127.0.0.1:5000")
   * @throws ContainerException after the last transient failure, naming the last reason
   */
  public <T> T call(String what, Attempt<T> attempt) {
    for (int retry = 0; ; retry++) {
      try {
        return attempt.run();
      } catch (TransientException e) {
        if (retry >= retries) {
          throw new ContainerException(
              ContainerException.Kind.FAILURE,
              what + ": " + e.getMessage() + " (gave up after " + (retry + 1) + (retry == 0 ? " attempt)" : " attempts)"),
              e);
        }
        Duration delay = delay(retry + 1, e.retryAfter());
        log.accept(
            "%s: %s; retry %d of %d in %.1f s".formatted(what, e.getMessage(), retry + 1, retries, delay.toMillis() / 1000.0));
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw ContainerException.failure(what + ": interrupted");
        }
      }
    }
  }

  /** The delay before retry number {@code retry} (1 for the first retry). */
  Duration delay(int retry, Duration retryAfter) {
    return backoff.delay(retry, retryAfter);
  }
}
