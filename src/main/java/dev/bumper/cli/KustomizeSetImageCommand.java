package dev.bumper.cli;

import dev.bumper.edit.KustomizationEdit;
import dev.bumper.edit.KustomizationEditResult;
import dev.bumper.failure.ExitCode;
import dev.bumper.pipeline.Delivered;
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
  private final KustomizationTarget target = new KustomizationTarget();

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

  @Option(
      names = "--force",
      description = "Set the images even in a path held after a rollback (bumper rollback --hold).")
  private boolean force;

  @Mixin private CommitOptions commit = new CommitOptions();

  @Mixin private PullRequestOptions pullRequest = new PullRequestOptions();

  @Override
  public Integer call() throws IOException {
    Console console = root.console();
    KustomizationEdit edit = new KustomizationEdit(
        "", target.file == null ? null : target.file.toString(), specs, force);
    Pipeline pipeline = pullRequest.pipeline(root, commit, repo);
    Delivered delivered =
        pipeline
            .setDirectory(target.directory)
            .setRepo(repo)
            .setBranch(branch)
            .setPush(push)
            .setDryRun(dryRun)
            .run(edit, (clone, readOnly) -> target.open(console, clone, readOnly, specs, force));
    new SetImageOutput(console, dryRun).print((KustomizationEditResult) delivered.result(), delivered.report());
    return ExitCode.OK;
  }
}
