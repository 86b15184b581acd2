package dev.bumper.git;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.errors.CheckoutConflictException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Commits the changes in a checkout and pushes them, never losing an update to a concurrent
 * pipeline.
 *
 * <p>When the push is rejected because the branch moved, the new tip is fetched and the local
 * commit is made again on top of it: files that only bumper's recorded {@link Intent}s changed are
 * taken from the new tip and the intents applied to them again, so two pipelines bumping the same
 * file never conflict; every other change is carried over by a three-way merge, and a real
 * conflict stops the run with the local commit kept. A rejection that retrying cannot fix (a hook,
 * a protected branch) ends the run at once.
 */
public final class CheckoutCommitPush extends RemoteCommand<CheckoutCommitPush> {
  private final Repository repo;
  private CommitSpec commit;
  private String remoteName = Constants.DEFAULT_REMOTE_NAME;
  private String branch;
  private List<String> pathspecs = List.of();
  private boolean addNew;
  private Consumer<String> warn = message -> {};

  /** Pushes the checkout of {@code repo} to {@code url}. */
  public CheckoutCommitPush(Repository repo, RemoteUrl url, CommitSpec commit) {
    super(url);
    this.repo = repo;
    this.commit = commit;
  }

  /** The remote whose tracking refs follow the pushes and fetches (default: origin). */
  public CheckoutCommitPush setRemoteName(String remoteName) {
    this.remoteName = remoteName;
    return this;
  }

  /** The branch to push to; default: the branch checked out. */
  public CheckoutCommitPush setBranch(String branch) {
    this.branch = branch;
    return this;
  }

  /** Paths relative to the top of the work tree whose changes are staged; empty: all. */
  public CheckoutCommitPush setPathspecs(List<String> pathspecs) {
    this.pathspecs = List.copyOf(pathspecs);
    return this;
  }

  /**
   * Whether new files are committed too. Without it, as {@code git commit -a}: changes to tracked
   * files, and the new files bumper's own edits made or a pathspec names; any other new file is
   * left out, with a warning. A job's stray file (a key, a token file) is never pushed unasked.
   */
  public CheckoutCommitPush setAddNew(boolean addNew) {
    this.addNew = addNew;
    return this;
  }

  /** Told what a user should know even without -v: new files left out of the commit. */
  public CheckoutCommitPush setWarnings(Consumer<String> warn) {
    this.warn = warn;
    return this;
  }

  /** The branch that will be pushed to. */
  public String targetBranch() throws IOException {
    if (branch != null) {
      return branch;
    }
    String full = repo.getFullBranch();
    if (full == null || !full.startsWith(Constants.R_HEADS)) {
      throw new IOException("HEAD is detached in " + repo.getWorkTree() + "; give --branch");
    }
    return Repository.shortenRefName(full);
  }

