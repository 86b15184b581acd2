package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.retry.Backoff;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The waits after a lost push race, measured in the lost attempt's length. */
class RaceBackoffTest {
  /** Always the far end of the window, so the window itself is what is read. */
  private static final Random WIDEST = new Random() {
    @Override
    public long nextLong(long bound) {
      return bound - 1; // nextLong(window + 1): the window
    }
  };

  private static Backoff after(Duration slot) {
    return new InMemoryCommitPush(RemoteUrl.parse("https://example.test/config.git"),
        snapshot -> null, null).setRandom(WIDEST).backoffAfter(slot);
  }

  @Test
  void quickAttemptsWaitFromTheBaseDelayUpToFiveSeconds() {
    Backoff backoff = after(Duration.ofMillis(10));

    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(backoff.delay(9)).isEqualTo(Duration.ofMillis(5_000));
  }

  @Test
  void slowAttemptsWaitFromTwoAttemptsUpToSixteen() {
    Backoff backoff = after(Duration.ofSeconds(3));

    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(6_000));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(12_000));
    assertThat(backoff.delay(4)).isEqualTo(Duration.ofMillis(48_000));
    assertThat(backoff.delay(9)).isEqualTo(Duration.ofMillis(48_000));
  }

  @Test
  void sixteenAttemptsCapTheWindowOnceThatIsOverFiveSeconds() {
    Backoff backoff = after(Duration.ofMillis(700));

    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(1_400));
    assertThat(backoff.delay(4)).isEqualTo(Duration.ofMillis(11_200));
    assertThat(backoff.delay(5)).isEqualTo(Duration.ofMillis(11_200));
  }
}
