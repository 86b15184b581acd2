package dev.bumper.git;

import dev.bumper.edit.EditFailedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Makes a checkout's unpushed commits again on a new tip after a lost push race: each by a
 * three-way merge, with the intents recorded on its parent applied again to the new content, so
 * that files only bumper's edits changed come out as the edits make them now.
 */
final class CommitReplay {
  /** Signs a commit being built, or leaves it unsigned. */
  interface Signing {
    void sign(CommitBuilder commit) throws IOException;
  }

  private final Repository repo;
  private final CommitSpec commit;
  private final UnaryOperator<PersonIdent> stamp;
  private final Signing signing;
  private final Consumer<String> warn;
  private final Consumer<String> log;

  CommitReplay(Repository repo, CommitSpec commit, UnaryOperator<PersonIdent> now, Signing signing,
      Consumer<String> warn, Consumer<String> log) {
    this.repo = repo;
    this.commit = commit;
    this.stamp = now;
    this.signing = signing;
    this.warn = warn;
    this.log = log;
  }

  /**
   * Makes the local commits again on {@code tip}, each by a three-way merge, the intents recorded
   * on its parent applied again to the new content; {@code own}, the commit this run made (or
   * null), gets a new message that tells what it changes now. A commit whose changes the tip
   * already holds is dropped, as {@code git rebase} drops it: a run killed after its push landed
   * and before it knew leaves such a commit, and pushing it again would record the bump twice.
   * So are the commits in {@code landed} and the ones before them: a commit remade from them
   * landed (see {@link Landings}), and the tip may have changed the same lines since.
   */
  RevCommit rebuild(RevWalk walk, RevCommit local, RevCommit own, RevCommit tip, List<Intent> intents,
      String target, List<RevCommit> landed) throws IOException {
    walk.reset();
    walk.sort(RevSort.TOPO);
    walk.sort(RevSort.REVERSE, true);
    walk.markStart(walk.parseCommit(local));
    walk.markUninteresting(walk.parseCommit(tip));
    for (RevCommit commit : landed) {
      log.accept("the tip " + abbreviate(tip.name()) + " holds " + abbreviate(commit.name())
          + " as pushed by a run that did not finish");
      walk.markUninteresting(walk.parseCommit(commit));
    }
    List<RevCommit> unpushed = new ArrayList<>();
    for (RevCommit c : walk) {
      unpushed.add(c);
    }
    walk.reset();
    RevCommit onto = tip;
    try (ObjectInserter inserter = repo.newObjectInserter();
        ObjectReader reader = inserter.newReader()) {
      for (RevCommit c : unpushed) {
        walk.parseHeaders(c);
        if (c.getParentCount() != 1) {
          throw conflict(local, "the local commit " + abbreviate(c.name()) + " is a merge, which cannot be replayed");
        }
        RevCommit parent = walk.parseCommit(c.getParent(0));
        boolean ours = c.equals(own);
        List<Intent> made = intents.stream().filter(i -> i.base().equals(parent.name())).toList();
        boolean replayed = !made.isEmpty();
        List<String> summaries = new ArrayList<>();
        // For bumper's own commit the merge runs between trees with the intents already applied:
        // the base is what the intents alone made of the old tip, ours what they make of the new
        // one, theirs the commit. A file only intents changed then differs from the base on our
        // side alone and comes out as the intents make it now; hand edits still merge as usual.
        ObjectId base = replayed ? intentBase(inserter, reader, parent, made, local) : parent.getTree();
        ObjectId current = replayed ? applyIntents(inserter, reader, onto.getTree(), made, summaries, local) : onto.getTree();
        ResolveMerger merger = (ResolveMerger) MergeStrategy.RESOLVE.newMerger(inserter, repo.getConfig());
        merger.setBase(base);
        if (!merger.merge(current, c.getTree())) {
          List<String> files = new ArrayList<>(merger.getUnmergedPaths());
          if (merger.getFailingPaths() != null) {
            files.addAll(merger.getFailingPaths().keySet());
          }
          throw conflict(local, "a real conflict with the new tip " + abbreviate(tip.name()) + " in "
              + String.join(", ", files.isEmpty() ? List.of("the tree") : files));
        }
        ObjectId tree = merger.getResultTreeId();
        if (tree.equals(onto.getTree()) && !c.getTree().equals(parent.getTree())) {
          log.accept("the new tip " + abbreviate(tip.name()) + " already holds the changes of " + abbreviate(c.name()));
          continue;
        }
        CommitBuilder created = new CommitBuilder();
        created.setParentId(onto);
        if (ours) {
          java.util.Set<String> byIntents = new java.util.HashSet<>();
          made.forEach(i -> byIntents.addAll(i.files()));
          for (String path : changedPaths(walk, parent.getTree(), c.getTree())) {
            if (!byIntents.contains(path)) {
              summaries.add("Update " + path);
            }
          }
          PersonIdent now = stamp.apply(commit.author());
          created.setAuthor(now);
          created.setCommitter(now);
          // made again on the new tip: the intents read the source there
          created.setMessage(commit.withBranch(target)
              .withTrailers(CheckoutCommitPush.trailers(made, replayed ? onto.name() : null))
              .message(summaries));
        } else {
          created.setAuthor(c.getAuthorIdent());
          created.setCommitter(stamp.apply(c.getCommitterIdent()));
          created.setMessage(c.getFullMessage());
        }
        created.setTreeId(tree);
        signing.sign(created);
        ObjectId id = inserter.insert(created);
        inserter.flush();
        onto = walk.parseCommit(id);
      }
      return onto;
    }
  }

