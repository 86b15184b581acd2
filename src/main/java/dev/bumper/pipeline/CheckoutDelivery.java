package dev.bumper.pipeline;

import dev.bumper.failure.UsageException;
import dev.bumper.git.CheckoutCommitPush;
import dev.bumper.git.PushFailedException;
import dev.bumper.git.RemoteUrl;
import dev.bumper.io.GitDirectories;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Commits a checkout and pushes it: for {@code commit-push}, and as the push delivery of a clone an
 * edit was written to. Recorded edits are applied again on the new tip after a lost race.
 */
public final class CheckoutDelivery {
  /** Where and what to commit. */
  public record Target(Path dir, RemoteUrl url, String remoteName, String branch, List<String> pathspecs, boolean addNew) {
    /** What an edit command's --push commits: the whole checkout, its tracked files and its own edits. */
    public static Target edits(Path dir, RemoteUrl url, String branch) {
      return new Target(dir, url, "origin", branch, List.of(), false);
    }
  }

  /** A preview: the files a commit would take. */
  public record Preview(List<String> files, String branch, String remote) {}

  private final Pushing pushing;
  private final Reporter reporter;

  public CheckoutDelivery(Pushing pushing, Reporter reporter) {
    this.pushing = pushing;
    this.reporter = reporter;
  }

  /** The repository whose work tree holds {@code dir}. */
  static Repository open(Path dir) throws IOException {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toFile());
    if (builder.getGitDir() == null) {
      throw new UsageException("-C " + dir + ": not in a git checkout");
    }
    Repository repo = builder.setMustExist(true).build();
    if (repo.isBare()) {
      repo.close();
      throw new UsageException("-C " + dir + ": a bare repository has no changes to commit");
    }
    return repo;
  }

  /**
   * Commits and pushes.
   *
   * @throws dev.bumper.git.PushFailedException when the push is refused or lost; the commit is kept
   */
  public PushReport push(Target target) throws IOException {
    try (Repository repo = open(target.dir())) {
      RemoteUrl url = remoteUrl(repo, target);
      List<String> pathspecs = pathspecs(repo, target);
      CheckoutCommitPush push =
          new CheckoutCommitPush(repo, url, pushing.spec(target.branch(), url))
              .setRemoteName(target.remoteName())
              .setBranch(target.branch())
              .setPathspecs(pathspecs)
              .setAddNew(target.addNew())
              .setWarnings(reporter::warn);
      return new PushReport(pushing.remote().run(push, CheckoutCommitPush::call), url.redacted());
    }
  }

  public Preview preview(Target target) throws IOException {
    try (Repository repo = open(target.dir())) {
      RemoteUrl url = remoteUrl(repo, target);
      CheckoutCommitPush push =
          new CheckoutCommitPush(repo, url, null)
              .setBranch(target.branch())
              .setPathspecs(pathspecs(repo, target))
              .setAddNew(target.addNew())
              .setWarnings(reporter::warn);
      return new Preview(push.preview(), push.targetBranch(), url.redacted());
    }
  }

  /** The URL to push to: --repo's, or the remote's from the repository's configuration. */
  private static RemoteUrl remoteUrl(Repository repo, Target target) {
    if (target.url() != null) {
      return target.url();
    }
    String configured = repo.getConfig().getString("remote", target.remoteName(), "pushurl");
    if (configured == null) {
      configured = repo.getConfig().getString("remote", target.remoteName(), "url");
    }
    if (configured == null) {
      throw new UsageException("--remote " + target.remoteName() + ": no such remote in " + repo.getWorkTree());
    }
    try {
      return RemoteUrl.parse(configured);
    } catch (IllegalArgumentException e) {
      throw new UsageException("remote " + target.remoteName() + ": " + e.getMessage());
    }
  }

  /** PATHSPECs, given relative to -C DIR, as paths from the top of the work tree. */
  private static List<String> pathspecs(Repository repo, Target target) throws IOException {
    Path top = repo.getWorkTree().toPath().toRealPath();
    Path dir = target.dir().toRealPath();
    List<String> pathspecs = new ArrayList<>();
    List<String> given = target.pathspecs().isEmpty() && !dir.equals(top) ? List.of(".") : target.pathspecs();
    for (String spec : given) {
      Path path = dir.resolve(spec).normalize();
      if (!path.startsWith(top)) {
        throw new UsageException(spec + ": outside the repository " + top);
      }
      if (GitDirectories.isInside(top.relativize(path))) {
        throw new UsageException(spec + ": inside .git; bumper commits a repository's files, not git's own");
      }
      String relative = top.relativize(path).toString().replace('\\', '/');
      pathspecs.add(relative.isEmpty() ? "." : relative);
    }
    return pathspecs;
  }
}
