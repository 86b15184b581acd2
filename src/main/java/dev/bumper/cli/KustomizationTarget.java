package dev.bumper.cli;

import dev.bumper.edit.KustomizationEdit;
import dev.bumper.failure.UsageException;
import dev.bumper.io.OutsideRootException;
import dev.bumper.io.PathArguments;
import dev.bumper.io.WriteRoot;
import dev.bumper.pipeline.DirectoryWorkspace;
import dev.bumper.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code kustomize-set-image} finds the kustomization: {@code -f FILE}, or the one
 * kustomization file in {@code -C DIR} (default: the current directory); each a usage error when it
 * names nothing, too much, or a place bumper may not write.
 */
final class KustomizationTarget {
  Path directory;
  Path file;

  /** The workspace of the kustomization's directory, and the edit of the file found there. */
  Pipeline.Opened open(Console console, Path clone, boolean readOnly, List<String> specs,
      boolean force) throws IOException {
    Path given;
    Path rootDir;
    if (clone != null) {
      if (file != null && file.isAbsolute()) {
        throw new UsageException("-f " + file + ": give the kustomization's path in the clone " + clone);
      }
      given = file != null ? requireFile(clone.resolve(file).normalize(), "-f " + file)
          : kustomizationFile();
      rootDir = clone;
    } else {
      if (directory != null && file != null) {
        throw new UsageException("--directory (-C) and --file (-f) name the same thing; give one (with --repo, -f is a path in the clone -C makes)");
      }
      given = kustomizationFile();
      rootDir = writeRootOf(given);
    }
    WriteRoot writeRoot = WriteRoot.of(rootDir);
    // What the command line names may not lead out of the root or into .git (exit 2); a
    // kustomization found in -C's directory that does is a refused write (exit 1).
    if (directory != null) {
      named(writeRoot, directory, "-C " + directory);
    }
    if (file != null) {
      named(writeRoot, given, "-f " + file);
    }
    DirectoryWorkspace workspace =
        new DirectoryWorkspace(console, writeRoot, given.toAbsolutePath().getParent(), readOnly);
    return new Pipeline.Opened(workspace,
        new KustomizationEdit("", given.getFileName().toString(), specs, force));
  }

  /**
   * Where a kustomization named outside clone mode may be written: the work tree that holds it
   * (an overlay's kustomization may be a link to a base's), else its own directory. A link out of
   * there is not followed.
   */
  private static Path writeRootOf(Path given) {
    Path parent = given.toAbsolutePath().normalize().getParent();
    for (Path dir = parent; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
        return dir;
      }
    }
    return parent;
  }

  /** Refuses, as a usage error, a path the user named that bumper may not write. */
  private static void named(WriteRoot writeRoot, Path path, String shown) throws IOException {
    try {
      writeRoot.resolve(path);
    } catch (OutsideRootException e) {
      throw new UsageException(e.message(shown));
    }
  }

  private Path kustomizationFile() throws IOException {
    if (file != null) {
      requireFile(file, "-f " + file);
      return file;
    }
    Path dir = directory == null ? Path.of(".") : directory;
    BasicFileAttributes attributes = attributes(dir);
    if (attributes == null) {
      throw new UsageException("-C " + dir + ": no such directory" + PathArguments.hint(dir.toString()));
    }
    if (!attributes.isDirectory()) {
      throw new UsageException("-C " + dir + ": not a directory");
    }
    List<Path> found = new ArrayList<>();
    for (String name : KustomizationEdit.FILE_NAMES) {
      Path candidate = dir.resolve(name);
      BasicFileAttributes candidateAttributes = attributes(candidate);
      if (candidateAttributes == null && Files.isSymbolicLink(candidate)) {
        throw new UsageException(candidate + ": a symlink to a missing file");
      }
      if (candidateAttributes != null && candidateAttributes.isRegularFile()) {
        found.add(candidate);
      }
    }
    if (found.size() > 1) {
      // kustomize refuses too: which one it would build is not obvious
      throw new UsageException(
          "found multiple kustomization files in " + dir + ": "
              + String.join(", ", found.stream().map(p -> p.getFileName().toString()).toList()));
    }
    if (found.isEmpty()) {
      throw new UsageException(
          "no kustomization in " + dir + ": expected one of " + String.join(", ", KustomizationEdit.FILE_NAMES));
    }
    return found.get(0);
  }

  /** A file the user named must be one: else a usage error saying what it is instead. */
  private static Path requireFile(Path file, String shown) throws IOException {
    BasicFileAttributes attributes = attributes(file);
    if (attributes == null) {
      throw new UsageException(shown + (Files.isSymbolicLink(file) ? ": a symlink to a missing file" : ": no such file")
          + PathArguments.hint(file.toString()));
    }
    if (!attributes.isRegularFile()) {
      throw new UsageException(shown + ": not a regular file");
    }
    return file;
  }

  /**
   * A path's attributes through links, or null when there is nothing there. Any other failure
   * (permission denied) is the run's, exit 1, naming the path.
   */
  private static BasicFileAttributes attributes(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
