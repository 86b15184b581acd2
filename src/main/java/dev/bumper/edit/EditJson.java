package dev.bumper.edit;

import dev.bumper.image.ImageUpdate;
import dev.bumper.io.JsonWriter;
import dev.bumper.manifest.PathAssignment;
import dev.bumper.manifest.PolicyAssignment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Edits as JSON objects, for the intent store: each value in the form its parser takes
 * ({@code ghcr.io/acme/web:1.4.2}, {@code a.b[name=web].image=web:2}), so that an edit read back
 * is equal to the one written.
 */
public final class EditJson {
  private EditJson() {}

  /** Writes {@code edit} as one JSON object. */
  public static void write(JsonWriter json, Edit edit) {
    json.beginObject();
    json.name("command").value(edit.command());
    json.name("root").value(edit.root());
    if (edit instanceof ManifestEdit bump) {
      strings(json.name("images"), bump.images().stream().map(Object::toString).toList());
      strings(json.name("set"), bump.sets().stream().map(Object::toString).toList());
      strings(json.name("policy"), bump.policies().stream().map(Object::toString).toList());
      strings(json.name("include"), bump.includes());
      strings(json.name("exclude"), bump.excludes());
      strings(json.name("paths"), bump.paths());
      json.name("allowNoMatch").value(bump.allowNoMatch());
      json.name("createKeys").value(bump.createKeys());
      force(json, bump.force());
    } else if (edit instanceof ArgoCdSourceEdit argo) {
      json.name("argocdApp").value(argo.app());
      json.name("source").value(argo.source());
      strings(json.name("images"), argo.images().stream().map(Object::toString).toList());
      json.name("helmImageName").value(argo.helmNameKey());
      json.name("helmImageTag").value(argo.helmTagKey());
      force(json, argo.force());
    } else if (edit instanceof KustomizationEdit set) {
      json.name("file").value(set.file());
      strings(json.name("images"), set.specs());
      force(json, set.force());
    } else if (edit instanceof PromoteEdit promote) {
      json.name("from").value(promote.from());
      json.name("to").value(promote.to());
      strings(json.name("images"), promote.images());
      json.name("pinDigest").value(promote.pinDigest());
      json.name("pinned").beginObject();
      promote.pinned().forEach((tagged, digest) -> json.name(tagged).value(digest));
      json.endObject();
    } else if (edit instanceof RollbackEdit rollback) {
      json.name("path").value(rollback.path());
      json.name("restores").beginArray();
      for (RollbackEdit.Restore restore : rollback.restores()) {
        json.beginObject();
        json.name("file").value(restore.file());
        strings(json.name("images"), restore.images().stream().map(Object::toString).toList());
        json.endObject();
      }
      json.endArray();
      json.name("rollbackOf").value(rollback.rollbackOf());
      json.name("rolledBackTo").value(rollback.rolledBackTo());
      if (rollback.hold() != null) {
        Holds.Hold hold = rollback.hold();
        json.name("hold").beginObject();
        json.name("path").value(hold.path());
        json.name("reason").value(hold.reason());
        json.name("rolledBackTo").value(hold.rolledBackTo());
        json.name("rollbackOf").value(hold.rollbackOf());
        json.name("since").value(hold.since());
        json.name("by").value(hold.by());
        json.endObject();
      }
    } else if (edit instanceof ReleaseEdit release) {
      json.name("path").value(release.path());
    }
    json.endObject();
  }

  /** {@code --force}, written only when given, so that other edits read as they always did. */
  private static void force(JsonWriter json, boolean force) {
    if (force) {
      json.name("force").value(true);
    }
  }

  /** {@code edit} as JSON text. */
  public static String toJson(Edit edit) {
    StringBuilder text = new StringBuilder();
    write(new JsonWriter(text), edit);
    return text.toString();
  }

