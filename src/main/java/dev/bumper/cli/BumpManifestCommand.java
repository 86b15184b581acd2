package dev.bumper.cli;

import dev.bumper.container.BumpImageSources;
import dev.bumper.git.ChangeFailedException;
import dev.bumper.git.RemoteUrl;
import dev.bumper.git.Snapshot;
import dev.bumper.git.TreeChange;
import dev.bumper.image.ImageUpdate;
import dev.bumper.io.AtomicFiles;
import dev.bumper.io.FileFailure;
import dev.bumper.io.JsonWriter;
import dev.bumper.io.ManifestFiles;
import dev.bumper.io.ManifestSource;
import dev.bumper.io.OutsideRootException;
import dev.bumper.io.PathText;
import dev.bumper.io.TreeBump;
import dev.bumper.io.TreeBumper;
import dev.bumper.io.WriteRoot;
import dev.bumper.manifest.BumpRequest;
import dev.bumper.manifest.Change;
import dev.bumper.manifest.PathAssignment;
import dev.bumper.manifest.PolicyAssignment;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code bumper bump-manifest}: sets an image wherever it is used, changing nothing else. */
@Command(
    name = "bump-manifest",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Set an image's tag and digest wherever it is used, changing nothing else.",
      "",
      "Looks in the YAML files under PATH for container, initContainer and ephemeralContainer "
          + "images at any depth, image volumes, Helm values (registry/repository/tag/digest), "
          + "kustomize and Flux images: lists, Argo CD .argocd-source*.yaml files, and values "
          + "marked for Flux image automation. Only the bytes of the changed values change; if "
          + "any file fails, none is written.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # Preview: print a unified diff, write nothing",
      "  bumper bump-manifest -C config -i ghcr.io/acme/web:1.4.2 --dry-run",
      "",
      "  # Pin by digest, keeping the tag (* keeps a part)",
      "  bumper bump-manifest -i 'ghcr.io/acme/web:*@sha256:<64 hex>'",
      "",
      "  # Rename: uses of 'web' become ghcr.io/acme/web:1.4.2",
      "  bumper bump-manifest -i web=ghcr.io/acme/web:1.4.2 apps/",
      "",
      "  # A value at a path, in every file that has it",
      "  bumper bump-manifest --set 'spec.template.spec.containers[name=web].image=web:1.5'",
      "",
      "  # Fields marked # {\"$imagepolicy\": \"flux-system:web\"} (and :tag, :name, :digest)",
      "  bumper bump-manifest --policy flux-system:web=ghcr.io/acme/web:1.4.2",
      "",
      "Exit codes: 0 done or already up to date, 2 usage, 3 nothing matched, 4 invalid file.",
    })
final class BumpManifestCommand implements Callable<Integer> {
  static final String NAME = "bump-manifest";

  /** The options an intent records as given: with the images, they say what to set, and where. */
  private static final List<String> INTENT_OPTIONS = List.of("--set", "--policy", "--include", "--exclude");

  @ParentCommand private Bumper root;

  @Spec private CommandSpec spec;

  @Option(
      names = {"-C", "--directory"},
      paramLabel = "DIR",
      description = "The root: PATHs are relative to it and nothing outside it is read or written (default: .). With --repo: the clone to make or reuse.")
  private Path directory;

