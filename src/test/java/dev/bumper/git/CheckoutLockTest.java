package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckoutLockTest {
  @TempDir Path gitDir;
  private final List<String> log = new ArrayList<>();

  @Test
  void aSecondRunWaitsUntilTheFirstReleases() throws Exception {
    CheckoutLock first = CheckoutLock.acquire(gitDir, Duration.ofSeconds(5), log::add);
    CompletableFuture<CheckoutLock> second =
        CompletableFuture.supplyAsync(() -> {
          try {
            return CheckoutLock.acquire(gitDir, Duration.ofSeconds(30), log::add);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    Thread.sleep(300);
    assertThat(second).isNotDone();

    first.close();

    second.get(10, TimeUnit.SECONDS).close();
    assertThat(log).anyMatch(line -> line.startsWith("waiting for another bumper run in this checkout (pid "));
    assertThat(Files.readString(gitDir.resolve("bumper/lock"))).as("emptied on a clean release").isEmpty();
  }

  @Test
  void waitingIsBoundedAndNamesTheHolder() throws Exception {
    try (CheckoutLock held = CheckoutLock.acquire(gitDir, Duration.ofSeconds(5), log::add)) {
      assertThatThrownBy(() -> CheckoutLock.acquire(gitDir, Duration.ofMillis(200), log::add))
          .hasMessageContaining("another bumper run (pid " + ProcessHandle.current().pid())
          .hasMessageContaining("runs in one checkout take turns");
    }
  }

  @Test
  void theRecordNamesTheHolderByPidStartAndHost() throws Exception {
    String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    ProcessHandle self = ProcessHandle.current();
    try (CheckoutLock held = CheckoutLock.acquire(gitDir, Duration.ofSeconds(5), log::add)) {
      assertThat(Files.readString(gitDir.resolve("bumper/lock")))
          .isEqualTo("pid " + self.pid() + "\nstarted " + self.info().startInstant().orElseThrow() + "\nhost " + host + "\n");
      assertThatThrownBy(() -> CheckoutLock.acquire(gitDir, Duration.ofMillis(100), log::add))
          .hasMessageContaining("(pid " + self.pid() + " on " + host + ", started ");
    }
  }

  @Test
  void gitLocksLeftByARunThatDiedAreRemovedAndOlderOnesKept() throws Exception {
    Instant died = Instant.now().minusSeconds(60);
    Files.createDirectories(gitDir.resolve("bumper"));
    Files.writeString(gitDir.resolve("bumper/lock"), "pid 999999\nstarted " + died + "\n");
    Path index = Files.writeString(gitDir.resolve("index.lock"), "");
    Path ref = Files.writeString(Files.createDirectories(gitDir.resolve("refs/heads")).resolve("main.lock"), "");
    Path users = Files.writeString(gitDir.resolve("HEAD.lock"), "");
    Files.setLastModifiedTime(users, FileTime.from(died.minusSeconds(3600)));

    try (CheckoutLock lock = CheckoutLock.acquire(gitDir, Duration.ofSeconds(5), log::add)) {
      assertThat(index).doesNotExist();
      assertThat(ref).doesNotExist();
      assertThat(users).as("older than the dead run: not its own").exists();
      assertThat(log).contains("removed index.lock, left by a bumper run that did not finish (pid 999999, started "
          + died + ")");
    }
  }

  @Test
  void aCleanReleaseLeavesNothingForTheNextRunToRemove() throws Exception {
    CheckoutLock.acquire(gitDir, Duration.ofSeconds(5), log::add).close();
    Path index = Files.writeString(gitDir.resolve("index.lock"), "");

    CheckoutLock.acquire(gitDir, Duration.ofSeconds(5), log::add).close();

    assertThat(index).as("a git command of the user's may hold it").exists();
    assertThat(log).isEmpty();
  }
}
