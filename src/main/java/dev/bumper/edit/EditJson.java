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
    } else if (edit instanceof ArgoCdSourceEdit argo) {
      json.name("argocdApp").value(argo.app());
      json.name("source").value(argo.source());
      strings(json.name("images"), argo.images().stream().map(Object::toString).toList());
      json.name("helmImageName").value(argo.helmNameKey());
      json.name("helmImageTag").value(argo.helmTagKey());
    } else if (edit instanceof KustomizationEdit set) {
      json.name("file").value(set.file());
      strings(json.name("images"), set.specs());
    } else if (edit instanceof PromoteEdit promote) {
      json.name("from").value(promote.from());
      json.name("to").value(promote.to());
      strings(json.name("images"), promote.images());
      json.name("pinDigest").value(promote.pinDigest());
      json.name("pinned").beginObject();
      promote.pinned().forEach((tagged, digest) -> json.name(tagged).value(digest));
      json.endObject();
    }
    json.endObject();
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
            (String) object.get("helmImageTag"));
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
            Boolean.TRUE.equals(object.get("createKeys")));
      }
      if (KustomizationEdit.COMMAND.equals(command)) {
        return new KustomizationEdit(root, (String) object.get("file"), strings(object.get("images")));
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
