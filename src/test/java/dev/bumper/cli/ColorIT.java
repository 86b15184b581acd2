package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colour, seen from outside: the packaged jar on a real pseudo-terminal (util-linux script(1))
 * colours its diff, and does not when NO_COLOR is set, when TERM is dumb, or when stdout is a pipe.
 */
@RequiresTools("script")
class ColorIT {
  private static final String ESC = "\u001b[";

  @TempDir Path tmp;
  private Path config;

  @BeforeEach
  void config() throws IOException {
    config = tmp.resolve("config");
    Files.createDirectories(config);
    Files.writeString(
        config.resolve("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: web\n      image: ghcr.io/acme/web:1.0\n",
        UTF_8);
  }

  private List<String> bumperDryRun(String... extra) {
    List<String> command = new ArrayList<>(List.of(
        javaBin(), "-jar", TestProcesses.packagedJar().toString(),
        "bump-manifest", "-C", config.toString(), "-i", "ghcr.io/acme/web:2.0", "--dry-run"));
    command.addAll(List.of(extra));
    return command;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs a command on a pseudo-terminal; returns what the terminal showed. */
  private static String onTerminal(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    StringBuilder line = new StringBuilder();
    for (String word : command) {
      line.append('\'').append(word.replace("'", "'\\''")).append("' ");
    }
    return run(List.of("script", "-qefc", line.toString(), "/dev/null"), env);
  }

  private static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("NO_COLOR");
    pb.environment().put("TERM", "xterm-256color");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }

  @Test
  void aTerminalGetsAColouredDiff() throws Exception {
    String shown = onTerminal(bumperDryRun(), Map.of());
    assertThat(shown).contains(ESC + "32m+      image: ghcr.io/acme/web:2.0");
  }

  @Test
  void noColorTurnsItOff() throws Exception {
    String shown = onTerminal(bumperDryRun(), Map.of("NO_COLOR", "1"));
    assertThat(shown).contains("+      image: ghcr.io/acme/web:2.0").doesNotContain(ESC);
  }

  @Test
  void aDumbTerminalGetsNone() throws Exception {
    String shown = onTerminal(bumperDryRun(), Map.of("TERM", "dumb"));
    assertThat(shown).contains("+      image: ghcr.io/acme/web:2.0").doesNotContain(ESC);
  }

  @Test
  void aPipeGetsNoneUnlessAsked() throws Exception {
    assertThat(run(bumperDryRun(), Map.of())).contains("+      image: ghcr.io/acme/web:2.0").doesNotContain(ESC);
    assertThat(run(bumperDryRun("--color=always"), Map.of())).contains(ESC + "32m+      image: ghcr.io/acme/web:2.0");
    assertThat(onTerminal(bumperDryRun("--color=never"), Map.of())).doesNotContain(ESC);
  }
}
