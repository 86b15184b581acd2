package dev.bumper.cli;

import dev.bumper.edit.ManifestEditResult;
import dev.bumper.io.JsonWriter;
import dev.bumper.io.TreeBump;
import dev.bumper.manifest.ValueChange;
import dev.bumper.pipeline.PushReport;
import java.util.List;

/** What {@code bump-manifest} prints: each change, or a diff in a dry run, and a summary; or JSON. */
final class BumpManifestOutput {
  private final Console console;
  private final boolean dryRun;

  BumpManifestOutput(Console console, boolean dryRun) {
    this.console = console;
    this.dryRun = dryRun;
  }

  void print(ManifestEditResult result, PushReport pushed) {
    if (console.json()) {
      json(result, pushed);
      return;
    }
    List<ValueChange> changes = result.changes();
    TreeBump bump = result.bump();
    if (dryRun) {
      for (int i = 0; i < bump.changedFiles().size(); i++) {
        console.diff(bump.changedBumps().get(i).edited().diff(bump.changedFiles().get(i).display()));
      }
    } else {
      for (ValueChange change : changes) {
        console.result("%s:%d: %s -> %s".formatted(change.file(), change.line(), change.old(), change.now()));
      }
    }
    String summary =
        "%d %s %s in %d %s (%d %s scanned)%s"
            .formatted(
                changes.size(),
                changes.size() == 1 ? "image" : "images",
                dryRun ? "would be updated" : "updated",
                bump.changedFiles().size(),
                bump.changedFiles().size() == 1 ? "file" : "files",
                bump.filesScanned(),
                bump.filesScanned() == 1 ? "file" : "files",
                dryRun ? "; dry run, nothing written" : "");
    if (dryRun) {
      console.warn(summary); // stderr, so that stdout is a patch that git apply takes
    } else {
      console.result(summary);
    }
    if (pushed != null && !dryRun) {
      console.result(pushed.line());
    }
  }

  private void json(ManifestEditResult result, PushReport pushed) {
    TreeBump bump = result.bump();
    JsonWriter json = new JsonWriter(console.out());
    json.beginObject();
    json.name("changed").value(!result.changes().isEmpty());
    json.name("dryRun").value(dryRun);
    json.name("filesScanned").value(bump.filesScanned());
    json.name("filesChanged").value(bump.changedFiles().size());
    if (pushed != null) {
      pushed.json(json);
    }
    json.name("changes").beginArray();
    for (ValueChange change : result.changes()) {
      json.beginObject();
      json.name("file").value(change.file());
      json.name("line").value(change.line());
      json.name("column").value(change.column());
      json.name("kind").value(change.kind().label());
      json.name("old").value(change.old());
      json.name("new").value(change.now());
      json.endObject();
    }
    json.endArray();
    json.endObject();
    console.out().println();
  }
}
