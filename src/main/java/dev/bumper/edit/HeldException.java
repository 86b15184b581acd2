package dev.bumper.edit;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.Failure;
import java.util.List;

/** An edit that would change a held environment: exit 6, nothing written or pushed. */
public final class HeldException extends Failure {
  private final Holds.Hold hold;

  HeldException(Holds.Hold hold, String file) {
    super(ExitCode.HELD, "%s is held%s: %s would change; nothing written"
        .formatted(hold.path().isEmpty() ? "the repository" : hold.path(), since(hold), file));
    this.hold = hold;
  }

  private static String since(Holds.Hold hold) {
    String text = "";
    if (!hold.rolledBackTo().isEmpty()) {
      text += " at " + abbreviate(hold.rolledBackTo());
    }
    if (!hold.since().isEmpty()) {
      text += " since " + hold.since();
    }
    if (!hold.reason().isEmpty()) {
      text += " (" + hold.reason() + ")";
    }
    return text;
  }

  private static String abbreviate(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  public Holds.Hold hold() {
    return hold;
  }

  @Override
  public List<String> lines() {
    return List.of("bumper: " + getMessage(),
        "bumper: lift the hold with: bumper release " + (hold.path().isEmpty() ? "." : hold.path())
            + "; or override it once with --force");
  }
}
