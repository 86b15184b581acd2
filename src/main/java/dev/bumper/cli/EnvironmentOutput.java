package dev.bumper.cli;

import dev.bumper.edit.Edit;
import dev.bumper.edit.EnvironmentEditResult;
import dev.bumper.edit.RollbackEdit;
import dev.bumper.io.JsonWriter;
import dev.bumper.manifest.ValueChange;
import dev.bumper.pipeline.DeliveryReport;

/** What {@code rollback} and {@code release} print: each change, or a diff; or JSON. */
final class EnvironmentOutput {
  private final Console console;
  private final boolean dryRun;

  EnvironmentOutput(Console console, boolean dryRun) {
    this.console = console;
    this.dryRun = dryRun;
  }

  void print(String command, String path, Edit edit, EnvironmentEditResult result,
      DeliveryReport delivered) {
    String shown = path.isEmpty() ? "." : path;
    RollbackEdit rollback = edit instanceof RollbackEdit r ? r : null;
    if (console.json()) {
      JsonWriter json = new JsonWriter(console.out());
      json.beginObject();
      json.name("changed").value(result.changed());
      json.name("dryRun").value(dryRun);
      json.name("path").value(shown);
      if (rollback != null) {
        json.name("rolledBackTo").value(rollback.rolledBackTo());
        json.name("rollbackOf").value(rollback.rollbackOf().isEmpty() ? null
            : rollback.rollbackOf());
      }
      json.name("held").value(result.held());
      ChangesJson.write(json, result.changes());
      if (delivered != null) {
        delivered.json(json);
      }
      json.endObject();
      console.out().println();
      return;
    }
    if (dryRun) {
      console.diff(result.diff());
    } else {
      for (ValueChange change : result.changes()) {
        console.result("%s:%d: %s -> %s".formatted(change.file(), change.line(),
            change.old() == null ? "(none)" : change.old(), change.now()));
      }
    }
    String summary;
    if (rollback != null) {
      int images = result.changes().size();
      summary = !result.changed()
          ? "%s already deploys what it did at %s%s".formatted(shown,
              HistoryCommand.abbreviate(rollback.rolledBackTo()),
              result.held() ? " and is held" : "")
          : "%s %s to %s: %d %s%s%s".formatted(shown, dryRun ? "would be rolled back"
              : "rolled back", HistoryCommand.abbreviate(rollback.rolledBackTo()), images,
              images == 1 ? "image" : "images", rollback.hold() != null ? ", held" : "",
              dryRun ? "; dry run, nothing written" : "");
    } else {
      summary = !result.changed() ? shown + " is not held"
          : "%s %s%s".formatted(shown, dryRun ? "would be released" : "released",
              dryRun ? "; dry run, nothing written" : "");
    }
    console.summary(summary, dryRun, delivered);
  }
}
