package dev.bumper.pipeline;

import dev.bumper.git.PushOutcome;
import dev.bumper.io.JsonWriter;

/** A push that happened (or found nothing to commit), for output. */
public record PushReport(PushOutcome outcome, String remote) implements DeliveryReport {
  /** The push's fields of a command's JSON object. */
  @Override
  public void json(JsonWriter json) {
    json.name("committed").value(outcome.committed());
    json.name("commit").value(outcome.commit());
    json.name("branch").value(outcome.branch());
    json.name("pushed").value(outcome.pushed());
    json.name("attempts").value(outcome.attempts());
    json.name("remote").value(remote);
  }

  /** The push as one line of text. */
  @Override
  public String line() {
    return outcome.pushed()
        ? "pushed %s to %s of %s%s"
            .formatted(outcome.commit().substring(0, 12), outcome.branch(), remote,
                outcome.attempts() > 1 ? " (attempt " + outcome.attempts() + ")" : "")
        : "nothing to commit: %s of %s is up to date".formatted(outcome.branch(), remote);
  }
}
