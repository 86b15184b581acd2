package dev.bumper.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration INITIAL = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofSeconds(5);

  @Test
  void fullJitterWaitsAnywhereInAWindowThatDoublesUpToTheMaximum() {
    Backoff backoff = new Backoff(INITIAL, MAX, Backoff.Jitter.FULL, new Random(7));
    long[] windows = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
    for (int retry = 1; retry <= windows.length; retry++) {
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        long wait = backoff.delay(retry).toMillis();
        assertThat(wait).as("retry %d", retry).isBetween(0L, windows[retry - 1]);
        seen.add(wait);
      }
      assertThat(seen).as("spread of retry %d", retry).hasSizeGreaterThan(20);
    }
  }

  @Test
  void halfJitterWaitsAtLeastHalfTheWindow() {
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), Backoff.Jitter.HALF, new Random(7));
    for (int i = 0; i < 200; i++) {
      assertThat(backoff.delay(1).toMillis()).isBetween(250L, 500L);
      assertThat(backoff.delay(3).toMillis()).isBetween(1000L, 2000L);
      assertThat(backoff.delay(40).toMillis()).isBetween(5000L, 10_000L);
    }
  }

  @Test
  void aServersRetryAfterIsAFloorThatTheMaximumStillCaps() {
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), Backoff.Jitter.HALF, new Random(7));
    assertThat(backoff.delay(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    assertThat(backoff.delay(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void noInitialWindowMeansNoWait() {
    assertThat(new Backoff(Duration.ZERO, MAX, Backoff.Jitter.FULL, new Random()).delay(3)).isEqualTo(Duration.ZERO);
  }
}
