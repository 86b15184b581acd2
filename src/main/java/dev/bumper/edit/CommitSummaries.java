package dev.bumper.edit;

import dev.bumper.image.ImageReference;
import dev.bumper.manifest.ValueChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One line per image and new version for commit messages: {@code ghcr.io/acme/web 1.4.1 ->
 * 1.4.2}, or {@code ghcr.io/acme/web -> 1.4.2 (6 places)} when the places held several versions.
 */
public final class CommitSummaries {
  private CommitSummaries() {}

  public static List<String> of(List<ValueChange> changes) {
    Map<String, Set<String>> olds = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (ValueChange change : changes) {
      ImageReference a = change.old() == null ? null : ImageReference.tryParse(change.old()).orElse(null);
      ImageReference b = ImageReference.tryParse(change.now()).orElse(null);
      String key;
      String old;
      if (a != null && b != null && a.name().equals(b.name())) {
        key = b.name() + " -> " + version(b);
        old = version(a);
      } else {
        key = "-> " + change.now();
        old = change.old() == null ? "(none)" : change.old();
      }
      olds.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(old);
      counts.merge(key, 1, Integer::sum);
    }
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Set<String>> entry : olds.entrySet()) {
      String key = entry.getKey();
      int n = counts.get(key);
      String line;
      if (entry.getValue().size() == 1) {
        String old = entry.getValue().iterator().next();
        line = key.startsWith("-> ") ? old + " " + key : key.replace(" -> ", " " + old + " -> ");
      } else {
        line = key.startsWith("-> ") ? "(several) " + key : key;
      }
      lines.add(n == 1 ? line : line + " (" + n + " places)");
    }
    return lines;
  }

  /** One change as a summary line: {@code name old -> new} when both are references to one name. */
  public static String line(String old, String now) {
    if (old == null || now == null) {
      return old == null ? "add " + now : "remove " + old;
    }
    return of(List.of(new ValueChange("", 0, 0, dev.bumper.manifest.Kind.KUSTOMIZE, old, now))).get(0);
  }

  private static String version(ImageReference ref) {
    String digest = ref.digest() == null ? null : ref.digest().substring(0, Math.min(ref.digest().length(), 19));
    if (ref.tag() != null && digest != null) {
      return ref.tag() + "@" + digest;
    }
    if (digest != null) {
      return digest;
    }
    return ref.tag() == null ? "(no tag)" : ref.tag();
  }
}
