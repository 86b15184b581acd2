package dev.bumper.edit;

import dev.bumper.failure.UsageException;
import dev.bumper.io.ManifestFiles;
import dev.bumper.io.ManifestSource;
import dev.bumper.io.PathArguments;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * A tree whose file paths are all known up front, as a commit's are: the manifests under a path
 * are found among them by the same rules a directory walk follows.
 */
public interface ListedTree extends FileTree {
  /** Paths of regular files, {@code /}-separated, in tree order. */
  List<String> paths();

  byte[] read(String path) throws IOException;

  /**
   * As a walk of each PATH finds them: a file named as a PATH whatever its name, and below a
   * directory the manifests its rules select, hidden directories skipped below the PATH only.
   */
  @Override
  default void manifests(String root, List<String> paths, List<String> includes, List<String> excludes,
      Consumer<ManifestSource> sink) {
    ManifestFiles selection = ManifestFiles.selection(includes, excludes);
    List<String> prefixes = prefixes(paths);
    String under = root.isEmpty() ? "" : root + "/";
    for (String path : paths()) {
      if (!path.startsWith(under)) {
        continue;
      }
      String relative = path.substring(under.length());
      if (taken(relative, prefixes, selection)) {
        sink.accept(source(path));
      }
    }
  }

  @Override
  default ManifestSource file(String path) {
    return new HashSet<>(paths()).contains(path) ? source(path) : null;
  }

  @Override
  default ManifestSource target(String path) {
    return source(path);
  }

  private ManifestSource source(String path) {
    ListedTree tree = this;
    return new ManifestSource() {
      @Override
      public String display() {
        return path;
      }

      @Override
      public byte[] read() throws IOException {
        return tree.read(path);
      }
    };
  }

  /** PATHs as paths in the tree: relative, and not leading out of it. */
  private static List<String> prefixes(List<String> paths) {
    List<String> prefixes = new ArrayList<>();
    for (String given : paths) {
      Path normalized = PathArguments.of(given).normalize();
      if (normalized.isAbsolute() || normalized.startsWith("..")) {
        throw new UsageException(given + ": outside the repository");
      }
      String prefix = normalized.toString().replace('\\', '/');
      prefixes.add(prefix.isEmpty() || prefix.equals(".") ? "" : prefix);
    }
    return prefixes;
  }

  private static boolean taken(String path, List<String> prefixes, ManifestFiles selection) {
    if (prefixes.isEmpty()) {
      return selection.selects(path, "");
    }
    for (String prefix : prefixes) {
      if (path.equals(prefix)) {
        return true; // named: taken as it is, as a walk takes a file named on the command line
      }
      if ((prefix.isEmpty() || path.startsWith(prefix + "/")) && selection.selects(path, prefix)) {
        return true;
      }
    }
    return false;
  }
}
