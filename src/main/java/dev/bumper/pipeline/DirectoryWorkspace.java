package dev.bumper.pipeline;

import dev.bumper.edit.Edit;
import dev.bumper.edit.EditResult;
import dev.bumper.edit.FileTree;
import dev.bumper.edit.KustomizationEdit;
import dev.bumper.edit.ManifestEdit;
import dev.bumper.edit.PromoteEdit;
import dev.bumper.edit.PromoteEditResult;
import dev.bumper.failure.UsageException;
import dev.bumper.io.AtomicFiles;
import dev.bumper.io.ManifestFile;
import dev.bumper.io.ManifestFiles;
import dev.bumper.io.ManifestSource;
import dev.bumper.io.OutsideRootException;
import dev.bumper.io.PathArguments;
import dev.bumper.io.PathText;
import dev.bumper.io.WriteRoot;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A directory on disk, a checkout or a clone: the edit reads the files under {@code dir}, and a
 * change is written there, each file atomically and all or none, never outside the write root.
 * While it is open, other runs in the same checkout wait (unless it only reads), so each reads the
 * files only after the last one wrote them. In a checkout, what was written is recorded as an
 * intent for {@code commit-push}; in a clone, a push delivery commits and pushes it at once.
 */
public final class DirectoryWorkspace implements Workspace {
  private final Reporter reporter;
  private final WriteRoot writeRoot;
  private final Path dir;
  private final boolean readOnly;
  private final Closeable lock;
  private CheckoutDelivery pushes;
  private CheckoutDelivery.Target pushTarget;

  /**
   * @param writeRoot where bumper may write: links out of it are refused
   * @param dir the directory paths are relative to, inside the write root
   * @param readOnly whether only a diff will be made: no lock, no stale temp file removed
   */
  public DirectoryWorkspace(Reporter reporter, WriteRoot writeRoot, Path dir, boolean readOnly) {
    this.reporter = reporter;
    this.writeRoot = writeRoot;
    this.dir = dir;
    this.readOnly = readOnly;
    this.lock = readOnly ? CheckoutLocking.NONE : CheckoutLocking.hold(reporter, dir);
  }

