package dev.bumper.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Generates, at build time, what is derived from the command model: the shell completion script
 * (bash, and zsh through its bash completion support) and the man pages' AsciiDoc sources, which
 * the build turns into roff. Run by Maven with the test class path, where picocli-codegen is.
 *
 * <p>Usage: {@code CommandDocs COMPLETION_DIR ADOC_DIR}
 */
public final class CommandDocs {
  private CommandDocs() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: CommandDocs COMPLETION_DIR ADOC_DIR");
    }
    CommandLine cli = commandLine();
    Path completion = Files.createDirectories(Path.of(args[0]));
    Files.writeString(
        completion.resolve("bumper_completion"), AutoComplete.bash("bumper", cli), StandardCharsets.UTF_8);
    // one synopsis line per command: man reflows it, and a line wrapped by picocli can split a
    // parameter label such as "NAME <EMAIL>" into markup AsciiDoc misreads
    wide(cli);
    File adoc = Files.createDirectories(Path.of(args[1])).toFile();
    int code = ManPageGenerator.generateManPage(adoc, null, new boolean[0], true, cli.getCommandSpec());
    if (code != CommandLine.ExitCode.OK) {
      throw new IllegalStateException("man page generation failed with exit code " + code);
    }
  }

  private static void wide(CommandLine cli) {
    cli.getCommandSpec().usageMessage().autoWidth(false).width(1000);
    for (CommandLine sub : cli.getSubcommands().values()) {
      wide(sub);
    }
  }

  /** bumper with every command, as {@code bumper --help} models it. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Bumper());
    for (Class<?> command : Bumper.commandClasses()) {
      cli.addSubcommand(command);
    }
    return cli;
  }
}