  @Option(
      names = {"-i", "--image"},
      paramLabel = "SPEC",
      converter = Converters.Image.class,
      description = {
        "REF: every use of REF's repository gets REF's tag and digest, keeping its spelling;",
        "NAME=REF: uses of NAME become REF. A part REF lacks is removed unless written *."
      })
  private List<ImageUpdate> images = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      converter = Converters.Set.class,
      description = "Set the scalar at a path (a.b, [N], [name=web], \"a.b\" for a dotted key) in every file that has it.")
  private List<PathAssignment> sets = new ArrayList<>();

  @Option(
      names = "--policy",
      paramLabel = "NS:NAME=REF",
      converter = Converters.Policy.class,
      description = "Set the fields marked with the Flux setter comment {\"$imagepolicy\": \"NS:NAME\"} (or :tag, :name, :digest).")
  private List<PolicyAssignment> policies = new ArrayList<>();

  @Option(
      names = "--include",
      paramLabel = "GLOB",
      description = "Only files matching a GLOB (repeatable). A GLOB without / matches the file name, one with / the path under the root.")
  private List<String> includes = new ArrayList<>();

  @Option(
      names = "--exclude",
      paramLabel = "GLOB",
      description = "Skip files matching a GLOB (repeatable), matched like --include.")
  private List<String> excludes = new ArrayList<>();

  @Option(names = "--dry-run", description = "Write nothing; print a unified diff of what would change.")
  private boolean dryRun;

  @Option(
      names = "--repo",
      paramLabel = "URL",
      description = "Bump the config repo at URL: with -C DIR, in a shallow clone made (or reused) there; with --push and no -C, read, edit, commit and push without a working tree (file://, git://, http(s)://, ssh://, git@host:org/repo.git).")
  private String repo;

  @Option(names = "--branch", paramLabel = "BRANCH", description = "With --repo: the branch to bump (default: the remote's default branch).")
  private String branch;

  @Option(names = "--push", description = "With --repo: commit the bump and push it, as commit-push does; a lost race applies the bump again on the new tip.")
  private boolean push;

  @Mixin private CommitOptions commit = new CommitOptions();

  @Option(names = "--allow-no-match", description = "Exit 0 even when a spec matched nothing.")
  private boolean allowNoMatch;

  @Option(
      names = "--from-metadata",
      paramLabel = "FILE",
      description = "Also set the image build-image or push recorded in FILE (its --metadata-file): repository:tag@digest.")
  private Path fromMetadata;

  @Option(
      names = "--pin-digest",
      description = "Ask the registry for the digest of each --image tag and write repository:tag@digest.")
  private boolean pinDigest;

  @Mixin private RegistryOptions registries = new RegistryOptions();

  @Parameters(
      paramLabel = "PATH",
      arity = "0..*",
      description = "Files or directories under the root (default: the whole root). Directories are searched for *.yaml, *.yml and Kustomization files; hidden directories are skipped.")
  private List<String> paths = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    Console console = root.console();
    images = BumpImageSources.resolve(images, fromMetadata,
        pinDigest ? () -> new ContainerRun(console, root.env(), root.secrets()).lookupAccess(registries) : null,
        console::verbose);
    BumpRequest request = new BumpRequest(images, sets, policies);
    if (request.isEmpty()) {
      throw new UsageException("nothing to set: give --image, --set or --policy");
    }
    try {
      if (repo != null && directory != null) {
        return callClone(console, request);
      }
      if (push && repo == null) {
        throw new UsageException("--push needs --repo URL");
      }
      return repo != null ? callRepo(console, request) : callDirectory(console, request, null);
    } catch (ChangeFailedException e) {
      return e.exitCode();
    }
  }

  /** {@code --repo URL -C DIR}: bump a shallow clone in DIR, then commit and push with --push. */
  private int callClone(Console console, BumpRequest request) throws IOException {
    RemoteUrl url = RepoPush.url(repo);
    if (CloneMode.prepare(root, console, url, directory, branch, commit) == null) {
      return ExitCode.FAILURE;
    }
    if (!push || dryRun) {
      return callDirectory(console, request, null);
    }
    return callDirectory(console, request, url);
  }

  /** Bumps the directory; with {@code pushTo}, commits and pushes the checkout after. */
  private int callDirectory(Console console, BumpRequest request, RemoteUrl pushTo) throws IOException {
    WriteRoot writeRoot = writeRoot(directory == null ? Path.of(".") : directory);
    Path rootDir = writeRoot.dir();
    // Runs in one checkout take turns: each reads the files only after the last one wrote them.
    Closeable lock = dryRun ? CheckoutLocking.NONE : CheckoutLocking.hold(console, rootDir);
    try {
      ManifestFiles files = new ManifestFiles(writeRoot, includes, excludes, console::verbose);
      if (!dryRun) {
        files.onTempFile(temp -> removeStaleTempFile(console, rootDir, temp));
      }
      List<Path> paths = resolvePaths(writeRoot);
      TreeBump bump = evaluate(console, request, sink -> files.list(paths, sink::accept));
      if (!dryRun) {
        TreeBumper.write(writeRoot, bump);
        if (!bump.changedFiles().isEmpty()) {
          IntentRecorder.record(
              console, rootDir, NAME, intentArgs(rootDir, paths), CommitSummaries.of(bump.changes()),
              bump.changedFiles().stream().map(ManifestSource::display).toList());
        }
      }
      RepoPush.Report report = null;
      if (pushTo != null) {
        RepoPush.Result pushed =
            CheckoutCommit.run(
                root, console, CheckoutCommit.Target.edits(rootDir, pushTo, branch), commit);
        if (pushed.report() == null) {
          return pushed.exitCode();
        }
        report = pushed.report();
      }
      print(console, bump, report);
      return ExitCode.OK;
    } finally {
      lock.close();
    }
  }

  /** Removes a temp file that a killed run left; a run still writing keeps its own. */
  private static void removeStaleTempFile(Console console, Path rootDir, Path temp) {
    try {
      if (AtomicFiles.removeIfStale(temp)) {
        console.verbose("bumper: removed " + rootDir.relativize(temp) + ", left by a run that did not finish");
      }
    } catch (IOException e) {
      console.verbose("bumper: cannot remove " + rootDir.relativize(temp) + ": " + e.getMessage());
    }
  }

  /**
   * The arguments that say what this run set, as given, with PATHs relative to the root: what
   * commit-push needs to make the same change again on another commit.
   */
  private List<String> intentArgs(Path rootDir, List<Path> resolved) {
    List<String> args = new ArrayList<>();
    // the images as resolved: --from-metadata and --pin-digest are not asked again on a replay
    for (ImageUpdate image : images) {
      args.add("--image=" + image);
    }
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    for (String name : INTENT_OPTIONS) {
      CommandLine.Model.OptionSpec option = parsed.matchedOption(name);
      if (option != null) {
        for (String value : option.originalStringValues()) {
          args.add(name + "=" + value);
        }
      }
    }
    if (allowNoMatch) {
      args.add("--allow-no-match");
    }
    if (!paths.isEmpty()) {
      args.add("--");
      for (Path path : resolved) {
        String relative = rootDir.relativize(path).toString().replace('\\', '/');
        args.add(relative.isEmpty() ? "." : relative);
      }
    }
    return args;
  }

  /**
   * {@code --repo URL --push}: no working tree. The files are read from the branch tip's blobs,
   * bumped, committed and pushed; a lost race applies the same bump again on the new tip.
   */
  private int callRepo(Console console, BumpRequest request) throws IOException {
    if (!push && !dryRun) {
      throw new UsageException(
          "--repo needs -C DIR (a clone to edit and commit later), --push (commit and push at once, no working tree) or --dry-run (preview)");
    }
    RemoteUrl url = RepoPush.url(repo);
    TreeBump[] last = new TreeBump[1];
    TreeChange change = snapshotChange(console, "", last);
    RepoPush.Result result = RepoPush.run(root, console, url, branch, commit, change);
    if (result.report() == null) {
      return result.exitCode();
    }
    print(console, last[0], result.report());
    return ExitCode.OK;
  }

  /**
   * The bump as a change to a commit's tree, for files under {@code rootPrefix} (a directory of
   * the repository, {@code ""} for its top) as if it were -C's root; the last bump made is kept
   * in {@code last} when given.
   */
  TreeChange snapshotChange(Console console, String rootPrefix, TreeBump[] last) {
    BumpRequest request = new BumpRequest(images, sets, policies);
    ManifestFiles selection = ManifestFiles.selection(includes, excludes);
    List<String> prefixes = repoPaths();
    String under = rootPrefix.isEmpty() ? "" : rootPrefix + "/";
    return snapshot -> {
      List<ManifestSource> sources = new ArrayList<>();
      for (String path : snapshot.paths()) {
        if (!path.startsWith(under)) {
          continue;
        }
        String relative = path.substring(under.length());
        if (selection.selects(relative) && under(relative, prefixes)) {
          sources.add(new SnapshotFile(snapshot, path));
        }
      }
      TreeBump bump = evaluate(console, request, sink -> sources.forEach(sink));
      if (last != null) {
        last[0] = bump;
      }
      Map<String, byte[]> files = new LinkedHashMap<>();
      for (int i = 0; i < bump.changedFiles().size(); i++) {
        files.put(
            bump.changedFiles().get(i).display(),
            bump.changedBumps().get(i).edited().newText().getBytes(StandardCharsets.UTF_8));
      }
      return new TreeChange.Result(dryRun ? Map.of() : files, CommitSummaries.of(bump.changes()));
    };
  }

  /** A manifest read from a commit's tree. */
  private record SnapshotFile(Snapshot snapshot, String display) implements ManifestSource {
    @Override
    public byte[] read() throws IOException {
      return snapshot.read(display);
    }
  }

  /** PATHs as paths in the repository: relative, and not leading out of it. */
  private List<String> repoPaths() {
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

  /**
   * Bumps the sources without writing; prints the failures and ends the run (by throwing) when a
   * file failed or a spec matched nothing.
   */
  private TreeBump evaluate(Console console, BumpRequest request, TreeBumper.Sources sources)
      throws IOException {
    TreeBump bump = new TreeBumper(request, Runtime.getRuntime().availableProcessors()).bump(sources);
    if (bump.failed()) {
      for (FileFailure failure : bump.failures()) {
        console.error(failure.message());
      }
      console.error(
          "bumper: %d of %d files could not be bumped; nothing written"
              .formatted(bump.failures().size(), bump.filesScanned()));
      throw new ChangeFailedException(
          bump.failures().stream().mapToInt(FileFailure::exitCode).max().orElse(ExitCode.FAILURE), "failed");
    }
    List<String> unmatched = unmatched(request, bump);
    if (!unmatched.isEmpty() && !allowNoMatch) {
      for (String spec : unmatched) {
        console.error("bumper: %s matched nothing in %d files".formatted(spec, bump.filesScanned()));
      }
      console.error("bumper: nothing written (use --allow-no-match to accept)");
      throw new ChangeFailedException(ExitCode.NO_MATCH, "nothing matched");
    }
    for (String spec : unmatched) {
      console.verbose("bumper: " + spec + " matched nothing");
    }
    return bump;
  }

  private void print(Console console, TreeBump bump, RepoPush.Report pushed) {
    List<Change> changes = bump.changes();
    if (console.json()) {
      JsonWriter json = new JsonWriter(console.out());
      json.beginObject();
      json.name("changed").value(!changes.isEmpty());
      json.name("dryRun").value(dryRun);
      json.name("filesScanned").value(bump.filesScanned());
      json.name("filesChanged").value(bump.changedFiles().size());
      if (pushed != null) {
        pushed.json(json);
      }
      json.name("changes").beginArray();
      for (Change change : changes) {
        json.beginObject();
        json.name("file").value(change.file());
        json.name("line").value(change.line());
        json.name("column").value(change.column());
        json.name("kind").value(change.kind().label());
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
      for (int i = 0; i < bump.changedFiles().size(); i++) {
        console.diff(bump.changedBumps().get(i).edited().diff(bump.changedFiles().get(i).display()));
      }
    } else {
      for (Change change : changes) {
        console.result("%s:%d: %s -> %s".formatted(change.file(), change.line(), change.old(), change.now()));
      }
    }
    String summary =
        "%d %s %s in %d %s (%d %s scanned)%s"
            .formatted(
                changes.size(),
                changes.size() == 1 ? "image" : "images",
                dryRun ? "would be updated" : "updated",
                bump.changedFiles().size(),
                bump.changedFiles().size() == 1 ? "file" : "files",
                bump.filesScanned(),
                bump.filesScanned() == 1 ? "file" : "files",
                dryRun ? "; dry run, nothing written" : "");
    if (dryRun) {
      console.warn(summary); // stderr, so that stdout is a patch that git apply takes
    } else {
      console.result(summary);
    }
    if (pushed != null && !dryRun) {
      console.result(pushed.line());
    }
  }

  private static List<String> unmatched(BumpRequest request, TreeBump bump) {
    List<String> specs = request.specs();
    List<String> unmatched = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      if (!bump.matched().get(i)) {
        unmatched.add(specs.get(i));
      }
    }
    return unmatched;
  }

  /** The root -C names: a directory, and not inside .git. */
  private static WriteRoot writeRoot(Path dir) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(dir, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new UsageException("-C " + dir + ": no such directory" + PathArguments.hint(dir.toString()));
    }
    if (!attributes.isDirectory()) {
      throw new UsageException("-C " + dir + ": not a directory");
    }
    try {
      return WriteRoot.of(dir);
    } catch (OutsideRootException e) {
      throw new UsageException("-C " + dir + ": inside .git; bumper edits a repository's files, not git's own");
    }
  }

  /**
   * PATHs under the root. One that leads outside it or into .git, by name or by symlink, is a
   * usage error, as is one that names nothing; the walk then needs no check of its own for them.
   */
  private List<Path> resolvePaths(WriteRoot writeRoot) throws IOException {
    Path rootDir = writeRoot.dir();
    if (paths.isEmpty()) {
      return List.of(rootDir);
    }
    List<Path> resolved = new ArrayList<>();
    for (String given : paths) {
      Path path = PathArguments.resolve(rootDir, given).normalize();
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(writeRoot.resolve(path), BasicFileAttributes.class);
      } catch (OutsideRootException e) {
        throw new UsageException(e.message(given));
      } catch (NoSuchFileException e) {
        throw new UsageException(given + (Files.isSymbolicLink(path) ? ": a symlink to a missing file"
            : ": no such file or directory under " + PathText.of(rootDir)) + PathArguments.hint(given));
      }
      if (!attributes.isRegularFile() && !attributes.isDirectory()) {
        // a FIFO would block the read, and a device is no manifest
        throw new UsageException(given + ": not a regular file or a directory");
      }
      resolved.add(path);
    }
    return resolved;
  }
}
