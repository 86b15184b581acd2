package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempRepositoriesTest {
  @TempDir Path tmp;

  @Test
  void aSweepRemovesOnlyTheRepositoriesOfProcessesThatAreGone() throws Exception {
    ProcessHandle self = ProcessHandle.current();
    Path live = owned("bumper-repo-live", self.pid(), self.info().startInstant().orElseThrow().toString());
    Path dead = owned("bumper-repo-dead", deadPid(), Instant.EPOCH.toString());
    Path reused = owned("bumper-repo-reused", self.pid(), Instant.EPOCH.toString()); // the pid, another start
    Path unownedNew = Files.createDirectory(tmp.resolve("bumper-repo-unowned-new"));
    Path unownedOld = Files.createDirectory(tmp.resolve("bumper-repo-unowned-old"));
    Files.setLastModifiedTime(unownedOld, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path other = Files.createDirectory(tmp.resolve("other-dir"));

    TempRepositories.sweep(tmp);

    assertThat(live).exists();
    assertThat(unownedNew).as("maybe a run that has not written its record yet").exists();
    assertThat(other).exists();
    assertThat(dead).doesNotExist();
    assertThat(reused).doesNotExist();
    assertThat(unownedOld).doesNotExist();
  }

  private Path owned(String name, long pid, String started) throws Exception {
    Path dir = Files.createDirectory(tmp.resolve(name));
    Files.createDirectories(dir.resolve("objects/pack"));
    Files.writeString(dir.resolve("objects/pack/pack-1.pack"), "data");
    Files.writeString(dir.resolve("bumper-owner"), "pid " + pid + "\nstarted " + started + "\n");
    return dir;
  }

  /** A pid no process has: one of a process that has just ended. */
  private static long deadPid() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }
}
