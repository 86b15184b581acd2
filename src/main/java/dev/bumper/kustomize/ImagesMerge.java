package dev.bumper.kustomize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kustomize's merge of {@code edit set image} arguments into an {@code images:} list: arguments
 * keyed by name (the last of a name wins); each file entry whose name has an argument is replaced
 * by it, with {@code *} parts taken from that entry (only the first entry of a repeated name
 * counts: the later ones collapse into it); the other entries stay; leftover {@code *} parts
 * become empty; the list is sorted by name in byte order.
 */
final class ImagesMerge {
  private ImagesMerge() {}

  /** One entry of the result, and where it comes from. */
  record Merged(ImageEntry entry, int fileIndex, boolean fromArgument) {
    /** An entry of the file kept exactly as it was. */
    boolean untouched() {
      return fileIndex >= 0 && !fromArgument;
    }
  }

  /**
   * @param file the entries of the file, in file order
   * @return the resulting list, sorted; {@code fileIndex} is the index in {@code file} of the
   *     entry a result replaces or keeps (the first one of its name), or -1 for a new entry
   */
  static List<Merged> merge(List<ImageEntry> file, List<ImageArg> args) {
    Map<String, ImageEntry> byName = new LinkedHashMap<>();
    Map<String, Boolean> fromArgument = new LinkedHashMap<>();
    Map<String, Integer> fileIndex = new LinkedHashMap<>();
    for (ImageArg arg : args) {
      byName.put(arg.name(), ImageEntry.of(arg));
      fromArgument.put(arg.name(), true);
    }
    for (int i = 0; i < file.size(); i++) {
      ImageEntry entry = file.get(i);
      ImageEntry merged = byName.get(entry.name());
      if (merged == null) {
        byName.put(entry.name(), entry);
        fromArgument.put(entry.name(), false);
        fileIndex.put(entry.name(), i);
        continue;
      }
      fileIndex.putIfAbsent(entry.name(), i);
      if (fromArgument.get(entry.name())) {
        byName.put(entry.name(), keep(merged, entry));
      }
    }
    List<Merged> result = new ArrayList<>();
    for (Map.Entry<String, ImageEntry> e : byName.entrySet()) {
      ImageEntry entry = clearKeep(e.getValue());
      result.add(new Merged(entry, fileIndex.getOrDefault(e.getKey(), -1), fromArgument.get(e.getKey())));
    }
    result.sort((a, b) -> compareBytes(a.entry().name(), b.entry().name()));
    return result;
  }

  /** Fills the {@code *} parts of an argument from a file entry; tagSuffix is never carried. */
  private static ImageEntry keep(ImageEntry arg, ImageEntry file) {
    return new ImageEntry(
        arg.name(),
        ImageArg.KEEP.equals(arg.newName()) ? file.newName() : arg.newName(),
        ImageArg.KEEP.equals(arg.newTag()) ? file.newTag() : arg.newTag(),
        ImageArg.KEEP.equals(arg.digest()) ? file.digest() : arg.digest(),
        "");
  }

  private static ImageEntry clearKeep(ImageEntry entry) {
    return new ImageEntry(
        entry.name(),
        ImageArg.KEEP.equals(entry.newName()) ? "" : entry.newName(),
        ImageArg.KEEP.equals(entry.newTag()) ? "" : entry.newTag(),
        ImageArg.KEEP.equals(entry.digest()) ? "" : entry.digest(),
        entry.tagSuffix());
  }

  /** Go's string order: bytes of UTF-8. */
  static int compareBytes(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
