package dev.bumper.edit;

import dev.bumper.io.ManifestSource;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The files an edit reads: a directory on disk, or the tree of a commit. Paths are relative to the
 * top of the tree, {@code /}-separated.
 */
public interface FileTree {
  /**
   * Hands {@code sink} the manifests under {@code paths} (relative to {@code root}; none: all of
   * {@code root}) that the globs select, as {@code bump-manifest} finds them: YAML and Kustomization
   * files, hidden directories skipped.
   */
  void manifests(String root, List<String> paths, List<String> includes, List<String> excludes,
      Consumer<ManifestSource> sink) throws IOException;

  /** The regular file at {@code path}, or null when there is none. */
  ManifestSource file(String path) throws IOException;

  /** Where a file at {@code path} would be written, whether or not it is there yet. */
  ManifestSource target(String path) throws IOException;

  /**
   * The regular file at {@code path} from the top of the repository the tree is in, which may be
   * above the tree's own top (a directory inside a checkout); null when there is none.
   */
  default ManifestSource repositoryFile(String path) throws IOException {
    return file(path);
  }

  /** Where the tree's top is in its repository: {@code ""} when it is the top. */
  default String repositoryPrefix() {
    return "";
  }
}
