package dev.bumper.cli;

import dev.bumper.pipeline.DeliveryReport;
import dev.bumper.pipeline.Reporter;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Where a command prints: results to {@code out}, diagnostics to {@code err}, with colour only
 * when asked for or on a terminal (and never under {@code NO_COLOR}).
 */
final class Console implements Reporter {
  private static final String RESET = "\u001b[0m";

  private final PrintWriter out;
  private final PrintWriter err;
  private final GlobalOptions options;
  private final boolean color;

  Console(PrintWriter out, PrintWriter err, GlobalOptions options, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.options = options;
    this.color = options.color == GlobalOptions.Color.auto
        ? colorsByDefault(env, stdoutIsTerminal())
        : options.color == GlobalOptions.Color.always;
  }

  /**
   * Whether {@code --color=auto} colours: only on a terminal that is not {@code TERM=dumb}, and
   * never when {@code NO_COLOR} is set to anything but the empty string (no-color.org). An
   * explicit {@code --color=always} still colours, as no-color.org asks of a command-line flag.
   */
  static boolean colorsByDefault(Map<String, String> env, boolean terminal) {
    String noColor = env.get("NO_COLOR");
    return terminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
  }

  /**
   * Whether stdout is a terminal. Before Java 22 a console exists only when stdin and stdout are
   * terminals; from Java 22 one may exist without, and {@code Console.isTerminal()} tells.
   */
  static boolean stdoutIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | ClassCastException e) {
      return false;
    }
  }

  PrintWriter out() {
    return out;
  }

  boolean json() {
    return options.json();
  }

  /** A result line in text mode; nothing with {@code -q} or in JSON mode. */
  void result(String line) {
    if (!options.quiet && !options.json()) {
      out.println(line);
    }
  }

  /** A line for {@code -v} only, on stderr. */
  @Override
  public void verbose(String line) {
    if (options.verbose) {
      err.println(line);
    }
  }

  private String firstError;

  @Override
  public void error(String line) {
    if (firstError == null) {
      firstError = line.startsWith("bumper: ") ? line.substring("bumper: ".length()) : line;
    }
    err.println(color ? "\u001b[31m" + line + RESET : line);
  }

  /**
   * Prints a failure's lines as errors; the first failure's are, all of them, the error of a
   * failed run's JSON, where a reason given over several lines (the references an image is
   * deployed at, each file that failed) would otherwise end at its first.
   */
  void failure(java.util.List<String> lines) {
    if (firstError == null && !lines.isEmpty()) {
      java.util.List<String> bare = new java.util.ArrayList<>();
      lines.forEach(line -> bare.add(line.startsWith("bumper: ") ? line.substring("bumper: ".length()) : line));
      firstError = String.join("\n", bare);
    }
    lines.forEach(this::error);
  }

  /** The first error printed, for the JSON of a failed run. */
  String firstError() {
    return firstError == null ? "failed" : firstError;
  }

  @Override
  public void warn(String line) {
    err.println(line);
  }

  /**
   * An edit command's last lines: the summary (on stderr in a dry run, so that stdout is a patch
   * that git apply takes), then the push, when there was one.
   */
  void summary(String summary, boolean dryRun, DeliveryReport pushed) {
    if (dryRun) {
      warn(summary);
      return;
    }
    result(summary);
    if (pushed != null) {
      result(pushed.line());
    }
  }

  /** Prints a unified diff, coloured by line when colour is on. */
  void diff(String diff) {
    if (!color) {
      out.print(diff);
      return;
    }
    for (String line : diff.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      String code =
          line.startsWith("+++") || line.startsWith("---") ? "\u001b[1m"
              : line.startsWith("+") ? "\u001b[32m"
              : line.startsWith("-") ? "\u001b[31m"
              : line.startsWith("@@") ? "\u001b[36m"
              : null;
      out.println(code == null ? line : code + line + RESET);
    }
  }

  boolean isVerbose() {
    return options.verbose;
  }

  boolean isQuiet() {
    return options.quiet;
  }

  /** Where diagnostics go, for a command that draws its own progress there. */
  PrintWriter err() {
    return err;
  }

  void flush() {
    out.flush();
    err.flush();
  }
}
