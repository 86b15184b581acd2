package dev.bumper.io;

import dev.bumper.failure.UsageException;
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
 * <p>A symlinked file is read through its target when {@link WriteRoot} would let bumper write
 * it, and each target is listed once; a symlinked manifest that leads out of the root or into
 * {@code .git} is listed as a {@link RefusedFile}, whose read fails and so fails the run before
 * anything is written. Symlinked directories are not entered, so there are no cycles. What cannot
 * be listed or resolved (an unreadable directory, a dangling link) is skipped with a note.
 */
public final class ManifestFiles {
  private final WriteRoot writeRoot;
  private final Path root;
  private final String rootPrefix;
  private final List<PathMatcher> includes;
  private final List<PathMatcher> excludes;
  private final Consumer<String> skipped;
  private Consumer<Path> tempFiles = path -> {};

  /**
   * @param root the root: what the walk takes, bumper may write
   * @param includes globs a file must match (any of them) when given; a glob without {@code /}
   *     matches the file name, one with {@code /} the path relative to the root
   * @param excludes globs that drop a file, matched the same way
   * @param skipped told about each file or directory not taken and why, for verbose output
   */
  public ManifestFiles(
      WriteRoot root, List<String> includes, List<String> excludes, Consumer<String> skipped) {
    this(root, root.dir(), includes, excludes, skipped);
  }

  /**
   * The name and glob rules alone, for {@link #selects}: paths of a Git tree, never a directory
   * on disk.
   */
  public static ManifestFiles selection(List<String> includes, List<String> excludes) {
    return new ManifestFiles(null, Path.of("/"), includes, excludes, line -> {});
  }

  private ManifestFiles(
      WriteRoot writeRoot, Path root, List<String> includes, List<String> excludes, Consumer<String> skipped) {
    this.writeRoot = writeRoot;
    this.root = root;
    String rootText = PathText.of(root);
    this.rootPrefix = rootText.endsWith(root.getFileSystem().getSeparator()) ? rootText : rootText + root.getFileSystem().getSeparator();
    this.includes = includes.stream().map(glob -> matcher(glob, "--include")).toList();
    this.excludes = excludes.stream().map(glob -> matcher(glob, "--exclude")).toList();
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

  /** @throws UsageException for a glob that is none ("[", "{a,{b}}"), naming the option */
  private static PathMatcher matcher(String glob, String option) {
    PathMatcher byPath;
    try {
      byPath = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    } catch (IllegalArgumentException e) {
      String why = e instanceof java.util.regex.PatternSyntaxException syntax ? syntax.getDescription() : e.getMessage();
      throw new UsageException(option + " '" + glob + "': not a glob (" + why + ")");
    }
    if (glob.contains("/")) {
      return byPath;
    }
    return path -> byPath.matches(path.getFileName());
  }

  /**
   * Lists the files under the given paths (each a file or directory inside the root), sorted by
   * display path. A file named explicitly is taken whatever its extension.
   */
  public List<ManifestSource> list(List<Path> paths) throws IOException {
    List<ManifestSource> files = new ArrayList<>();
    list(paths, files::add);
    files.sort((a, b) -> a.display().compareTo(b.display()));
    return files;
  }

  /**
   * Hands each file to {@code sink} as the walk finds it, in no particular order, so that the
   * files can be read and bumped while the rest of the tree is still being listed.
   */
  public void list(List<Path> paths, Consumer<ManifestSource> sink) throws IOException {
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
    private final Consumer<ManifestSource> sink;

    Found(Consumer<ManifestSource> sink) {
      this.sink = sink;
    }

    void putIfAbsent(Path target, ManifestFile file) {
      if (targets.add(target)) {
        sink.accept(file);
      }
    }

    void refuse(RefusedFile file) {
      sink.accept(file);
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
              skipped.accept(display(file) + ": " + IoErrors.reason(e) + "; skipped");
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
   * several names is taken once. A file named on the command line was checked against the root
   * by the command; one found by the walk is checked here.
   */
  private void consider(Path file, boolean explicit, Found out) throws IOException {
    Path target = file;
    if (explicit || Files.isSymbolicLink(file)) {
      if (!explicit && !selected(file)) {
        return; // excluded by name: never resolved, so --exclude also silences a link out
      }
      try {
        target = writeRoot.resolve(file);
      } catch (OutsideRootException e) {
        if (!explicit && Files.isRegularFile(e.target())) {
          // A manifest bumper would have to write outside the root: skipping it would lose the
          // update without a word, so the run fails and writes nothing.
          out.refuse(new RefusedFile(display(file), e));
        } else {
          skipped.accept(display(file) + ": a symlink out of the root to no manifest (" + PathText.of(e.target())
              + "); not followed");
        }
        return;
      } catch (java.nio.file.FileSystemException e) {
        if (explicit) {
          throw e;
        }
        skipped.accept(display(file) + ": a symlink to " + (e instanceof java.nio.file.NoSuchFileException
            ? "a missing file" : "nothing readable (" + IoErrors.reason(e) + ")") + "; not followed");
        return;
      }
      if (!explicit && inHiddenDirectory(root.relativize(target))) {
        // the walk skips hidden directories; a link must not lead it into one
        skipped.accept(display(file) + ": a symlink into a hidden directory; not followed");
        return;
      }
    }
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(target)) {
        // a FIFO or a device: reading it could block the run, and it holds no manifest
        skipped.accept(display(file) + ": not a regular file; skipped");
      }
      return;
    }
    if (!explicit && !selected(target)) {
      return;
    }
    out.putIfAbsent(target, new ManifestFile(target, display(target)));
  }

  /**
   * Whether a path of a Git tree (relative, {@code /}-separated) is a manifest a walk of the
   * directory {@code walked} ({@code ""} for the top) takes: the same name, hidden-directory and
   * glob rules as for a directory on disk. Hidden directories are skipped below {@code walked}
   * only, as a walk started in a hidden directory goes on in it; globs match the whole path.
   */
  public boolean selects(String relativePath, String walked) {
    String[] parts = relativePath.split("/");
    int first = walked.isEmpty() ? 0 : walked.split("/").length;
    for (int i = first; i < parts.length - 1; i++) {
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
    String text = PathText.of(file);
    if (text.startsWith(rootPrefix)) {
      // cheaper than Path.relativize, which dominated a walk of 20,000 files
      String relative = text.substring(rootPrefix.length());
      return relative.replace(file.getFileSystem().getSeparator(), "/");
    }
    String relative = PathText.of(root.relativize(file));
    return relative.replace(file.getFileSystem().getSeparator(), "/");
  }

  static boolean isManifestName(String name) {
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.equals("Kustomization");
  }
}
