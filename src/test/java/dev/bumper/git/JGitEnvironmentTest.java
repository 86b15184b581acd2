package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JGitEnvironmentTest {
  @TempDir Path tmp;

  @Test
  void theUmaskIsReadFromTheProcessStatus() throws Exception {
    Path status = Files.writeString(tmp.resolve("status"),
        "Name:\tjava\nUmask:\t0027\nState:\tR (running)\n");

    assertThat(JGitEnvironment.umask(status)).isEqualTo(0027);
  }

  @Test
  void noStatusOrNoUmaskLineLeavesItToJGit() throws Exception {
    Path old = Files.writeString(tmp.resolve("status"), "Name:\tjava\nState:\tR (running)\n");

    assertThat(JGitEnvironment.umask(old)).isNull();
    assertThat(JGitEnvironment.umask(tmp.resolve("missing"))).isNull();
  }

  @Test
  void thisProcessesUmaskIsTheShells() throws Exception {
    Path self = Path.of("/proc/self/status");
    Process shell = new ProcessBuilder("sh", "-c", "umask").start();
    String printed = new String(shell.getInputStream().readAllBytes()).strip();
    shell.waitFor();

    assertThat(Files.exists(self)).isTrue();
    assertThat(JGitEnvironment.umask(self)).isEqualTo(Integer.parseInt(printed, 8));
  }
}
