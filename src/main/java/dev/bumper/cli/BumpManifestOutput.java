package dev.bumper.cli;

import dev.bumper.edit.ArgoCdSourceEditResult;
import dev.bumper.edit.ManifestEditResult;
import dev.bumper.io.JsonWriter;
import dev.bumper.io.TreeBump;
import dev.bumper.manifest.Kind;
import dev.bumper.manifest.ValueChange;
import dev.bumper.pipeline.DeliveryReport;
import java.util.List;

/** What {@code bump-manifest} prints: each change, or a diff in a dry run, and a summary; or JSON. */
final class BumpManifestOutput {
  private final Console console;
  private final boolean dryRun;
  private final boolean valuesOnly;

  /** @param valuesOnly whether only values were asked for (--set), no image */
  BumpManifestOutput(Console console, boolean dryRun, boolean valuesOnly) {
    this.console = console;
    this.dryRun = dryRun;
    this.valuesOnly = valuesOnly;
  }

  void print(ManifestEditResult result, DeliveryReport pushed) {
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
        console.result("%s:%d: %s -> %s".formatted(
            change.file(), change.line(), change.old() == null ? "(none)" : change.old(), change.now()));
      }
    }
    String summary =
        "%s in %d %s (%d %s scanned)%s"
            .formatted(
                what(changes),
                bump.changedFiles().size(),
                bump.changedFiles().size() == 1 ? "file" : "files",
                bump.filesScanned(),
                bump.filesScanned() == 1 ? "file" : "files",
                dryRun ? "; dry run, nothing written" : "");
    console.summary(summary, dryRun, pushed);
  }

  /** An Argo CD override file: its diff in a dry run, else a line that says what became of it. */
  void print(ArgoCdSourceEditResult result, DeliveryReport pushed) {
    String file = result.file().display();
    boolean changed = result.edited().changed();
    if (console.json()) {
      JsonWriter json = new JsonWriter(console.out());
      json.beginObject();
      json.name("changed").value(changed);
      json.name("dryRun").value(dryRun);
      json.name("file").value(file);
      json.name("list").value(result.list());
      if (pushed != null) {
        pushed.json(json);
      }
      json.endObject();
      console.out().println();
      return;
    }
    if (dryRun) {
      console.diff(result.edited().diff(file));
    }
    String summary = !changed ? "%s: %s already up to date".formatted(file, result.list())
        : "%s: %s %s".formatted(file, result.list(), dryRun ? "would be written; dry run, nothing written" : "written");
    console.summary(summary, dryRun, pushed);
  }

  /** What changed, by what it is: "2 images updated", "3 values set", or both. */
  private String what(List<ValueChange> changes) {
    long values = changes.stream().filter(c -> c.kind() == Kind.PATH).count();
    long images = changes.size() - values;
    String imagePart = "%d %s %s".formatted(images, images == 1 ? "image" : "images", dryRun ? "would be updated" : "updated");
    String valuePart = "%d %s %s".formatted(values, values == 1 ? "value" : "values", dryRun ? "would be set" : "set");
    if (values == 0) {
      return changes.isEmpty() && valuesOnly ? valuePart : imagePart;
    }
    return images == 0 ? valuePart : imagePart + " and " + valuePart;
  }

  private void json(ManifestEditResult result, DeliveryReport pushed) {
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
    ChangesJson.write(json, result.changes());
    json.endObject();
    console.out().println();
  }
}
