package dev.bumper.cli;

import dev.bumper.failure.ExitCode;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** A command line picocli cannot parse: the message and a pointer to help, exit 2. */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
  private final Bumper root;

  UsageErrorHandler(Bumper root) {
    this.root = root;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    String message = e.getMessage();
    List<String> unmatched = cli.getUnmatchedArguments();
    if (e instanceof CommandLine.MissingParameterException && !unmatched.isEmpty()) {
      // picocli checks required options first; a mistyped option is the likelier cause
      message = (unmatched.get(0).startsWith("-") ? "Unknown option: '" : "Unmatched argument: '")
          + unmatched.get(0) + "'";
    }
    root.console().error("bumper: " + message);
    cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for more information.");
    return ExitCode.USAGE;
  }
}
