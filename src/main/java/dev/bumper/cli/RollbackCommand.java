package dev.bumper.cli;

import dev.bumper.edit.DeployedImages;
import dev.bumper.edit.EnvironmentEditResult;
import dev.bumper.edit.Holds;
import dev.bumper.edit.RollbackEdit;
import dev.bumper.failure.ExitCode;
import dev.bumper.failure.UsageException;
import dev.bumper.git.DeployHistory;
import dev.bumper.image.ImageUpdate;
import dev.bumper.pipeline.Delivered;
import dev.bumper.pipeline.DirectoryWorkspace;
import dev.bumper.pipeline.Pipeline;
import dev.bumper.pipeline.Pushing;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bumper rollback}: an environment's images set back to what they were at an earlier
 * point of the config repo's history, as a new commit.
 */
@Command(
    name = "rollback",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Set PATH's images back to what they were at an earlier point, as a new commit with a"
          + " Rollback-Of trailer: only the image references change, never a revert of anything"
          + " else those commits did.",
      "",
      "The point is --to previous (the deploy before the newest, the default), N (the deploy N"
          + " back, as bumper history numbers them), or a commit or ref. The images are set as a"
          + " bump sets them, so a push that loses a race applies the rollback again on the new"
          + " tip. --hold records a hold in .bumper/holds.yaml in the same commit: bumps that"
          + " would change PATH then exit 6 until bumper release PATH, or --force.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # Undo production's last deploy, and keep the pipeline from deploying again",
      "  bumper rollback --repo https://github.com/acme/config.git --push --hold \\",
      "    overlays/production",
      "",
      "  # Back to what ran three deploys ago, in a checkout; preview first",
      "  bumper rollback -C config --to 3 --dry-run overlays/production",
      "  bumper rollback -C config --to 3 overlays/production && bumper commit-push -C config",
      "",
      "  # Back to what a commit or tag deployed",
      "  bumper rollback --repo https://github.com/acme/config.git --push --to v41 \\",
      "    overlays/production",
      "",
      "Exit codes: 0 done or nothing to roll back, 1 failure, 2 usage, 5 push lost.",
    })
final class RollbackCommand implements Callable<Integer> {
  @ParentCommand private Bumper root;

  @Option(
      names = {"-C", "--directory"},
      paramLabel = "DIR",
      description = "A directory in a checkout of the config repo (default: .): its history is"
          + " read from HEAD, and the files are written for commit-push. With --repo: the clone"
          + " to make or reuse.")
  private Path directory;

  @Option(
      names = "--to",
      paramLabel = "previous|N|COMMIT",
      description = "Where to: previous (default), N deploys back, or a commit or ref.")
  private String to = "previous";

