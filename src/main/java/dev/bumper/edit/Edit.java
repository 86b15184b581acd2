package dev.bumper.edit;

import java.io.IOException;
import java.util.Map;

/**
 * What a command sets, and where: an immutable value that applies to any tree of the config
 * repo's files (a directory, a commit) and yields the files it changes. Recorded as JSON by
 * {@link EditJson}, it is applied again, as it is, to the new tip after a lost push race.
 */
public sealed interface Edit permits ManifestEdit, KustomizationEdit, ArgoCdSourceEdit,
    PromoteEdit, RollbackEdit, ReleaseEdit {
  /** The command that makes this edit, as intents and messages name it. */
  String command();

  /** The directory of the tree that the edit's paths are relative to; {@code ""} for its top. */
  String root();

  /** The same edit with its paths relative to {@code root}, a directory of the tree. */
  Edit atRoot(String root);

  /**
   * Applies the edit to the files of {@code tree}, writing nothing.
   *
   * @throws EditFailedException when it cannot be applied (an invalid file, a spec that matched
   *     nothing), with the lines that say why and the exit code
   */
  EditResult apply(FileTree tree) throws IOException;

  /**
   * Trailers for the commit that holds this edit, besides the run's own ({@code Source-Commit},
   * {@code Build-URL}): what a reader of the history needs to know where the change came from.
   *
   * @param commit the commit the edit was applied on (made again on a new tip: that tip), or
   *     {@code ""} when not known
   */
  default Map<String, String> trailers(String commit) {
    return Map.of();
  }

  /** {@code base/path}, for a path relative to a root that may be the top ({@code ""}). */
  static String join(String base, String path) {
    if (base.isEmpty()) {
      return path;
    }
    return path.isEmpty() || path.equals(".") ? base : base + "/" + path;
  }
}
