package dev.bumper.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes, before or after the command name. Inherited, so picocli sets them
 * on the root command's instance wherever they are written.
 */
public final class GlobalOptions {
  /** How results are printed on stdout. */
  public enum Output {
    text,
    json
  }

  /** When to colour text output. */
  public enum Color {
    auto,
    always,
    never
  }

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Print more: files skipped, and stack traces of internal errors.")
  boolean verbose;

  @Option(
      names = {"-q", "--quiet"},
      scope = ScopeType.INHERIT,
      description = "Print nothing on stdout in text mode; errors still go to stderr.")
  boolean quiet;

  @Option(
      names = "--output",
      scope = ScopeType.INHERIT,
      paramLabel = "text|json",
      description = "Result format on stdout: text (default) or json (exactly one JSON object).")
  Output output = Output.text;

  @Option(
      names = "--color",
      scope = ScopeType.INHERIT,
      paramLabel = "auto|always|never",
      description = "Colour text output: auto (default: on a terminal, unless NO_COLOR is set), always or never.")
  Color color = Color.auto;

  boolean json() {
    return output == Output.json;
  }
}
