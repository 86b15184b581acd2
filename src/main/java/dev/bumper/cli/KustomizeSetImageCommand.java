package dev.bumper.cli;

import dev.bumper.edit.KustomizationEdit;
import dev.bumper.edit.KustomizationEditResult;
import dev.bumper.failure.ExitCode;
import dev.bumper.failure.UsageException;
import dev.bumper.io.OutsideRootException;
import dev.bumper.io.PathArguments;
import dev.bumper.io.WriteRoot;
import dev.bumper.pipeline.Delivered;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bumper kustomize-set-image}: kustomize's {@code edit set image}, without the rewrite. */
@Command(
    name = "kustomize-set-image",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Set images in a kustomization as 'kustomize edit set image' does, without its rewrite.",
      "",
      "The same SPEC forms, the same resulting images: list and the same error texts as "
          + "kustomize v5.8.1. Unlike kustomize, every byte outside images: stays, and entries "
          + "that do not change keep their bytes and comments.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # Set the tag of the entry named ghcr.io/acme/web (added if missing)",
      "  bumper kustomize-set-image -C overlays/production ghcr.io/acme/web:1.4.2",
      "",
      "  # Rename and pin by digest; * keeps a part from the kustomization",
      "  bumper kustomize-set-image web=ghcr.io/acme/web:*@sha256:<64 hex>",
      "",
      "  # Preview as a unified diff",
      "  bumper kustomize-set-image -f base/kustomization.yaml app:v2 --dry-run",
      "",
      "SPEC: NAME=NEWNAME:TAG, NAME=NEWNAME@DIGEST, NAME=NEWNAME:TAG@DIGEST, NAME=NEWNAME,",
      "NAME:TAG, NAME:TAG@DIGEST, NAME@DIGEST; * keeps the kustomization's part.",
    })
final class KustomizeSetImageCommand implements Callable<Integer> {
  @ParentCommand private Bumper root;

  /** Where the kustomization is: a directory to look in, or the file itself. */
  private final Target target = new Target();

  static final class Target {
    Path directory;
    Path file;
  }

  @Option(
      names = {"-C", "--directory"},
      paramLabel = "DIR",
      description = "The directory holding kustomization.yaml, kustomization.yml or Kustomization (default: .). With --repo: the clone to make or reuse.")
  private void directory(Path directory) {
    target.directory = directory;
  }

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "The kustomization file itself; with --repo, its path in the repository.")
  private void file(Path file) {
    target.file = file;
  }

  @Option(names = "--dry-run", description = "Write nothing; print a unified diff of what would change.")
  private boolean dryRun;

  @Parameters(paramLabel = "SPEC", arity = "0..*", description = "Images to set, as kustomize edit set image takes them.")
  private List<String> specs = new ArrayList<>();

  @Option(
      names = "--repo",
      paramLabel = "URL",
      description = "Set the images in the config repo at URL: with -C DIR, in a shallow clone made (or reused) there; with --push and no -C, read, edit, commit and push without a working tree. -f names the kustomization's path in the repository (default: the one at its root).")
  private String repo;

  @Option(names = "--branch", paramLabel = "BRANCH", description = "With --repo: the branch (default: the remote's default branch).")
  private String branch;

  @Option(names = "--push", description = "With --repo: commit and push, as commit-push does; a lost race sets the images again on the new tip.")
  private boolean push;

  @Mixin private CommitOptions commit = new CommitOptions();

  @Override
  public Integer call() throws IOException {
    Console console = root.console();
    KustomizationEdit edit = new KustomizationEdit("", target.file == null ? null : target.file.toString(), specs);
    Delivered delivered =
        new Pipeline(() -> commit.pushing(root), console)
            .setDirectory(target.directory)
            .setRepo(repo)
            .setBranch(branch)
            .setPush(push)
            .setDryRun(dryRun)
            .run(edit, (clone, readOnly) -> open(console, clone, readOnly));
    new SetImageOutput(console, dryRun).print((KustomizationEditResult) delivered.result(), delivered.push());
    return ExitCode.OK;
  }

  /** The workspace of the kustomization's directory, and the edit of the file found there. */
  private Pipeline.Opened open(Console console, Path clone, boolean readOnly) throws IOException {
    Path given;
    Path rootDir;
    if (clone != null) {
      if (target.file != null && target.file.isAbsolute()) {
        throw new UsageException("-f " + target.file + ": give the kustomization's path in the clone " + clone);
      }
      given = target.file != null ? requireFile(clone.resolve(target.file).normalize(), "-f " + target.file)
          : kustomizationFile();
      rootDir = clone;
    } else {
      if (target.directory != null && target.file != null) {
        throw new UsageException("--directory (-C) and --file (-f) name the same thing; give one (with --repo, -f is a path in the clone -C makes)");
      }
      given = kustomizationFile();
      rootDir = writeRootOf(given);
    }
    WriteRoot writeRoot = WriteRoot.of(rootDir);
    // What the command line names may not lead out of the root or into .git (exit 2); a
    // kustomization found in -C's directory that does is a refused write (exit 1).
    if (target.directory != null) {
      named(writeRoot, target.directory, "-C " + target.directory);
    }
    if (target.file != null) {
      named(writeRoot, given, "-f " + target.file);
    }
    DirectoryWorkspace workspace =
        new DirectoryWorkspace(console, writeRoot, given.toAbsolutePath().getParent(), readOnly);
    return new Pipeline.Opened(workspace, new KustomizationEdit("", given.getFileName().toString(), specs));
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
    if (target.file != null) {
      requireFile(target.file, "-f " + target.file);
      return target.file;
    }
    Path dir = target.directory == null ? Path.of(".") : target.directory;
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
