package dev.bumper.git;

import static dev.bumper.cli.TestProcesses.git;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.cli.TestProcesses;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitNamesTest {
  @TempDir Path tmp;

  @Test
  void utf8IsDecodedAndAnythingElseIsNot() {
    byte[] utf8 = "café/ä.yaml".getBytes(UTF_8);
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
    byte[] truncated = {'a', (byte) 0xc3};

    assertThat(GitNames.utf8(utf8, 0, utf8.length)).isEqualTo("café/ä.yaml");
    assertThat(GitNames.utf8(latin1, 0, latin1.length)).isNull();
    assertThat(GitNames.utf8(truncated, 0, truncated.length)).isNull();
    assertThat(GitNames.utf8(truncated, 0, 1)).isEqualTo("a");
  }

  /** Quoted as git quotes the same name in its listings (core.quotePath on, as by default). */
  @Test
  void aNameIsQuotedAsGitQuotesIt() throws Exception {
    git(tmp, "init", "-q");
    String name = "a\\\"q\\\\b\\tc\\nd\\001e\\177f\\351g.yaml";
    TestProcesses.run(tmp, "sh", "-c", "printf x > \"$(printf '" + name + "')\" && git add -A");
    // sh's printf leaves the backslash before a quote in place
    byte[] raw = {'a', '\\', '"', 'q', '\\', 'b', '\t', 'c', '\n', 'd', 1, 'e', 0x7f, 'f', (byte) 0xe9, 'g', '.', 'y', 'a', 'm', 'l'};
    String listed = git(tmp, "ls-files").strip();

    assertThat(GitNames.quote(raw)).isEqualTo(listed);
  }
}