  @Option(
      names = "--hold",
      description = "Hold PATH: later bumps that would change it exit 6 until bumper release.")
  private boolean hold;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "With --hold: why, recorded with the hold.")
  private String reason;

  @Option(names = "--dry-run", description = "Write nothing; print a unified diff.")
  private boolean dryRun;

  @Option(
      names = "--repo",
      paramLabel = "URL",
      description = "Roll back the config repo at URL: its history is fetched into a temporary"
          + " repository; with --push and no -C, committed and pushed without a working tree.")
  private String repo;

  @Option(
      names = "--branch",
      paramLabel = "BRANCH",
      description = "With --repo: the branch (default: the remote's default branch).")
  private String branch;

  @Option(
      names = "--push",
      description = "With --repo: commit and push; a lost race applies the rollback again.")
  private boolean push;

  @Mixin private CommitOptions commit = new CommitOptions();

  @Mixin private PullRequestOptions pullRequest = new PullRequestOptions();

  @Parameters(paramLabel = "PATH", description = "The environment: a directory or file.")
  private String path;

  /** The rollback, and the checkout's top when it was read from one. */
  private record Planned(RollbackEdit edit, Path top, List<String> notes) {}

  @Override
  public Integer call() throws IOException {
    Console console = root.console();
    Pushing base = commit.pushing(root, pullRequest.gitEnv(root, PullRequestOptions.url(repo)));
    Planned planned = ConfigHistory.read(console, base.remote(), directory, repo, branch, path,
        (history, repository, tip, inRepo, top) -> {
          DeployHistory.Result result = history.read(tip, inRepo);
          String rolledBackTo;
          DeployedImages target;
          Integer back = back(to);
          if (back != null) {
            DeployHistory.Deploy deploy = result.back(back);
            if (deploy == null) {
              throw new UsageException("--to " + to + ": " + shown(inRepo) + " has "
                  + result.deploys().size() + " deploys in its history"
                  + (result.shallow() ? " (a shallow clone)" : "") + "; nothing to go back to");
            }
            rolledBackTo = deploy.commit();
            target = deploy.images();
          } else {
            ObjectId id = commit(repository, to);
            if (id == null) {
              throw new UsageException("--to " + to + ": no such commit or ref");
            }
            rolledBackTo = id.name();
            target = history.imagesAt(id, inRepo);
          }
          DeployHistory.Deploy newest = result.back(0);
          String rollbackOf = newest == null ? "" : newest.commit();
          List<String> notes = new ArrayList<>();
          List<RollbackEdit.Restore> restores = restores(target, result.now(), notes);
          Holds.Hold held = null;
          if (hold) {
            held = new Holds.Hold(inRepo,
                reason != null ? reason : "rollback of " + HistoryCommand.abbreviate(rollbackOf)
                    + " to " + HistoryCommand.abbreviate(rolledBackTo),
                rolledBackTo, rollbackOf,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), commit.author);
          }
          return new Planned(new RollbackEdit("", inRepo, restores, held, rollbackOf,
              rolledBackTo), top, notes);
        });
    planned.notes().forEach(console::warn);
    RollbackEdit edit = planned.edit();
    // every delivery's commit says what it undoes, as a checkout's commit-push does from the intent
    Pushing pushing = edit.rollbackOf().isEmpty() ? base : new Pushing(base.remote(),
        (b, r) -> base.specs().apply(b, r).withTrailer(RollbackEdit.TRAILER, edit.rollbackOf()));
    Pipeline pipeline = new Pipeline(() -> pushing, console);
    pullRequest.configure(pipeline, root, repo);
    Delivered delivered = pipeline
        .setDirectory(repo == null ? null : directory)
        .setRepo(repo)
        .setBranch(branch)
        .setPush(push)
        .setDryRun(dryRun)
        .run(edit, (clone, readOnly) -> new Pipeline.Opened(DirectoryWorkspace.of(console,
            clone != null ? clone : planned.top(), readOnly), edit));
    new EnvironmentOutput(console, dryRun).print("rollback", edit.path(), edit,
        (EnvironmentEditResult) delivered.result(), delivered.report());
    return ExitCode.OK;
  }

  /** {@code previous} as 1, a number as itself; null for a commit or ref. */
  private static Integer back(String to) {
    if (to.equals("previous")) {
      return 1;
    }
    if (to.matches("[0-9]{1,6}")) {
      return Integer.parseInt(to);
    }
    return null;
  }

  /**
   * The references to set again, file by file: in each file, each repository that had one
   * reference then and has another now. A file with several references of one repository is set
   * only where they were one, since a bump sets a repository to one reference per file.
   */
  static List<RollbackEdit.Restore> restores(DeployedImages then, DeployedImages now,
      List<String> notes) {
    List<RollbackEdit.Restore> restores = new ArrayList<>();
    for (Map.Entry<String, SortedMap<String, SortedSet<String>>> file : then.files().entrySet()) {
      SortedMap<String, SortedSet<String>> current = now.files().get(file.getKey());
      if (current == null) {
        notes.add("bumper: " + file.getKey() + " is gone since; a rollback sets images, it does"
            + " not bring back files");
        continue;
      }
      List<ImageUpdate> images = new ArrayList<>();
      for (Map.Entry<String, SortedSet<String>> image : file.getValue().entrySet()) {
        SortedSet<String> refs = current.get(image.getKey());
        if (refs == null) {
          notes.add("bumper: " + file.getKey() + " no longer uses " + image.getKey()
              + "; left as it is");
        } else if (image.getValue().size() > 1) {
          notes.add("bumper: " + file.getKey() + " had " + image.getKey() + " at several"
              + " references; left as it is");
        } else if (!refs.equals(image.getValue())) {
          images.add(ImageUpdate.parse(image.getValue().first()));
        }
      }
      if (!images.isEmpty()) {
        restores.add(new RollbackEdit.Restore(file.getKey(), images));
      }
    }
    return restores;
  }

  private static String shown(String path) {
    return path.isEmpty() ? "." : path;
  }

  /** The commit {@code to} names, or null: a whole id resolves whether or not its object is there. */
  private static ObjectId commit(Repository repository, String to) throws IOException {
    try (RevWalk walk = new RevWalk(repository)) {
      ObjectId id = repository.resolve(to + "^{commit}");
      return id == null ? null : walk.parseCommit(id).copy();
    } catch (MissingObjectException | IncorrectObjectTypeException e) {
      return null;
    }
  }
}