  /**
   * The workspace of {@code -C DIR}: the directory is the write root too. It must be a directory,
   * and not inside .git.
   */
  public static DirectoryWorkspace of(Reporter reporter, Path dir, boolean readOnly) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(dir, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new UsageException("-C " + dir + ": no such directory" + PathArguments.hint(dir.toString()));
    }
    if (!attributes.isDirectory()) {
      throw new UsageException("-C " + dir + ": not a directory");
    }
    WriteRoot root;
    try {
      root = WriteRoot.of(dir);
    } catch (OutsideRootException e) {
      throw new UsageException("-C " + dir + ": inside .git; bumper edits a repository's files, not git's own");
    }
    return new DirectoryWorkspace(reporter, root, root.dir(), readOnly);
  }

  /** Where a {@link Delivery#PUSH} commits and pushes to. */
  public DirectoryWorkspace setPush(CheckoutDelivery pushes, CheckoutDelivery.Target target) {
    this.pushes = pushes;
    this.pushTarget = target;
    return this;
  }

  @Override
  public Delivered deliver(Edit edit, Delivery delivery) throws IOException {
    Tree tree = new Tree();
    EditResult result = edit.apply(tree);
    if (delivery == Delivery.DIFF) {
      return new Delivered(result, null);
    }
    if (result.changed()) {
      write(result, tree.singleFiles);
      record(edit, result, tree.resolvedPaths);
    }
    if (delivery == Delivery.PUSH) {
      if (pushes == null) {
        throw new UsageException("--push needs --repo URL");
      }
      return new Delivered(result, pushes.push(pushTarget));
    }
    return new Delivered(result, null);
  }

  private void write(EditResult result, List<Path> singleFiles) throws IOException {
    for (Path file : singleFiles) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null && Files.isDirectory(parent)) {
        AtomicFiles.removeStaleTempFiles(parent); // left by a run killed while writing here
      }
    }
    Map<Path, byte[]> contents = new LinkedHashMap<>();
    for (EditResult.FileEdit file : result.edits()) {
      Path path = ((ManifestFile) file.source()).path();
      createParents(path);
      contents.put(path, file.content());
    }
    AtomicFiles.writeAll(writeRoot, contents);
  }

  /**
   * Makes the directories a new file goes in ({@code .bumper/} for the first hold), each inside
   * the write root: the deepest one there is must be, so none is made through a link out of it.
   */
  private void createParents(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Path existing = parent;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || existing.equals(parent)) {
      return;
    }
    Path real = writeRoot.resolve(existing);
    Files.createDirectories(real.resolve(existing.relativize(parent)));
  }

  /** Records the edit for commit-push, relative to where it was applied in the checkout. */
  private void record(Edit edit, EditResult result, List<Path> resolvedPaths) {
    Path real = dir;
    Edit recorded = edit;
    List<String> files = result.edits().stream().map(EditResult.FileEdit::path).toList();
    try {
      if (edit instanceof KustomizationEdit set) {
        // at the kustomization's real place: a link to a base's is the base's
        Path file = ((ManifestFile) result.edits().get(0).source()).path().toRealPath();
        real = file.getParent();
        files = List.of(file.getFileName().toString());
        recorded = new KustomizationEdit("", file.getFileName().toString(), set.specs());
      } else if (edit instanceof ManifestEdit bump && !bump.paths().isEmpty()) {
        List<String> relative = new ArrayList<>();
        for (Path path : resolvedPaths) {
          String text = dir.relativize(path).toString().replace('\\', '/');
          relative.add(text.isEmpty() ? "." : text);
        }
        recorded = bump.withPaths(relative);
      } else if (edit instanceof PromoteEdit promote
          && result instanceof PromoteEditResult promoted) {
        // a replay pins the tags the registry was asked about to the same digests
        recorded = promote.withPinned(promoted.looked());
      }
    } catch (IOException e) {
      return;
    }
    IntentRecorder.record(reporter, real, recorded, result.summaries(), files);
  }

  @Override
  public void close() throws IOException {
    lock.close();
  }

  /** The files under the directory, as an edit reads them. */
  private final class Tree implements FileTree {
    final List<Path> resolvedPaths = new ArrayList<>();
    final List<Path> singleFiles = new ArrayList<>();
    private Path top;

    /** The top of the checkout the directory is in; the directory itself outside one. */
    private Path top() throws IOException {
      if (top == null) {
        Path real = dir.toRealPath();
        top = real;
        for (Path d = real; d != null; d = d.getParent()) {
          if (Files.exists(d.resolve(".git"))) {
            top = d;
            break;
          }
        }
      }
      return top;
    }

    @Override
    public String repositoryPrefix() {
      try {
        return top().relativize(dir.toRealPath()).toString().replace('\\', '/');
      } catch (IOException e) {
        return "";
      }
    }

    @Override
    public ManifestSource repositoryFile(String path) throws IOException {
      Path real = dir.toRealPath();
      if (top().equals(real)) {
        return file(path);
      }
      // above the write root: read, never written from here
      Path file = top().resolve(path);
      return Files.isRegularFile(file) ? new ManifestFile(file, path) : null;
    }

    @Override
    public void manifests(String root, List<String> paths, List<String> includes, List<String> excludes,
        Consumer<ManifestSource> sink) throws IOException {
      ManifestFiles files = new ManifestFiles(writeRoot, includes, excludes, reporter::verbose);
      if (!readOnly) {
        files.onTempFile(DirectoryWorkspace.this::removeStaleTempFile);
      }
      // an edit may list several paths in turn (promote reads one and edits another)
      List<Path> resolved = resolve(paths);
      resolvedPaths.addAll(resolved);
      files.list(paths.isEmpty() ? List.of(dir) : resolved, sink);
    }

    @Override
    public ManifestSource file(String path) throws IOException {
      Path named = dir.resolve(path);
      if (!Files.isRegularFile(named)) {
        return null;
      }
      return target(path);
    }

    @Override
    public ManifestSource target(String path) throws IOException {
      // A link is written through, so it stays a link, while it leads to a file inside the root;
      // AtomicFiles asks the root again right before it writes. A file in a directory not yet
      // made is resolved when the directory is.
      Path named = dir.resolve(path).normalize();
      Path file = named.getParent() != null && !Files.isDirectory(named.getParent())
          ? named : writeRoot.resolve(named);
      singleFiles.add(file);
      return new ManifestFile(file, path);
    }
  }

  /** Removes a temp file that a killed run left; a run still writing keeps its own. */
  private void removeStaleTempFile(Path temp) {
    try {
      if (AtomicFiles.removeIfStale(temp)) {
        reporter.verbose("bumper: removed " + dir.relativize(temp) + ", left by a run that did not finish");
      }
    } catch (IOException e) {
      reporter.verbose("bumper: cannot remove " + dir.relativize(temp) + ": " + e.getMessage());
    }
  }

  /**
   * PATHs under the directory. One that leads outside the write root or into .git, by name or by
   * symlink, is a usage error, as is one that names nothing; the walk then needs no check of its
   * own for them.
   */
  private List<Path> resolve(List<String> paths) throws IOException {
    List<Path> resolved = new ArrayList<>();
    for (String given : paths) {
      Path path = PathArguments.resolve(dir, given).normalize();
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(writeRoot.resolve(path), BasicFileAttributes.class);
      } catch (OutsideRootException e) {
        throw new UsageException(e.message(given));
      } catch (NoSuchFileException e) {
        throw new UsageException(given + (Files.isSymbolicLink(path) ? ": a symlink to a missing file"
            : ": no such file or directory under " + PathText.of(dir)) + PathArguments.hint(given));
      }
      if (!attributes.isRegularFile() && !attributes.isDirectory()) {
        // a FIFO would block the read, and a device is no manifest
        throw new UsageException(given + ": not a regular file or a directory");
      }
      if (attributes.isDirectory() && Files.isSymbolicLink(path)) {
        // the walk enters no linked directory; taking none of its files would say nothing
        throw new UsageException(given + ": a link to a directory (" + PathText.of(Files.readSymbolicLink(path))
            + "), which bumper does not follow; name the directory itself");
      }
      resolved.add(path);
    }
    return resolved;
  }
}
