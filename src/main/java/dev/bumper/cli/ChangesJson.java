package dev.bumper.cli;

import dev.bumper.io.JsonWriter;
import dev.bumper.manifest.ValueChange;
import java.util.List;

/** The {@code changes} array every edit command's JSON object holds, one shape for all. */
final class ChangesJson {
  private ChangesJson() {}

  static void write(JsonWriter json, List<ValueChange> changes) {
    json.name("changes").beginArray();
    for (ValueChange change : changes) {
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
  }
}
