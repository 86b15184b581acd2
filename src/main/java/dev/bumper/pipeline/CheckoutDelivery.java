package dev.bumper.pipeline;

import dev.bumper.edit.Edit;
import dev.bumper.failure.UsageException;
import dev.bumper.git.CheckoutCommitPush;
import dev.bumper.git.Intent;
import dev.bumper.git.IntentCoverage;
import dev.bumper.git.IntentStore;
import dev.bumper.git.PushFailedException;
import dev.bumper.git.RemoteUrl;
import dev.bumper.io.GitDirectories;
import dev.bumper.provider.PullRequests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.eclipse.jgit.api.CheckoutCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
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

  /**
   * Delivers the edits the checkout recorded through a pull request into the target branch (by
   * default the branch checked out), then spends them and sets their files back to HEAD: the
   * change now lives on the request's branch. Only recorded edits can be built again on a new
   * base, so a checkout with any other change (a hand edit, a commit not pushed) is refused.
   */
  public Delivered pullRequest(Target target, PullRequestSpec spec,
      Supplier<PullRequests> provider, boolean dryRun) throws IOException {
    try (Repository repo = open(target.dir()); Git git = Git.wrap(repo)) {
      RemoteUrl url = remoteUrl(repo, target);
      IntentStore store = new IntentStore(repo.getDirectory().toPath());
      List<IntentStore.Recorded> recorded = store.recorded();
      Set<String> recordedFiles = new TreeSet<>();
      List<Edit> edits = new ArrayList<>();
      for (IntentStore.Recorded intent : recorded) {
        recordedFiles.addAll(intent.intent().files());
        edits.add(intent.intent().edit());
      }
      Status status = git.status().call();
      Set<String> changed = new TreeSet<>();
      changed.addAll(status.getModified());
      changed.addAll(status.getChanged());
      changed.addAll(status.getAdded());
      changed.addAll(status.getRemoved());
      changed.addAll(status.getMissing());
      changed.removeAll(recordedFiles);
      if (!changed.isEmpty()) {
        throw new UsageException(changed.iterator().next() + " was changed by hand: --pull-request"
            + " carries only the edits bumper recorded, which it can build again on a new base;"
            + " commit-push without --pull-request commits it");
      }
      List<Intent> intents = new ArrayList<>();
      recorded.forEach(intent -> intents.add(intent.intent()));
      Optional<String> handEdited = IntentCoverage.firstOtherChange(repo, intents);
      if (handEdited.isPresent()) {
        throw new UsageException(handEdited.get() + " holds more than the edits bumper recorded"
            + " (a hand edit, or an edit that no longer applies to HEAD): --pull-request carries"
            + " only recorded edits; commit-push without --pull-request commits it");
      }
      String base = target.branch() != null ? target.branch() : repo.getBranch();
      ObjectId tracked = repo.resolve("refs/remotes/" + target.remoteName() + "/" + base);
      ObjectId head = repo.resolve(Constants.HEAD);
      if (tracked != null && head != null && !tracked.equals(head)) {
        throw new UsageException("HEAD holds commits " + target.remoteName() + "/" + base
            + " does not: --pull-request carries only recorded edits; push them with commit-push");
      }
      if (edits.isEmpty()) {
        throw new UsageException("nothing recorded to deliver: --pull-request takes the edits"
            + " bump-manifest and kustomize-set-image recorded in this checkout");
      }
      Delivered delivered = new PullRequestDelivery(pushing, url, base, spec, provider, reporter)
          .deliver(edits, dryRun);
      if (!dryRun) {
        store.remove(recorded);
        restore(git, status, recordedFiles);
      }
      return delivered;
    } catch (GitAPIException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Sets the recorded files back to HEAD, removing those the edits created. */
  private static void restore(Git git, Status status, Set<String> files)
      throws GitAPIException, IOException {
    List<String> tracked = new ArrayList<>();
    for (String file : files) {
      if (status.getUntracked().contains(file)) {
        Files.deleteIfExists(git.getRepository().getWorkTree().toPath().resolve(file));
      } else {
        tracked.add(file);
      }
    }
    if (!tracked.isEmpty()) {
      CheckoutCommand checkout = git.checkout().setStartPoint(Constants.HEAD);
      tracked.forEach(checkout::addPath);
      checkout.call();
    }
  }

  /** The URL {@code target} pushes to. */
  public static RemoteUrl remoteUrl(Target target) throws IOException {
    try (Repository repo = open(target.dir())) {
      return remoteUrl(repo, target);
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