  /**
   * The old tip's tree with the intents applied, as they were when recorded. When they no longer
   * apply to it (they matched a file that was new in the checkout), the old tip's own tree: the
   * commit's changes then merge like hand edits.
   */
  private ObjectId intentBase(
      ObjectInserter inserter, ObjectReader reader, RevCommit parent, List<Intent> intents, RevCommit local)
      throws IOException {
    try {
      return applyIntents(inserter, reader, parent.getTree(), intents, new ArrayList<>(), local);
    } catch (PushFailedException e) {
      log.accept("the recorded bumps do not apply to " + abbreviate(parent.name()) + "; merging them as edits");
      return parent.getTree();
    }
  }

  private ObjectId applyIntents(
      ObjectInserter inserter, ObjectReader reader, ObjectId tree, List<Intent> intents, List<String> summaries,
      RevCommit local) throws IOException {
    if (intents.isEmpty()) {
      return tree;
    }
    try (TreeSnapshot snapshot = new TreeSnapshot(reader, tree)) {
      OverlaySnapshot applied = new OverlaySnapshot(snapshot);
      apply(applied, intents, summaries, local);
      return applied.changes().isEmpty()
          ? tree
          : TreeWriter.write(inserter, reader, tree, applied.changes());
    }
  }

  private void apply(OverlaySnapshot snapshot, List<Intent> intents, List<String> summaries, RevCommit local)
      throws IOException {
    for (Intent intent : intents) {
      TreeChange.Result result;
      try {
        result = EditChange.of(intent.edit()).apply(snapshot);
      } catch (EditFailedException e) {
        e.lines().forEach(warn);
        throw conflict(local, "the " + intent.command() + " recorded in " + repo.getDirectory().toPath().resolve("bumper")
            + " no longer applies to the new tip: " + e.getMessage());
      }
      snapshot.put(result.files());
      summaries.addAll(result.summaries());
    }
  }

  PushFailedException conflict(RevCommit local, String reason) {
    return new PushFailedException(
        true, reason + "; the local commit " + abbreviate(local.name()) + " is kept in " + repo.getWorkTree());
  }


  static List<String> changedPaths(RevWalk walk, ObjectId before, ObjectId after) throws IOException {
    List<String> paths = new ArrayList<>();
    try (TreeWalk tree = new TreeWalk(walk.getObjectReader())) {
      if (before == null) {
        tree.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
      } else {
        tree.addTree(before);
      }
      tree.addTree(after);
      tree.setRecursive(true);
      tree.setFilter(TreeFilter.ANY_DIFF);
      while (tree.next()) {
        paths.add(tree.getPathString());
      }
    }
    return paths;
  }


  static String abbreviate(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
