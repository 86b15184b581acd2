package dev.bumper.pipeline;

import dev.bumper.edit.Edit;
import dev.bumper.failure.UsageException;
import dev.bumper.git.RemoteUrl;
import dev.bumper.provider.PullRequests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The one way an edit goes from the command line to where it lands. The options choose the
 * workspace (a directory; {@code --repo} with {@code -C}: a clone; {@code --repo} alone: a commit
 * fetched into memory) and the delivery (files; {@code --dry-run}: a diff; {@code --push}: a
 * pushed commit); the pipeline opens the one, applies the edit and hands its change to the other.
 */
public final class Pipeline {
  /** Opens the workspace of a directory, or of the clone just made in it, for a command. */
  public interface Local {
    /**
     * @param clone the clone's directory, or null outside clone mode
     * @param readOnly whether only a diff will be made
     * @return the workspace, and the edit as it applies there
     */
    Opened open(Path clone, boolean readOnly) throws IOException;
  }

  /** A directory's workspace and the edit as it applies there. */
  public record Opened(DirectoryWorkspace workspace, Edit edit) {}

  private final Supplier<Pushing> pushing;
  private final Reporter reporter;
  private Path directory;
  private String repo;
  private String branch;
  private boolean push;
  private boolean dryRun;
  private PullRequestSpec pullRequest;
  private Supplier<PullRequests> provider;

  /** @param pushing how to clone and push, asked for only when the run does */
  public Pipeline(Supplier<Pushing> pushing, Reporter reporter) {
    this.pushing = pushing;
    this.reporter = reporter;
  }

  /** {@code -C DIR}: the directory, or with {@code --repo} the clone to make or reuse. */
  public Pipeline setDirectory(Path directory) {
    this.directory = directory;
    return this;
  }

  /** {@code --repo URL}. */
  public Pipeline setRepo(String repo) {
    this.repo = repo;
    return this;
  }

  public Pipeline setBranch(String branch) {
    this.branch = branch;
    return this;
  }

  public Pipeline setPush(boolean push) {
    this.push = push;
    return this;
  }

  public Pipeline setDryRun(boolean dryRun) {
    this.dryRun = dryRun;
    return this;
  }

  /** {@code --pull-request}: deliver through a pull request made as {@code spec} says. */
  public Pipeline setPullRequest(PullRequestSpec spec, Supplier<PullRequests> provider) {
    this.pullRequest = spec;
    this.provider = provider;
    return this;
  }

  /**
   * Runs {@code edit} where the options say: in a commit fetched into memory as it is, in a
   * directory or a clone as {@code local} opens it.
   */
  public Delivered run(Edit edit, Local local) throws IOException {
    Delivery delivery = dryRun ? Delivery.DIFF : push ? Delivery.PUSH : Delivery.FILES;
    if (pullRequest != null) {
      if (repo == null || directory != null || push) {
        throw new UsageException("--pull-request needs --repo URL, without -C and --push: the"
            + " change is committed in memory on the pull request's branch");
      }
      return new PullRequestDelivery(pushing.get(), url(repo), branch, pullRequest, provider,
          reporter).deliver(edit, dryRun);
    }
    if (repo != null && directory != null) {
      RemoteUrl url = url(repo);
      Pushing remote = pushing.get();
      Path clone = CloneWorkspace.prepare(remote, reporter, url, directory, branch);
      Opened opened = local.open(clone, dryRun);
      try (DirectoryWorkspace workspace = opened.workspace()) {
        workspace.setPush(new CheckoutDelivery(remote, reporter), CheckoutDelivery.Target.edits(clone, url, branch));
        return workspace.deliver(opened.edit(), delivery);
      }
    }
    if (push && repo == null) {
      throw new UsageException("--push needs --repo URL");
    }
    if (repo != null) {
      if (delivery == Delivery.FILES) {
        throw new UsageException("--repo needs -C DIR (a clone to edit and commit later), --push (commit and push at"
            + " once, no working tree) or --dry-run (preview)");
      }
      try (Workspace workspace = new CommitWorkspace(pushing.get(), url(repo), branch)) {
        return workspace.deliver(edit, delivery);
      }
    }
    Opened opened = local.open(null, dryRun);
    try (DirectoryWorkspace workspace = opened.workspace()) {
      return workspace.deliver(opened.edit(), delivery);
    }
  }

  /** {@code --repo}'s URL, or a usage error saying what is wrong with it. */
  public static RemoteUrl url(String repo) {
    try {
      return RemoteUrl.parse(repo);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--repo: " + e.getMessage());
    }
  }
}
