package dev.bumper.git;

import dev.bumper.edit.Edit;
import dev.bumper.edit.EditResult;
import dev.bumper.edit.ManifestEdit;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link Edit} as a change to commits: applied to each snapshot it is given (the tip, and the
 * new tip after each lost race), remembering what it made of the last one, for output.
 */
public final class EditChange implements TreeChange {
  private final Edit edit;
  private final boolean write;
  private EditResult last;

  private EditChange(Edit edit, boolean write) {
    this.edit = edit;
    this.write = write;
  }

  /** The edit as a change to commit. */
  public static EditChange of(Edit edit) {
    return new EditChange(edit, true);
  }

  /** The edit applied only to see what it would change: no files, so nothing is committed. */
  public static EditChange preview(Edit edit) {
    return new EditChange(edit, false);
  }

  @Override
  public Result apply(Snapshot snapshot) throws IOException {
    last = edit.apply(snapshot);
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (write) {
      last.edits().forEach(file -> files.put(file.path(), file.content()));
    }
    return new Result(files, last.summaries());
  }

  @Override
  public Map<String, String> trailers(String base) {
    return edit.trailers(base);
  }

  /** A manifest edit's paths under its root; null (any file) for the other edits, or no paths. */
  @Override
  public List<String> scope() {
    if (!(edit instanceof ManifestEdit manifests) || manifests.paths().isEmpty()) {
      return null;
    }
    List<String> scope = new ArrayList<>();
    for (String path : manifests.paths()) {
      String joined = manifests.root().isEmpty() ? path : manifests.root() + "/" + path;
      Path normalized;
      try {
        normalized = Path.of(joined).normalize();
      } catch (InvalidPathException e) {
        return null;
      }
      String relative = normalized.toString().replace('\\', '/');
      if (normalized.isAbsolute() || normalized.startsWith("..") || relative.isEmpty()
          || relative.equals(".")) {
        return null;
      }
      scope.add(relative);
    }
    return scope;
  }

  /** What the edit made of the last snapshot it was applied to; null before the first. */
  public EditResult last() {
    return last;
  }
}