  /** The files a commit would take, without staging, committing or pushing anything. */
  public List<String> preview() throws IOException {
    requireCompleteCheckout();
    try {
      return staging().preview(new IntentStore(repo.getDirectory().toPath()).recorded());
    } catch (GitAPIException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private CheckoutStaging staging() {
    return new CheckoutStaging(repo, pathspecs, addNew, warn, log);
  }

  /** Refuses a checkout whose files are not all there: what is missing would be committed as deleted. */
  private void requireCompleteCheckout() throws IOException {
    String unfinished = CheckoutCompleteness.unfinished(repo);
    if (unfinished != null) {
      throw new IncompleteCloneException(repo.getWorkTree() + " is not a complete checkout (" + unfinished
          + "); nothing was committed, since every file not checked out would be committed as deleted."
          + " Remove it and clone again");
    }
  }

  /**
   * Stages, commits and pushes.
   *
   * @throws PushFailedException when the push is refused, keeps losing races, or meets a real
   *     conflict; the local commit is kept
   * @throws IOException for a transport or storage failure, its message free of credentials
   */
  public PushOutcome call() throws IOException {
    requireCompleteCheckout();
    String target = targetBranch();
    IntentStore store = new IntentStore(repo.getDirectory().toPath());
    // The intents this run commits, read once: only these are spent by its push.
    List<IntentStore.Recorded> recorded = store.recorded();
    Spent spent = new Spent(store, recorded);
    try (RevWalk walk = new RevWalk(repo)) {
      ObjectId head = repo.resolve(Constants.HEAD);
      RevCommit parent = head == null ? null : walk.parseCommit(head);
      ObjectId tree = staging().stage(recorded);
      boolean nothingStaged =
          parent != null ? parent.getTree().equals(tree) : tree.equals(Constants.EMPTY_TREE_ID);
      List<Intent> all = recorded.stream().map(IntentStore.Recorded::intent).toList();
      if (nothingStaged) {
        if (parent == null || !unpushed(walk, parent, target)) {
          spent.remove();
          return new PushOutcome(false, parent == null ? "" : parent.name(), target, false, 0);
        }
        // Commits left by an earlier run (a conflict, a refusal, a run killed before its push
        // landed) are pushed now. The intents recorded on their parents stay until that push: on a
        // lost race they are applied again, as for a commit made in this run.
        return pushLoop(walk, parent, all, target, spent, null);
      }
      List<Intent> intents = new ArrayList<>();
      for (Intent intent : all) {
        if (parent != null && intent.base().equals(parent.name())) {
          intents.add(intent);
        } else {
          log.accept("an intent made on " + abbreviate(intent.base()) + ", not on HEAD, is not in this commit's message");
        }
      }
      List<String> changed = CommitReplay.changedPaths(walk, parent == null ? null : parent.getTree(), tree);
      RevCommit local = walk.parseCommit(
          commitIndex(parent, tree, target, summaries(intents, changed), trailers(intents)));
      return pushLoop(walk, local, all, target, spent, local);
    } catch (GitAPIException e) {
      throw new IOException(mask(e.getMessage()), null);
    }
  }

  /**
   * Pushes, and on a lost race makes the local commits again on the new tip, until one push wins.
   *
   * @param intents every intent recorded; each is applied again to the unpushed commit made on
   *     the commit it was recorded on
   * @param own the commit this run made, or null when it only pushes commits an earlier run left
   */
  private PushOutcome pushLoop(
      RevWalk walk, RevCommit local, List<Intent> intents, String target, Spent spent,
      RevCommit own) throws IOException {
    boolean committed = own != null;
    Landings landings = new Landings(repo.getDirectory().toPath());
    try {
      RevCommit pushed = local;
      long started = System.nanoTime();
      for (int attempt = 1; ; attempt++) {
        if (!pushed.equals(local)) {
          // remade on a new tip: should the run die once the remote took it, the next run knows
          landings.record(local, pushed);
        }
        PushStatus status = push(pushed, target);
        switch (status.verdict()) {
          case OK:
            adopt(walk, local, pushed, target, spent, landings);
            return new PushOutcome(committed, pushed.name(), target, true, attempt);
          case FATAL:
            throw new PushFailedException(
                false, "push to " + url.redacted() + " refused: " + mask(status.message())
                    + "; the commit " + abbreviate(local.name()) + " is kept in " + repo.getWorkTree());
          default:
            if (attempt >= attempts) {
              throw new PushFailedException(
                  true, "push to " + url.redacted() + " lost: the branch " + target + " kept moving for "
                      + attempts + " attempts; the commit " + abbreviate(local.name()) + " is kept");
            }
            backOff(attempt, Duration.ofNanos(System.nanoTime() - started), "push lost a race ("
                + status.message() + "); making the commit again on the new tip");
            started = System.nanoTime();
            RevCommit tip = fetch(walk, target);
            pushed = new CommitReplay(repo, commit, this::now, this::sign, warn, log)
                .rebuild(walk, local, own, tip, intents, target, landings.landedIn(walk, tip));
        }
      }
    } catch (GitAPIException e) {
      throw new IOException(mask(e.getMessage()), null);
    }
  }

  /** Whether HEAD has commits the remote-tracking branch does not (unknown: no). */
  private boolean unpushed(RevWalk walk, RevCommit head, String target) throws IOException {
    ObjectId tracking = repo.resolve(trackingRef(target));
    return tracking != null && !walk.isMergedInto(head, walk.parseCommit(tracking));
  }

  private ObjectId commitIndex(RevCommit parent, ObjectId tree, String target, List<String> summaries,
      Map<String, String> trailers) throws IOException {
    PersonIdent now = now(commit.author());
    CommitBuilder created = new CommitBuilder();
    created.setTreeId(tree);
    if (parent != null) {
      created.setParentId(parent);
    }
    created.setAuthor(now);
    created.setCommitter(now);
    created.setMessage(commit.withBranch(target).withTrailers(trailers).message(summaries));
    sign(created);
    ObjectId id;
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      id = inserter.insert(created);
      inserter.flush();
    }
    RefUpdate update = repo.updateRef(Constants.HEAD);
    update.setNewObjectId(id);
    update.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
    update.setRefLogMessage("commit (bumper): " + firstLine(created.getMessage()), false);
    RefUpdate.Result result = update.update();
    if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD) {
      throw new IOException("could not move HEAD to the new commit: " + result);
    }
    return id;
  }

