package dev.bumper.cli;

import dev.bumper.container.BumpImageSources;
import dev.bumper.edit.ArgoCdSourceEdit;
import dev.bumper.edit.ArgoCdSourceEditResult;
import dev.bumper.edit.Edit;
import dev.bumper.edit.ManifestEdit;
import dev.bumper.edit.ManifestEditResult;
import dev.bumper.failure.ExitCode;
import dev.bumper.failure.UsageException;
import dev.bumper.image.ImageUpdate;
import dev.bumper.manifest.PathAssignment;
import dev.bumper.manifest.PolicyAssignment;
import dev.bumper.pipeline.Delivered;
import dev.bumper.pipeline.DirectoryWorkspace;
import dev.bumper.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

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
  @ParentCommand private Bumper root;

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

  @Option(
      names = "--force",
      description = "Bump even a path held after a rollback (bumper rollback --hold).")
  private boolean force;

  @Mixin private CommitOptions commit = new CommitOptions();

  @Mixin private PullRequestOptions pullRequest = new PullRequestOptions();

  @Option(names = "--allow-no-match", description = "Exit 0 even when a spec matched nothing.")
  private boolean allowNoMatch;

  @Option(
      names = "--create-keys",
      description = "With --set: add the path's last key where it is missing under a mapping that is there, in that mapping's layout (a string value).")
  private boolean createKeys;

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

  @Mixin private ArgoCdOptions argocd = new ArgoCdOptions();

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
    // the images as resolved: a replay does not ask --from-metadata and --pin-digest again
    Edit chosen = argocd.given()
        ? argocd.edit(images, !sets.isEmpty() || !policies.isEmpty(), paths)
        : new ManifestEdit("", images, sets, policies, includes, excludes, paths, allowNoMatch, createKeys);
    if (force) {
      chosen = chosen instanceof ManifestEdit bump ? bump.forced() : ((ArgoCdSourceEdit) chosen).forced();
    }
    Edit edit = chosen;
    if (edit instanceof ManifestEdit bump && bump.request().isEmpty()) {
      throw new UsageException("nothing to set: give --image, --set or --policy");
    }
    Pipeline pipeline = pullRequest.pipeline(root, commit, repo);
    Delivered delivered =
        pipeline
            .setDirectory(directory)
            .setRepo(repo)
            .setBranch(branch)
            .setPush(push)
            .setDryRun(dryRun)
            .run(edit, (clone, readOnly) -> new Pipeline.Opened(
                DirectoryWorkspace.of(console, clone != null ? clone : directory == null ? Path.of(".") : directory, readOnly),
                edit));
    BumpManifestOutput output = new BumpManifestOutput(console, dryRun, images.isEmpty() && policies.isEmpty());
    if (delivered.result() instanceof ManifestEditResult result) {
      result.notes().forEach(console::verbose);
      output.print(result, delivered.report());
    } else {
      output.print((ArgoCdSourceEditResult) delivered.result(), delivered.report());
    }
    return ExitCode.OK;
  }
}
