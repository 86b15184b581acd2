package dev.bumper.cli;

import dev.bumper.git.ChangeFailedException;
import dev.bumper.git.RemoteUrl;
import dev.bumper.git.TreeChange;
import dev.bumper.io.AtomicFiles;
import dev.bumper.io.JsonWriter;
import dev.bumper.io.OutsideRootException;
import dev.bumper.io.PathText;
import dev.bumper.io.WriteRoot;
import dev.bumper.kustomize.ImageArg;
import dev.bumper.kustomize.ImageChange;
import dev.bumper.kustomize.KustomizationImages;
import dev.bumper.kustomize.SetImageResult;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SelfCheckException;
import dev.bumper.yaml.SourceText;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  static final String NAME = "kustomize-set-image";

  private static final List<String> FILE_NAMES =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

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
    List<ImageArg> args = ImageArg.parseAll(specs);
    if (repo != null && target.directory != null) {
      return callClone(console, args);
    }
    if (repo != null) {
      return callRepo(console, args);
    }
    if (push) {
      throw new UsageException("--push needs --repo URL");
    }
    if (target.directory != null && target.file != null) {
      throw new UsageException("--directory (-C) and --file (-f) name the same thing; give one (with --repo, -f is a path in the clone -C makes)");
    }
    Path file = kustomizationFile();
    return callDirectory(console, args, file, writeRootOf(file), null);
  }

  /** {@code --repo URL -C DIR}: set the images in a shallow clone in DIR; with --push, push too. */
  private int callClone(Console console, List<ImageArg> args) throws IOException {
    RemoteUrl url = RepoPush.url(repo);
    Path clone = CloneMode.prepare(root, console, url, target.directory, branch, commit);
    if (clone == null) {
      return ExitCode.FAILURE;
    }
    Path file;
    if (target.file != null) {
      if (target.file.isAbsolute()) {
        throw new UsageException("-f " + target.file + ": give the kustomization's path in the clone " + clone);
      }
      file = clone.resolve(target.file).normalize();
      requireFile(file, "-f " + target.file);
    } else {
      file = kustomizationFile();
    }
    return callDirectory(console, args, file, clone, push && !dryRun ? url : null);
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

  private int callDirectory(Console console, List<ImageArg> args, Path given, Path rootDir, RemoteUrl pushTo)
      throws IOException {
    WriteRoot writeRoot = WriteRoot.of(rootDir);
    // What the command line names may not lead out of the root or into .git (exit 2); a
    // kustomization found in -C's directory that does is a refused write (exit 1).
    if (target.directory != null) {
      named(writeRoot, target.directory, "-C " + target.directory);
    }
    if (target.file != null) {
      named(writeRoot, given, "-f " + target.file);
    }
    Path parent = given.toAbsolutePath().getParent();
    // Runs in one checkout take turns: each reads the file only after the last one wrote it.
    Closeable lock = dryRun || parent == null ? CheckoutLocking.NONE : CheckoutLocking.hold(console, parent);
    try {
      return setImages(console, args, given, writeRoot, pushTo);
    } finally {
      lock.close();
    }
  }

  /** Refuses, as a usage error, a path the user named that bumper may not write. */
  private static void named(WriteRoot writeRoot, Path path, String shown) throws IOException {
    try {
      writeRoot.resolve(path);
    } catch (OutsideRootException e) {
      throw new UsageException(e.message(shown));
    }
  }

  private int setImages(Console console, List<ImageArg> args, Path given, WriteRoot writeRoot, RemoteUrl pushTo)
      throws IOException {
    String display = PathText.of(given.getFileName());
    // A link is written through, so it stays a link, while it leads to a file inside the root;
    // AtomicFiles asks the root again right before it writes.
    Path file = writeRoot.resolve(given);
    SetImageResult result;
    try {
      result = KustomizationImages.set(SourceText.decode(display, Files.readAllBytes(file)), args);
    } catch (InvalidYamlException e) {
      console.error(e.getMessage());
      return ExitCode.INVALID_INPUT;
    } catch (SelfCheckException e) {
      console.error("bumper: " + e.getMessage());
      return ExitCode.FAILURE;
    }
    boolean changed = result.edited().changed();
    if (changed && !dryRun) {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        AtomicFiles.removeStaleTempFiles(dir); // left by a run killed while writing here
      }
      AtomicFiles.write(writeRoot, file, result.edited().newText().getBytes(StandardCharsets.UTF_8));
      recordIntent(console, file, result);
    }
    RepoPush.Report report = null;
    if (pushTo != null) {
      RepoPush.Result pushed =
          CheckoutCommit.run(
              root, console, CheckoutCommit.Target.edits(target.directory, pushTo, branch), commit);
      if (pushed.report() == null) {
        return pushed.exitCode();
      }
      report = pushed.report();
    }
    print(console, PathText.of(file), display, result, report);
    return ExitCode.OK;
  }

  /** Records the change for commit-push: the same SPECs, on the kustomization's path in the repository. */
  private void recordIntent(Console console, Path file, SetImageResult result) {
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      return;
    }
    Path dir = real.getParent();
    List<String> args = new ArrayList<>();
    args.add("--file=" + real.getFileName());
    args.add("--");
    args.addAll(specs);
    IntentRecorder.record(console, dir, NAME, args, summaries(result, real.getFileName().toString()),
        List.of(real.getFileName().toString()));
  }

  private static List<String> summaries(SetImageResult result, String path) {
    List<String> summaries = new ArrayList<>();
    for (ImageChange c : result.changes()) {
      summaries.add(CommitSummaries.line(c.old(), c.now()));
    }
    if (summaries.isEmpty() && result.edited().changed()) {
      summaries.add("Sort images in " + path + " by name");
    }
    return summaries;
  }

  /**
   * {@code --repo URL --push}: the kustomization is read from the branch tip's blob, edited,
   * committed and pushed; a lost race sets the images again on the new tip.
   */
  private int callRepo(Console console, List<ImageArg> args) {
    if (!push && !dryRun) {
      throw new UsageException(
          "--repo needs -C DIR (a clone to edit and commit later), --push (commit and push at once, no working tree) or --dry-run (preview)");
    }
    RemoteUrl url = RepoPush.url(repo);
    SetImageResult[] last = new SetImageResult[1];
    String[] found = new String[1];
    TreeChange change = snapshotChange(console, (path, result) -> {
      found[0] = path;
      last[0] = result;
    });
    RepoPush.Result pushed;
    try {
      pushed = RepoPush.run(root, console, url, branch, commit, change);
    } catch (ChangeFailedException e) {
      return e.exitCode();
    }
    if (pushed.report() == null) {
      return pushed.exitCode();
    }
    print(console, found[0], found[0], last[0], pushed.report());
    return ExitCode.OK;
  }

  /**
   * The images set as a change to a commit's tree; {@code seen} is told the kustomization's path
   * and the result, when given.
   */
  TreeChange snapshotChange(Console console, java.util.function.BiConsumer<String, SetImageResult> seen) {
    List<ImageArg> args = ImageArg.parseAll(specs);
    return snapshot -> {
      String path = repoKustomization(snapshot.paths());
      SetImageResult result;
      try {
        result = KustomizationImages.set(SourceText.decode(path, snapshot.read(path)), args);
      } catch (InvalidYamlException e) {
        console.error(e.getMessage());
        throw new ChangeFailedException(ExitCode.INVALID_INPUT, e.getMessage());
      } catch (SelfCheckException e) {
        console.error("bumper: " + e.getMessage());
        throw new ChangeFailedException(ExitCode.FAILURE, e.getMessage());
      }
      if (seen != null) {
        seen.accept(path, result);
      }
      Map<String, byte[]> files =
          result.edited().changed() && !dryRun
              ? Map.of(path, result.edited().newText().getBytes(StandardCharsets.UTF_8))
              : Map.of();
      return new TreeChange.Result(files, summaries(result, path));
    };
  }

  /** Makes -f relative to a directory of the repository, as an intent recorded there says. */
  void underRoot(String rootPrefix) {
    if (!rootPrefix.isEmpty() && target.file != null) {
      target.file = Path.of(rootPrefix).resolve(target.file);
    }
  }

  /** The kustomization in a repository: -f's path, or the one at the root. */
  private String repoKustomization(List<String> paths) {
    if (target.file != null) {
      String path = target.file.normalize().toString().replace('\\', '/');
      if (target.file.isAbsolute() || path.startsWith("..")) {
        throw new UsageException("-f " + target.file + ": outside the repository");
      }
      if (!paths.contains(path)) {
        throw new UsageException("-f " + path + ": no such file in the repository");
      }
      return path;
    }
    List<String> found = FILE_NAMES.stream().filter(paths::contains).toList();
    if (found.size() != 1) {
      throw new UsageException(
          found.isEmpty()
              ? "no kustomization at the repository's root; give -f PATH"
              : "found multiple kustomization files at the repository's root: " + String.join(", ", found));
    }
    return found.get(0);
  }

  private void print(Console console, String file, String display, SetImageResult result, RepoPush.Report pushed) {
    if (console.json()) {
      JsonWriter json = new JsonWriter(console.out());
      json.beginObject();
      json.name("changed").value(result.edited().changed());
      json.name("dryRun").value(dryRun);
      json.name("file").value(file);
      if (pushed != null) {
        pushed.json(json);
      }
      json.name("changes").beginArray();
      for (ImageChange change : result.changes()) {
        json.beginObject();
        json.name("name").value(change.name());
        json.name("action").value(change.action());
        json.name("old").value(change.old());
        json.name("new").value(change.now());
        json.endObject();
      }
      json.endArray();
      json.endObject();
      console.out().println();
      return;
    }
    if (dryRun) {
      console.diff(result.edited().diff(display));
    } else {
      for (ImageChange change : result.changes()) {
        console.result(
            "%s: %s %s: %s -> %s"
                .formatted(file, change.action(), change.name(), dash(change.old()), dash(change.now())));
      }
    }
    String summary =
        result.edited().changed() && result.changes().isEmpty()
            ? "%s: images sorted by name, as kustomize orders them%s".formatted(file, dryRun ? "; dry run, nothing written" : "")
            : result.edited().changed()
            ? "%s: %d %s%s".formatted(file, result.changes().size(), result.changes().size() == 1 ? "image" : "images",
                dryRun ? " would be set; dry run, nothing written" : " set")
            : "%s: images already up to date".formatted(file);
    if (dryRun) {
      console.warn(summary);
    } else {
      console.result(summary);
    }
    if (pushed != null && !dryRun) {
      console.result(pushed.line());
    }
  }

  private static String dash(String value) {
    return value == null ? "(none)" : value;
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
    for (String name : FILE_NAMES) {
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
          "no kustomization in " + dir + ": expected one of " + String.join(", ", FILE_NAMES));
    }
    return found.get(0);
  }

  /** A file the user named must be one: else a usage error saying what it is instead. */
  private static void requireFile(Path file, String shown) throws IOException {
    BasicFileAttributes attributes = attributes(file);
    if (attributes == null) {
      throw new UsageException(shown + (Files.isSymbolicLink(file) ? ": a symlink to a missing file" : ": no such file")
          + PathArguments.hint(file.toString()));
    }
    if (!attributes.isRegularFile()) {
      throw new UsageException(shown + ": not a regular file");
    }
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