  /**
   * Reads an edit back from a JSON object as a JSON parser returns it (maps, lists, strings).
   *
   * @throws IllegalArgumentException when it is not an edit this version knows
   */
  public static Edit read(Object value) {
    if (!(value instanceof Map<?, ?> object)) {
      throw new IllegalArgumentException("an edit is a JSON object");
    }
    try {
      String command = (String) object.get("command");
      String root = (String) object.get("root");
      if (root == null) {
        throw new IllegalArgumentException("no root");
      }
      if (ManifestEdit.COMMAND.equals(command) && object.containsKey("argocdApp")) {
        return new ArgoCdSourceEdit(root, (String) object.get("argocdApp"), (String) object.get("source"),
            parsed(object.get("images"), ImageUpdate::parse), (String) object.get("helmImageName"),
            (String) object.get("helmImageTag"), forced(object));
      }
      if (ManifestEdit.COMMAND.equals(command)) {
        return new ManifestEdit(
            root,
            parsed(object.get("images"), ImageUpdate::parse),
            parsed(object.get("set"), PathAssignment::parse),
            parsed(object.get("policy"), PolicyAssignment::parse),
            strings(object.get("include")),
            strings(object.get("exclude")),
            strings(object.get("paths")),
            Boolean.TRUE.equals(object.get("allowNoMatch")),
            Boolean.TRUE.equals(object.get("createKeys")),
            forced(object));
      }
      if (KustomizationEdit.COMMAND.equals(command)) {
        return new KustomizationEdit(
            root, (String) object.get("file"), strings(object.get("images")), forced(object));
      }
      if (RollbackEdit.COMMAND.equals(command)) {
        List<RollbackEdit.Restore> restores = new ArrayList<>();
        for (Object item : (List<?>) object.get("restores")) {
          Map<?, ?> restore = (Map<?, ?>) item;
          restores.add(new RollbackEdit.Restore(
              (String) restore.get("file"), parsed(restore.get("images"), ImageUpdate::parse)));
        }
        Holds.Hold hold = null;
        if (object.get("hold") instanceof Map<?, ?> held) {
          hold = new Holds.Hold((String) held.get("path"), (String) held.get("reason"),
              (String) held.get("rolledBackTo"), (String) held.get("rollbackOf"),
              (String) held.get("since"), (String) held.get("by"));
        }
        return new RollbackEdit(root, (String) object.get("path"), restores, hold,
            (String) object.get("rollbackOf"), (String) object.get("rolledBackTo"));
      }
      if (ReleaseEdit.COMMAND.equals(command)) {
        return new ReleaseEdit(root, (String) object.get("path"));
      }
      if (PromoteEdit.COMMAND.equals(command)) {
        Map<String, String> pinned = new LinkedHashMap<>();
        ((Map<?, ?>) object.get("pinned")).forEach((k, v) -> pinned.put((String) k, (String) v));
        // no registry on a replay: the digests looked up then are the ones used
        return new PromoteEdit(root, (String) object.get("from"), (String) object.get("to"),
            strings(object.get("images")), Boolean.TRUE.equals(object.get("pinDigest")), pinned,
            null);
      }
      throw new IllegalArgumentException("an edit of an unknown command: " + command);
    } catch (RuntimeException e) { // a wrong type, a missing field, a value its parser refuses
      throw new IllegalArgumentException("not an edit: " + e.getMessage(), e);
    }
  }

  private static boolean forced(Map<?, ?> object) {
    return Boolean.TRUE.equals(object.get("force"));
  }

  private static <T> List<T> parsed(Object value, Function<String, T> parser) {
    List<T> parsed = new ArrayList<>();
    for (String text : strings(value)) {
      parsed.add(parser.apply(text));
    }
    return parsed;
  }

  private static List<String> strings(Object value) {
    List<String> strings = new ArrayList<>();
    for (Object item : (List<?>) value) {
      strings.add((String) item);
    }
    return strings;
  }

  private static void strings(JsonWriter json, List<String> values) {
    json.beginArray();
    values.forEach(json::value);
    json.endArray();
  }
}
