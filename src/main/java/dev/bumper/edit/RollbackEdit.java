package dev.bumper.edit;

import dev.bumper.image.ImageUpdate;
import dev.bumper.io.ManifestSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bumper rollback}: the references an environment deployed at an earlier commit, set again
 * file by file, as a bump would set them (so a concurrent push only makes it apply again on the new
 * tip), and with a hold the environment's entry in {@link Holds#FILE}. Nothing else is touched:
 * unlike a revert, other changes of the commits undone stay.
 *
 * @param path the environment, from {@code root}
 * @param restores the images to set in each file, from the earlier commit
 * @param hold the hold to record, or null
 * @param rollbackOf the deploy undone, for the {@code Rollback-Of} trailer
 * @param rolledBackTo the commit whose images are set again
 */
public record RollbackEdit(
    String root, String path, List<Restore> restores, Holds.Hold hold, String rollbackOf,
    String rolledBackTo) implements Edit {
  public static final String COMMAND = "rollback";
  public static final String TRAILER = "Rollback-Of";

  /** The references one file had: each image set again exactly, tag and digest. */
  public record Restore(String file, List<ImageUpdate> images) {
    public Restore {
      images = List.copyOf(images);
    }
  }

  public RollbackEdit {
    restores = List.copyOf(restores);
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public RollbackEdit atRoot(String root) {
    return new RollbackEdit(root, path, restores, hold, rollbackOf, rolledBackTo);
  }

  @Override
  public Map<String, String> trailers(String commit) {
    Map<String, String> trailers = new LinkedHashMap<>();
    if (rollbackOf != null && !rollbackOf.isEmpty()) {
      trailers.put(TRAILER, rollbackOf);
    }
    return trailers;
  }

  @Override
  public EnvironmentEditResult apply(FileTree tree) throws IOException {
    List<ManifestEditResult> parts = new ArrayList<>();
    List<String> changes = new ArrayList<>();
    for (Restore restore : restores) {
      if (restore.images().isEmpty() || tree.file(Edit.join(root, restore.file())) == null) {
        continue; // gone since: a rollback sets images, it brings back no file
      }
      // A rollback is the operator's answer to a hold, never refused by one.
      ManifestEditResult part = new ManifestEdit(root, restore.images(), List.of(), List.of(),
          List.of(), List.of(), List.of(restore.file()), true, false, true).apply(tree);
      parts.add(part);
      changes.addAll(part.summaries());
    }
    FileChange holds = hold == null ? null : holdsWith(tree, root, hold);
    List<String> summaries = new ArrayList<>();
    String to = "Roll back " + shown(Edit.join(root, path)) + " to " + abbreviate(rolledBackTo);
    if (!changes.isEmpty()) {
      summaries.add(to + ": " + changes.get(0));
      summaries.addAll(changes.subList(1, changes.size()));
      if (holds != null && holds.edit() != null) {
        summaries.add("Hold " + shown(Edit.join(root, path)));
      }
    } else if (holds != null && holds.edit() != null) {
      summaries.add("Hold " + shown(Edit.join(root, path)) + " at " + abbreviate(rolledBackTo));
    }
    return new EnvironmentEditResult(parts, holds == null ? null : holds.edit(),
        holds == null ? "" : holds.before(), summaries,
        hold != null || Holds.covering(Holds.read(tree), Edit.join(root, path)) != null);
  }

  /** The holds file's change: its new content (null when the same), and its text before. */
  record FileChange(EditResult.FileEdit edit, String before) {}

  /** The holds file with {@code hold} in place of any hold of the same path. */
  static FileChange holdsWith(FileTree tree, String root, Holds.Hold hold) throws IOException {
    return holdsChange(tree, root, hold.path(), hold);
  }

  /** The holds file without a hold of {@code path} (from the top), with {@code add} if any. */
  static FileChange holdsChange(FileTree tree, String root, String path, Holds.Hold add)
      throws IOException {
    if (!tree.repositoryPrefix().isEmpty() || !root.isEmpty()) {
      throw new IllegalStateException("holds are written at the top of the repository");
    }
    ManifestSource existing = tree.repositoryFile(Holds.FILE);
    byte[] before = existing == null ? new byte[0] : existing.read();
    List<Holds.Hold> holds = new ArrayList<>(
        existing == null ? List.of() : Holds.parse(existing.display(), before));
    holds.removeIf(held -> held.path().equals(path));
    if (add != null) {
      holds.add(add);
    }
    byte[] after = Holds.render(holds);
    String beforeText = new String(before, StandardCharsets.UTF_8);
    if (existing != null && Arrays.equals(before, after)) {
      return new FileChange(null, beforeText);
    }
    if (existing == null && add == null) {
      return new FileChange(null, "");
    }
    ManifestSource target = existing != null ? existing : tree.target(Holds.FILE);
    return new FileChange(new EditResult.FileEdit(target, after), beforeText);
  }

  static String shown(String path) {
    return path.isEmpty() ? "." : path;
  }

  static String abbreviate(String sha) {
    return sha == null ? "" : sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
