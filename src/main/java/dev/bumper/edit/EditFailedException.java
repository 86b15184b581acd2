package dev.bumper.edit;

import dev.bumper.failure.Failure;
import java.util.List;

/**
 * An edit that cannot be applied to a tree: files that are not valid YAML, specs that matched
 * nothing. Carries every line that says why (one per file or spec, then what became of the run)
 * and the exit code.
 */
public final class EditFailedException extends Failure {
  private final List<String> lines;

  public EditFailedException(int exitCode, String reason, List<String> lines) {
    super(exitCode, reason);
    this.lines = List.copyOf(lines);
  }

  @Override
  public List<String> lines() {
    return lines;
  }
}
