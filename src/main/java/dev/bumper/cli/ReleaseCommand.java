package dev.bumper.cli;

import dev.bumper.edit.EnvironmentEditResult;
import dev.bumper.edit.ReleaseEdit;
import dev.bumper.failure.ExitCode;
import dev.bumper.failure.UsageException;
import dev.bumper.pipeline.Delivered;
import dev.bumper.pipeline.DirectoryWorkspace;
import dev.bumper.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bumper release}: lifts the hold a rollback put on an environment. */
@Command(
    name = "release",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Lift the hold bumper rollback --hold put on PATH: its entry is removed from"
          + " .bumper/holds.yaml, as a commit, and bumps of PATH go through again.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # The fix is out: let the pipeline deploy production again",
      "  bumper release --repo https://github.com/acme/config.git --push overlays/production",
      "",
      "  # In a checkout, then commit",
      "  bumper release -C config overlays/production && bumper commit-push -C config",
      "",
      "Exit codes: 0 done or not held, 1 failure, 2 usage, 5 push lost.",
    })
final class ReleaseCommand implements Callable<Integer> {
  @ParentCommand private Bumper root;

  @Option(
      names = {"-C", "--directory"},
      paramLabel = "DIR",
      description = "A directory in a checkout of the config repo (default: .). With --repo: the"
          + " clone to make or reuse.")
  private Path directory;

  @Option(names = "--dry-run", description = "Write nothing; print a unified diff.")
  private boolean dryRun;

  @Option(
      names = "--repo",
      paramLabel = "URL",
      description = "Release in the config repo at URL: with --push and no -C, committed and"
          + " pushed without a working tree.")
  private String repo;

  @Option(
      names = "--branch",
      paramLabel = "BRANCH",
      description = "With --repo: the branch (default: the remote's default branch).")
  private String branch;

  @Option(
      names = "--push",
      description = "With --repo: commit and push; a lost race releases again on the new tip.")
  private boolean push;

  @Mixin private CommitOptions commit = new CommitOptions();

  @Mixin private PullRequestOptions pullRequest = new PullRequestOptions();

  @Parameters(paramLabel = "PATH", description = "The held environment, as rollback named it.")
  private String path;

  @Override
  public Integer call() throws IOException {
    Console console = root.console();
    Path top = null;
    String inRepo;
    if (repo == null) {
      Path dir = directory == null ? Path.of(".") : directory;
      FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toFile());
      // outside a checkout the directory is the repository's top, as every edit takes it
      top = builder.getGitDir() == null ? dir.toRealPath()
          : builder.getGitDir().toPath().toRealPath().getParent();
      inRepo = ConfigHistory.inRepository(top.relativize(
          dir.toRealPath().resolve(path).normalize()).toString());
      if (inRepo.startsWith("..")) {
        throw new UsageException(path + ": outside the repository " + top);
      }
    } else {
      inRepo = ConfigHistory.inRepository(path);
    }
    ReleaseEdit edit = new ReleaseEdit("", inRepo);
    Pipeline pipeline = pullRequest.pipeline(root, commit, repo);
    Path opened = top;
    Delivered delivered = pipeline
        .setDirectory(repo == null ? null : directory)
        .setRepo(repo)
        .setBranch(branch)
        .setPush(push)
        .setDryRun(dryRun)
        .run(edit, (clone, readOnly) -> new Pipeline.Opened(DirectoryWorkspace.of(console,
            clone != null ? clone : opened, readOnly), edit));
    new EnvironmentOutput(console, dryRun).print("release", inRepo, edit,
        (EnvironmentEditResult) delivered.result(), delivered.report());
    return ExitCode.OK;
  }
}
