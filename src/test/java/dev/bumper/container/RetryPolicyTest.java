package dev.bumper.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final List<Duration> slept = new ArrayList<>();
  private final List<String> logged = new ArrayList<>();

  private RetryPolicy policy(int retries) {
    return new RetryPolicy(retries, Duration.ofMillis(500), Duration.ofSeconds(10), new Random(42), slept::add, logged::add);
  }

  @Test
  void succeedsAfterTransientFailuresWaitingLongerEachTime() {
    int[] calls = {0};
    String result =
        policy(5).call("push", () -> {
          if (++calls[0] < 4) {
            throw new TransientException("answered 503", null);
          }
          return "done";
        });
    assertThat(result).isEqualTo("done");
    assertThat(calls[0]).isEqualTo(4);
    assertThat(slept).hasSize(3);
    // each delay is jittered between half and all of 0.5 s, 1 s, 2 s
    for (int i = 0; i < slept.size(); i++) {
      long full = 500L << i;
      assertThat(slept.get(i).toMillis()).isBetween(full / 2, full);
    }
    assertThat(logged).hasSize(3).allMatch(line -> line.startsWith("push: answered 503; retry "));
    assertThat(logged.get(0)).contains("retry 1 of 5 in ");
  }

  @Test
  void givesUpAfterTheRetriesNamingTheLastReason() {
    int[] calls = {0};
    assertThatThrownBy(() -> policy(3).call("upload blob", () -> {
          calls[0]++;
          throw new TransientException("answered 503", null);
        }))
        .isInstanceOf(ContainerException.class)
        .hasMessage("upload blob: answered 503 (gave up after 4 attempts)")
        .extracting(e -> ((ContainerException) e).kind())
        .isEqualTo(ContainerException.Kind.FAILURE);
    assertThat(calls[0]).isEqualTo(4);
    assertThat(slept).hasSize(3);
  }

  @Test
  void zeroRetriesTriesOnce() {
    assertThatThrownBy(() -> policy(0).call("x", () -> {
          throw new TransientException("down", null);
        }))
        .hasMessage("x: down (gave up after 1 attempt)");
    assertThat(slept).isEmpty();
  }

  @Test
  void aPermanentFailureIsNotRetried() {
    int[] calls = {0};
    assertThatThrownBy(() -> policy(5).call("x", () -> {
          calls[0]++;
          throw ContainerException.failure("denied");
        }))
        .hasMessage("denied");
    assertThat(calls[0]).isEqualTo(1);
    assertThat(slept).isEmpty();
  }

  @Test
  void delaysAreCappedAndHonourRetryAfterUpToTheCap() {
    RetryPolicy policy = policy(30);
    for (int retry = 1; retry <= 30; retry++) {
      assertThat(policy.delay(retry, null).toMillis()).isBetween(250L, 10_000L);
    }
    assertThat(policy.delay(1, Duration.ofSeconds(3)).toMillis()).isEqualTo(3000);
    assertThat(policy.delay(1, Duration.ofSeconds(3600)).toMillis()).isEqualTo(10_000);
  }

  @Test
  void jitterSpreadsTheDelays() {
    RetryPolicy policy = policy(5);
    java.util.Set<Long> delays = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      delays.add(policy.delay(3, null).toMillis());
    }
    assertThat(delays).hasSizeGreaterThan(10);
  }
}
