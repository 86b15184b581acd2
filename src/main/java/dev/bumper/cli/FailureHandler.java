package dev.bumper.cli;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.Failure;
import dev.bumper.image.InvalidReferenceException;
import dev.bumper.kustomize.InvalidImageArgException;
import dev.bumper.manifest.InvalidRequestException;
import dev.bumper.yaml.EditConflictException;
import java.io.IOException;
import picocli.CommandLine;

/** An exception out of a command: a usage error, or an internal error with -v details. */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
  private final Bumper root;

  FailureHandler(Bumper root) {
    this.root = root;
  }

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    return failure(e);
  }

  private int failure(Exception e) {
    Console console = root.console();
    if (e instanceof InvalidReferenceException
        || e instanceof InvalidRequestException
        || e instanceof EditConflictException
        || e instanceof InvalidImageArgException) {
      console.error("bumper: " + e.getMessage());
      return ExitCode.USAGE;
    }
    if (e instanceof Failure failure) {
      console.failure(failure.lines());
      return failure.exitCode();
    }
    // A file or network failure is the environment's, not bumper's: said plainly, exit 1.
    IOException io = e instanceof IOException direct ? direct
        : e instanceof java.io.UncheckedIOException unchecked ? unchecked.getCause() : null;
    if (io != null) {
      console.error("bumper: " + dev.bumper.io.IoErrors.describe(io));
      if (root.options.verbose) {
        e.printStackTrace(root.err());
      }
      return ExitCode.FAILURE;
    }
    console.error("bumper: internal error: " + e);
    if (root.options.verbose) {
      e.printStackTrace(root.err());
    } else {
      console.error("Run with -v for details.");
    }
    return ExitCode.FAILURE;
  }
}
