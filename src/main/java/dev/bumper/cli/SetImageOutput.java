package dev.bumper.cli;

import dev.bumper.edit.KustomizationEditResult;
import dev.bumper.io.JsonWriter;
import dev.bumper.io.ManifestFile;
import dev.bumper.io.PathText;
import dev.bumper.kustomize.EntryChange;
import dev.bumper.kustomize.SetImageResult;
import dev.bumper.pipeline.DeliveryReport;

/** What {@code kustomize-set-image} prints: each image set, or a diff in a dry run, and a summary; or JSON. */
final class SetImageOutput {
  private final Console console;
  private final boolean dryRun;

  SetImageOutput(Console console, boolean dryRun) {
    this.console = console;
    this.dryRun = dryRun;
  }

  void print(KustomizationEditResult edited, DeliveryReport pushed) {
    // a file on disk by the path it was written to; a file of a commit by its path in the repository
    String file = edited.source() instanceof ManifestFile onDisk ? PathText.of(onDisk.path()) : edited.source().display();
    SetImageResult result = edited.result();
    if (console.json()) {
      json(file, result, pushed);
      return;
    }
    if (dryRun) {
      console.diff(result.edited().diff(edited.source().display()));
    } else {
      for (EntryChange change : result.changes()) {
        console.result(
            "%s: %s %s: %s -> %s"
                .formatted(file, change.action(), change.name(), dash(change.old()), dash(change.now())));
      }
    }
    String summary =
        result.edited().changed() && result.changes().isEmpty()
            ? "%s: images sorted by name, as kustomize orders them%s".formatted(file, dryRun ? "; dry run, nothing written" : "")
            : result.edited().changed()
            ? "%s: %d %s%s".formatted(file, result.changes().size(), result.changes().size() == 1 ? "image" : "images",
                dryRun ? " would be set; dry run, nothing written" : " set")
            : "%s: images already up to date".formatted(file);
    console.summary(summary, dryRun, pushed);
  }

  private void json(String file, SetImageResult result, DeliveryReport pushed) {
    JsonWriter json = new JsonWriter(console.out());
    json.beginObject();
    json.name("changed").value(result.edited().changed());
    json.name("dryRun").value(dryRun);
    json.name("file").value(file);
    if (pushed != null) {
      pushed.json(json);
    }
    json.name("changes").beginArray();
    for (EntryChange change : result.changes()) {
      json.beginObject();
      json.name("name").value(change.name());
      json.name("action").value(change.action());
      json.name("old").value(change.old());
      json.name("new").value(change.now());
      json.endObject();
    }
    json.endArray();
    json.endObject();
    console.out().println();
  }

  private static String dash(String value) {
    return value == null ? "(none)" : value;
  }
}
