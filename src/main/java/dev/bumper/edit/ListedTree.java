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
      if (selection.selects(relative) && under(relative, prefixes)) {
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

  private static boolean under(String path, List<String> prefixes) {
    if (prefixes.isEmpty()) {
      return true;
    }
    for (String prefix : prefixes) {
      if (prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/")) {
        return true;
      }
    }
    return false;
  }
}
