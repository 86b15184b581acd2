package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The shell completion script and the man pages the build writes beside the jar: real bash and
 * zsh load the script, and every command has a man page with every option.
 */
@RequiresTools("zsh")
class CommandDocsIT {
  private static final Path TARGET = TestProcesses.packagedJar().toAbsolutePath().getParent();
  private static final Path COMPLETION = TARGET.resolve("completion/bumper_completion");

  /** Runs a shell script; returns its stdout, failing on a non-zero exit. */
  private static String shell(String shell, String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(shell, "-c", script).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(shell + ": " + script + "\n" + out).isZero();
    return out;
  }

  /** What bash offers for the words of a command line, the last one being completed. */
  private static List<String> bashCompletes(String... words) throws IOException, InterruptedException {
    StringBuilder array = new StringBuilder();
    for (String word : words) {
      array.append(" '").append(word).append('\'');
    }
    String line = String.join(" ", words);
    String script =
        "source '" + COMPLETION + "'\n"
            + "COMP_WORDS=(" + array + ")\n"
            + "COMP_CWORD=" + (words.length - 1) + "\n"
            + "COMP_LINE='" + line + "'\n"
            + "COMP_POINT=${#COMP_LINE}\n"
            + "_complete_bumper\n"
            + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    return shell("bash", script).lines().filter(l -> !l.isEmpty()).toList();
  }

  @Test
  void bashCompletesCommandsOptionsAndOptionValues() throws Exception {
    assertThat(COMPLETION).isRegularFile();
    Map<String, CommandLine> commands = CommandDocs.commandLine().getSubcommands();
    assertThat(bashCompletes("bumper", "")).containsAll(commands.keySet());
    assertThat(bashCompletes("bumper", "bump-")).containsExactly("bump-manifest");
    assertThat(bashCompletes("bumper", "kustomize-set-image", "--dry")).containsExactly("--dry-run");
    assertThat(bashCompletes("bumper", "bump-manifest", "--output", "")).containsExactlyInAnyOrder("text", "json");
    for (Map.Entry<String, CommandLine> command : commands.entrySet()) {
      assertThat(bashCompletes("bumper", command.getKey(), "--"))
          .as(command.getKey())
          .containsAll(longOptions(command.getValue()));
    }
  }

  @Test
  void zshLoadsTheSameScriptThroughItsBashCompletionSupport() throws Exception {
    String registered =
        shell(
            "zsh",
            "autoload -U compinit && compinit -u -D\n"
                + "source '" + COMPLETION + "'\n"
                + "print -r -- \"${_comps[bumper]}\"\n");
    assertThat(registered).contains("_complete_bumper");
  }

  @Test
  void everyCommandHasAManPageWithEveryOptionAndItsExamples() throws IOException {
    Path man = TARGET.resolve("man/man1");
    CommandLine root = CommandDocs.commandLine();
    assertThat(roff(man.resolve("bumper.1"))).contains(".TH \"BUMPER\" \"1\"").contains("bump-manifest");
    for (Map.Entry<String, CommandLine> command : root.getSubcommands().entrySet()) {
      Path page = man.resolve("bumper-" + command.getKey() + ".1");
      assertThat(page).as("man page of " + command.getKey()).isRegularFile();
      String text = roff(page);
      assertThat(text).startsWith("'\\\" t").contains(".SH \"SYNOPSIS\"").contains(".SH \"EXAMPLES");
      for (String option : longOptions(command.getValue())) {
        assertThat(text).as(command.getKey() + " man page").contains(option);
      }
    }
  }

  /** A roff file with its escaped hyphens plain, so option names can be looked for. */
  private static String roff(Path page) throws IOException {
    return Files.readString(page, UTF_8).replace("\\-", "-").replace("\\(hy", "-");
  }

  private static List<String> longOptions(CommandLine command) {
    return command.getCommandSpec().options().stream()
        .map(OptionSpec::longestName)
        .filter(n -> n.startsWith("--"))
        .toList();
  }
}
