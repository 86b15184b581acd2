package dev.bumper.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Lists the manifest files under a root: {@code *.yaml}, {@code *.yml} and {@code Kustomization}
 * files, recursively, skipping hidden directories such as {@code .git}; refined by include and
 * exclude globs.
 *
 * <p>A symlinked file is read through its target only when the target is inside the root, and
 * each target is listed once; symlinked directories are not entered, so there are no cycles and
 * nothing outside the root is ever read or written.
 */
public final class ManifestFiles {
  private final Path root;
  private final String rootPrefix;
  private final List<PathMatcher> includes;
  private final List<PathMatcher> excludes;
  private final Consumer<String> skipped;
  private Consumer<Path> tempFiles = path -> {};

  /**
   * @param root the real path of the root directory
   * @param includes globs a file must match (any of them) when given; a glob without {@code /}
   *     matches the file name, one with {@code /} the path relative to the root
   * @param excludes globs that drop a file, matched the same way
   * @param skipped told about each symlink not followed, for verbose output
   */
  public ManifestFiles(
      Path root, List<String> includes, List<String> excludes, Consumer<String> skipped) {
    this.root = root;
    String rootText = root.toString();
    this.rootPrefix = rootText.endsWith(root.getFileSystem().getSeparator()) ? rootText : rootText + root.getFileSystem().getSeparator();
    this.includes = includes.stream().map(ManifestFiles::matcher).toList();
    this.excludes = excludes.stream().map(ManifestFiles::matcher).toList();
    this.skipped = skipped;
  }

  /**
   * Told about each temp file of {@link AtomicFiles} the walk passes: one left by a run that was
   * killed while writing is removed by the next run that walks its directory.
   */
  public ManifestFiles onTempFile(Consumer<Path> tempFiles) {
    this.tempFiles = tempFiles;
    return this;
  }

  private static PathMatcher matcher(String glob) {
    PathMatcher byPath = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    if (glob.contains("/")) {
      return byPath;
    }
    return path -> byPath.matches(path.getFileName());
  }

  /**
   * Lists the files under the given paths (each a file or directory inside the root), sorted by
   * display path. A file named explicitly is taken whatever its extension.
   */
  public List<ManifestFile> list(List<Path> paths) throws IOException {
    List<ManifestFile> files = new ArrayList<>();
    list(paths, files::add);
    files.sort((a, b) -> a.display().compareTo(b.display()));
    return files;
  }

  /**
   * Hands each file to {@code sink} as the walk finds it, in no particular order, so that the
   * files can be read and bumped while the rest of the tree is still being listed.
   */
  public void list(List<Path> paths, Consumer<ManifestFile> sink) throws IOException {
    Found found = new Found(sink);
    for (Path path : paths) {
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        walk(path, found);
      } else {
        consider(path, true, found);
      }
    }
  }

  /** Files found so far, by the file actually read, so a target reached by two names is one file. */
  private static final class Found {
    private final java.util.Set<Path> targets = new java.util.HashSet<>();
    private final Consumer<ManifestFile> sink;

    Found(Consumer<ManifestFile> sink) {
      this.sink = sink;
    }

    void putIfAbsent(Path target, ManifestFile file) {
      if (targets.add(target)) {
        sink.accept(file);
      }
    }
  }

  private void walk(Path dir, Found out) throws IOException {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              boolean hidden = !d.equals(dir) && d.getFileName().toString().startsWith(".");
              return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() && AtomicFiles.isTempFile(file)) {
                tempFiles.accept(file);
                return FileVisitResult.CONTINUE;
              }
              if (isManifestName(file.getFileName().toString())) {
                try {
                  if (attrs.isRegularFile()) {
                    // the common case, decided from the attributes the walk already read
                    if (selected(file)) {
                      out.putIfAbsent(file, new ManifestFile(file, display(file)));
                    }
                    return FileVisitResult.CONTINUE;
                  }
                  consider(file, false, out);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (file.equals(dir)) {
                throw e; // a directory named on the command line: the user's to fix
              }
              // An unreadable directory, or one gone since it was listed: its files are not
              // this run's to bump, so the others still are.
              skipped.accept(display(file) + ": " + reason(e) + "; skipped");
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Takes a file if it is selected, under the root-relative path of the file actually read and
   * written: a symlink is resolved first, so output names the target and a target reached by
   * several names is taken once.
   */
  private void consider(Path file, boolean explicit, Found out)
      throws IOException {
    Path target = file;
    if (explicit || Files.isSymbolicLink(file)) {
      try {
        target = file.toRealPath();
      } catch (java.nio.file.FileSystemException e) {
        if (explicit) {
          throw e;
        }
        skipped.accept(display(file) + ": a symlink to " + (e instanceof java.nio.file.NoSuchFileException
            ? "a missing file" : "nothing readable (" + reason(e) + ")") + "; not followed");
        return;
      }
      if (!target.startsWith(root)) {
        skipped.accept(display(file) + ": a symlink out of the root; not followed");
        return;
      }
      if (GitDirectories.isInside(root.relativize(target))) {
        skipped.accept(display(file) + ": a symlink into .git; not followed");
        return;
      }
      if (!explicit && inHiddenDirectory(root.relativize(target))) {
        // the walk skips hidden directories; a link must not lead it into one
        skipped.accept(display(file) + ": a symlink into a hidden directory; not followed");
        return;
      }
    }
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!explicit && !(selected(file) && selected(target))) {
      return;
    }
    out.putIfAbsent(target, new ManifestFile(target, display(target)));
  }

  /**
   * Whether a path of a Git tree (relative, {@code /}-separated) is a manifest this listing
   * takes: the same name, hidden-directory and glob rules as for a directory on disk.
   */
  public boolean selects(String relativePath) {
    String[] parts = relativePath.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      if (parts[i].startsWith(".")) {
        return false;
      }
    }
    return isManifestName(parts[parts.length - 1]) && matches(Path.of(relativePath));
  }

  private static boolean inHiddenDirectory(Path relative) {
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      if (relative.getName(i).toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private boolean selected(Path file) {
    return (includes.isEmpty() && excludes.isEmpty()) || matches(root.relativize(file));
  }

  private boolean matches(Path relative) {
    if (!includes.isEmpty() && includes.stream().noneMatch(m -> m.matches(relative))) {
      return false;
    }
    return excludes.stream().noneMatch(m -> m.matches(relative));
  }

  private String display(Path file) {
    String text = file.toString();
    if (text.startsWith(rootPrefix)) {
      // cheaper than Path.relativize, which dominated a walk of 20,000 files
      String relative = text.substring(rootPrefix.length());
      return relative.replace(file.getFileSystem().getSeparator(), "/");
    }
    String relative = root.relativize(file).toString();
    return relative.replace(file.getFileSystem().getSeparator(), "/");
  }

  private static String reason(IOException e) {
    String described = IoErrors.describe(e);
    int colon = described.lastIndexOf(": ");
    return colon < 0 ? described : described.substring(colon + 2);
  }

  static boolean isManifestName(String name) {
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.equals("Kustomization");
  }
}
