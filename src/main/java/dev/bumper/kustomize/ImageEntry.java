package dev.bumper.kustomize;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An entry of a kustomize {@code images:} list as kustomize models it: name, newName, newTag,
 * digest and tagSuffix; an empty string is an absent field.
 */
public record ImageEntry(String name, String newName, String newTag, String digest, String tagSuffix) {
  /** The fields kustomize writes for an entry, in the order bumper writes new ones. */
  static final String[] FIELDS = {"name", "newName", "newTag", "digest", "tagSuffix"};

  static ImageEntry of(ImageArg arg) {
    return new ImageEntry(arg.name(), arg.newName(), arg.newTag(), arg.digest(), "");
  }

  /** The present fields, in {@link #FIELDS} order. */
  public Map<String, String> fields() {
    Map<String, String> fields = new LinkedHashMap<>();
    put(fields, "name", name);
    put(fields, "newName", newName);
    put(fields, "newTag", newTag);
    put(fields, "digest", digest);
    put(fields, "tagSuffix", tagSuffix);
    return fields;
  }

  private static void put(Map<String, String> fields, String key, String value) {
    if (!value.isEmpty()) {
      fields.put(key, value);
    }
  }

  /** {@code newName:newTag@digest}, or the name when there is no newName: what the entry deploys. */
  public String display() {
    StringBuilder sb = new StringBuilder(newName.isEmpty() ? name : newName);
    if (!newTag.isEmpty()) {
      sb.append(':').append(newTag);
    }
    if (!digest.isEmpty()) {
      sb.append('@').append(digest);
    }
    return sb.toString();
  }
}