  private void sign(CommitBuilder created) throws IOException {
    if (signer != null) {
      signer.sign(repo, created);
    }
  }

  /** The intents' own trailers, each read on the commit it was recorded on. */
  static Map<String, String> trailers(List<Intent> intents, String base) {
    Map<String, String> trailers = new LinkedHashMap<>();
    for (Intent intent : intents) {
      trailers.putAll(intent.edit().trailers(base != null ? base : intent.base()));
    }
    return trailers;
  }

  private static Map<String, String> trailers(List<Intent> intents) {
    return trailers(intents, null);
  }

  /** The intents' summary lines, and a line for each file changed by hand. */
  private static List<String> summaries(List<Intent> intents, List<String> changed) {
    List<String> summaries = new ArrayList<>();
    java.util.Set<String> byIntents = new java.util.HashSet<>();
    for (Intent intent : intents) {
      summaries.addAll(intent.summaries());
      byIntents.addAll(intent.files());
    }
    for (String path : changed) {
      if (!byIntents.contains(path)) {
        summaries.add("Update " + path);
      }
    }
    return summaries;
  }

  private PushStatus push(RevCommit commit, String target) throws GitAPIException, IOException {
    Iterable<PushResult> results = network("push to", () ->
        Git.wrap(repo)
            .push()
            .setRemote(url.secret())
            .setRefSpecs(new RefSpec(commit.name() + ":" + Constants.R_HEADS + target))
            .setCredentialsProvider(credentials)
            .setTransportConfigCallback(this::configure)
            .call());
    return PushStatus.of(results);
  }

  private RevCommit fetch(RevWalk walk, String target) throws GitAPIException, IOException {
    String tracking = trackingRef(target);
    network("fetch from", () -> Git.wrap(repo)
        .fetch()
        .setRemote(url.stored()) // FETCH_HEAD records it
        .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + target + ":" + tracking))
        .setCredentialsProvider(credentials)
        .setTransportConfigCallback(this::configure)
        .call());
    ObjectId tip = repo.resolve(tracking);
    if (tip == null) {
      throw new IOException("no branch " + target + " in " + url.redacted());
    }
    RevCommit commit = walk.parseCommit(tip);
    TreeCheck.verify(walk.getObjectReader(), commit.getTree());
    return commit;
  }

  private String trackingRef(String target) {
    return Constants.R_REMOTES + remoteName + "/" + target;
  }

  /**
   * After a push: the tracking ref follows it, and when the commit was made again on a new tip,
   * the checkout moves from the local commit to the pushed one, as {@code git pull} would.
   */
  private void adopt(RevWalk walk, RevCommit local, RevCommit pushed, String target, Spent spent,
      Landings landings) throws IOException {
    RefUpdate tracking = repo.updateRef(trackingRef(target));
    tracking.setNewObjectId(pushed);
    tracking.setRefLogMessage("update by push (bumper)", false);
    tracking.forceUpdate();
    spent.remove();
    landings.clear();
    if (pushed.equals(local)) {
      return;
    }
    DirCache index = repo.lockDirCache();
    try {
      DirCacheCheckout checkout = new DirCacheCheckout(repo, local.getTree(), index, pushed.getTree());
      checkout.setFailOnConflict(true);
      checkout.checkout();
    } catch (CheckoutConflictException e) {
      log.accept("the checkout keeps the local commit: local changes to " + String.join(", ", e.getConflictingFiles())
          + " are in the way of the pushed commit " + abbreviate(pushed.name()));
      return;
    } finally {
      index.unlock();
    }
    RefUpdate head = repo.updateRef(Constants.HEAD);
    head.setNewObjectId(pushed);
    head.setExpectedOldObjectId(local);
    head.setRefLogMessage("bumper: made again on the new tip and pushed as " + abbreviate(pushed.name()), false);
    RefUpdate.Result result = head.forceUpdate();
    if (result != RefUpdate.Result.FORCED && result != RefUpdate.Result.FAST_FORWARD && result != RefUpdate.Result.NO_CHANGE) {
      log.accept("could not move HEAD to the pushed commit: " + result);
    }
  }

  /** The intents a run read, to forget once they are pushed or no longer apply. */
  private record Spent(IntentStore store, List<IntentStore.Recorded> recorded) {
    void remove() throws IOException {
      store.remove(recorded);
    }
  }

  private static String firstLine(String message) {
    int eol = message.indexOf('\n');
    return eol < 0 ? message : message.substring(0, eol);
  }

  private static String abbreviate(String sha) {
    return CommitReplay.abbreviate(sha);
  }
}
