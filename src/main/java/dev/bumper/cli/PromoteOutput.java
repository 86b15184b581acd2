package dev.bumper.cli;

import dev.bumper.edit.PromoteEdit.Promoted;
import dev.bumper.edit.PromoteEditResult;
import dev.bumper.io.JsonWriter;
import dev.bumper.io.TreeBump;
import dev.bumper.manifest.ValueChange;
import dev.bumper.pipeline.DeliveryReport;
import java.util.List;

/** What {@code promote} prints: each change, or a diff in a dry run, and a summary; or JSON. */
final class PromoteOutput {
  private final Console console;
  private final boolean dryRun;

  PromoteOutput(Console console, boolean dryRun) {
    this.console = console;
    this.dryRun = dryRun;
  }

  void print(PromoteEditResult result, DeliveryReport delivered) {
    for (Promoted unused : result.unused()) {
      console.verbose("bumper: %s deploys %s, which %s does not use; left out".formatted(
          result.from(), unused.reference(), result.to()));
    }
    if (console.json()) {
      json(result, delivered);
      return;
    }
    TreeBump bump = result.bump().bump();
    if (dryRun) {
      for (int i = 0; i < bump.changedFiles().size(); i++) {
        String path = bump.changedFiles().get(i).display();
        console.diff(bump.changedBumps().get(i).edited().diff(path));
      }
    } else {
      for (ValueChange change : result.changes()) {
        console.result("%s:%d: %s -> %s".formatted(change.file(), change.line(),
            change.old() == null ? "(none)" : change.old(), change.now()));
      }
    }
    int images = result.promoted().size();
    int files = bump.changedFiles().size();
    String summary = result.changes().isEmpty()
        ? "%s already deploys what %s deploys (%d %s): already up to date".formatted(result.to(),
            result.from(), images, images == 1 ? "image" : "images")
        : "%d %s of %s %s in %s (%d %s changed)%s".formatted(images,
            images == 1 ? "image" : "images", result.from(),
            dryRun ? "would be promoted" : "promoted", result.to(), files,
            files == 1 ? "file" : "files", dryRun ? "; dry run, nothing written" : "");
    console.summary(summary, dryRun, delivered);
  }

  private void json(PromoteEditResult result, DeliveryReport delivered) {
    TreeBump bump = result.bump().bump();
    JsonWriter json = new JsonWriter(console.out());
    json.beginObject();
    json.name("changed").value(!result.changes().isEmpty());
    json.name("dryRun").value(dryRun);
    json.name("from").value(result.from());
    json.name("to").value(result.to());
    images(json.name("images"), result.promoted());
    images(json.name("unused"), result.unused());
    json.name("filesScanned").value(bump.filesScanned());
    json.name("filesChanged").value(bump.changedFiles().size());
    if (delivered != null) {
      delivered.json(json);
    }
    ChangesJson.write(json, result.changes());
    json.endObject();
    console.out().println();
  }

  private static void images(JsonWriter json, List<Promoted> images) {
    json.beginArray();
    for (Promoted image : images) {
      json.beginObject();
      json.name("repository").value(image.repository());
      json.name("reference").value(image.reference().toString());
      json.name("pinned").value(image.pinned());
      json.name("places").beginArray();
      image.places().forEach(json::value);
      json.endArray();
      json.endObject();
    }
    json.endArray();
  }
}
