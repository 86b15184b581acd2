package dev.bumper.git;

import dev.bumper.edit.Edit;
import dev.bumper.edit.EditJson;
import dev.bumper.edit.EditResult;
import dev.bumper.failure.Failure;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Commits an edit on a pull request's branch, without a working tree: the branch is the target
 * branch's tip plus one commit per edit, each recording its edit ({@code Bumper-Edit:}, the edit
 * as JSON) and the tip it was built on ({@code Bumper-Base:}). A new edit goes on top of the
 * branch; when the target has moved since, the branch is built again on the new tip from the
 * recorded edits and the new one, and pushed only if the remote branch is still what was read
 * ({@code --force-with-lease}); a lost race starts over, so two runs for one branch both end in
 * it. A branch that holds a commit bumper did not make is never rewritten: the edit goes on top.
 */
public final class PullRequestBranchPush extends RemoteCommand<PullRequestBranchPush> {
  /** The branch's history fetched: a branch of more edits than this is added to, not rebuilt. */
  private static final int BRANCH_DEPTH = 64;

  /** What became of the branch. */
  public record Outcome(String base, String baseTip, String head, String headSha, boolean pushed,
      boolean rebuilt, int attempts, List<EditResult> results, boolean pending, boolean foreign) {
    /** What the last of the new edits changed. */
    public EditResult last() {
      return results.get(results.size() - 1);
    }

    /** The summary lines of what the new edits changed. */
    public List<String> summaries() {
      List<String> summaries = new ArrayList<>();
      results.forEach(result -> summaries.addAll(result.summaries()));
      return summaries;
    }

    /** Whether the branch exists on the remote after the run. */
    public boolean exists() {
      return headSha != null;
    }
  }

  private final List<Edit> edits;
  private final CommitSpec commit;
  private final boolean write;
  private String base;
  private UnaryOperator<String> head;
  private boolean rebuildWhenBehind;
  private BiFunction<String, String, Optional<String>> finished =
      (head, base) -> Optional.empty();

  /**
   * @param write false for a dry run: the edit is applied, nothing is committed or pushed
   */
  public PullRequestBranchPush(RemoteUrl url, List<Edit> edits, CommitSpec commit, boolean write) {
    super(url);
    if (edits.isEmpty()) {
      throw new IllegalArgumentException("no edit to commit");
    }
    this.edits = List.copyOf(edits);
    this.commit = commit;
    this.write = write;
  }

  /** The branch the pull request goes into; default: the remote's default branch. */
  public PullRequestBranchPush setBase(String base) {
    this.base = base;
    return this;
  }

  /** The pull request's own branch, named for the base branch it goes into. */
  public PullRequestBranchPush setHead(UnaryOperator<String> head) {
    this.head = head;
    return this;
  }

  /**
   * Also builds the branch again on the target's tip when the edit changes nothing but the
   * branch is behind: what a merge that found the base moved needs.
   */
  public PullRequestBranchPush setRebuildWhenBehind(boolean rebuild) {
    this.rebuildWhenBehind = rebuild;
    return this;
  }

  /**
   * Tells, for an existing branch, the head of its latest request into the base when that was
   * merged or closed and none is open. While the branch is still at that commit, its recorded
   * edits are done with (a squash merge leaves no trace in the base's history): the branch
   * starts over on the base with the new edits alone, so that an old value is never set again
   * over a later change. Asked on every attempt: a branch another run pushed to since is not
   * started over.
   */
  public PullRequestBranchPush setFinished(
      BiFunction<String, String, Optional<String>> finished) {
    this.finished = finished;
    return this;
  }

  public Outcome call() throws IOException {
    try (MemoryRepository memory = new MemoryRepository(this)) {
      memory.setAuthor(commit.author());
      String target = base != null ? base : memory.defaultBranch();
      String branch = head.apply(target);
      for (int attempt = 1; ; attempt++) {
        long started = System.nanoTime();
        Outcome outcome = attempt(memory, target, branch, attempt);
        if (outcome != null) {
          return outcome;
        }
        if (attempt >= attempts) {
          throw new PushFailedException(true, "push to " + branch + " of " + url.redacted()
              + " lost: the branch kept moving for " + attempts + " attempts");
        }
        backOff(attempt, Duration.ofNanos(System.nanoTime() - started),
            "push to " + branch + " lost a race; building the branch again");
      }
    } catch (GitAPIException e) {
      throw new IOException(mask(e.getMessage()), null);
    }
  }

  /** One attempt: the outcome, or null when the push lost a race. */
  private Outcome attempt(MemoryRepository memory, String target, String head, int attempt)
      throws GitAPIException, IOException {
    Map<String, Ref> refs = memory.remoteRefs();
    if (!refs.containsKey(Constants.R_HEADS + target)) {
      throw new IOException("no branch " + target + " in " + url.redacted());
    }
    RevCommit baseTip = memory.fetch(target, 1);
    RevCommit headTip = refs.containsKey(Constants.R_HEADS + head)
        ? memory.fetch(head, BRANCH_DEPTH) : null;
    String headSha = headTip == null ? null : headTip.name();
    if (headTip != null && finished.apply(head, target).filter(headSha::equals).isPresent()) {
      log.accept("the pull request from " + head + " was merged or closed; the branch starts"
          + " over on " + target);
      Built fresh = build(memory, baseTip, edits, baseTip.name(), target, 0);
      if (!fresh.changed()) {
        return new Outcome(target, baseTip.name(), head, headSha, false, false, attempt,
            fresh.results(), false, false);
      }
      return push(memory, fresh, headTip, target, head, baseTip, attempt, true, false);
    }
    RecordedEdits chain = headTip == null ? null : RecordedEdits.read(memory, headTip);
    RevCommit onto = headTip != null ? headTip : baseTip;
    // the new edits on the branch as it is; commits made here are pushed only if chosen below
    String builtOn = chain != null ? chain.base() : baseTip.name();
    Built added = build(memory, onto, edits, builtOn, target, 0);
    boolean behind = chain != null && !chain.base().equals(baseTip.name());
    boolean rebuild = behind && (added.changed() || rebuildWhenBehind);
    if (!added.changed() && !rebuild) {
      if (headTip == null) {
        return new Outcome(target, baseTip.name(), head, null, false, false, attempt,
            added.results(), false, false);
      }
      // Nothing new for the branch; whether it holds work the base does not (a run that pushed
      // and died before its request was opened) is what the edits would change on the base.
      Built onBase = build(memory, baseTip, edits, baseTip.name(), target, 0);
      return new Outcome(target, baseTip.name(), head, headSha, false, false, attempt,
          onBase.changed() ? onBase.results() : added.results(), onBase.changed(), chain == null);
    }
    Built pushed = added;
    if (rebuild) {
      List<Edit> all = new ArrayList<>(chain.edits());
      all.addAll(edits);
      Built rebuilt = build(memory, baseTip, all, baseTip.name(), target, chain.edits().size());
      List<EditResult> results = rebuilt.results();
      List<EditResult> fresh = results.subList(results.size() - edits.size(), results.size());
      pushed = new Built(rebuilt.tip(), List.copyOf(fresh));
      if (rebuilt.tip().equals(baseTip)) {
        // every edit is in the target already: the branch would be the target itself
        return new Outcome(target, baseTip.name(), head, headSha, false, false, attempt,
            pushed.results(), false, false);
      }
    }
    return push(memory, pushed, headTip, target, head, baseTip, attempt, rebuild,
        headTip != null && chain == null);
  }

  /** Pushes what was built, if the branch is still {@code headTip}; null when it was not. */
  private Outcome push(MemoryRepository memory, Built built, RevCommit headTip, String target,
      String head, RevCommit baseTip, int attempt, boolean rebuilt, boolean foreign)
      throws GitAPIException, IOException {
    String headSha = headTip == null ? null : headTip.name();
    if (!write) {
      return new Outcome(target, baseTip.name(), head, headSha, false, rebuilt, attempt,
          built.results(), false, foreign);
    }
    ObjectId expected = headTip != null ? headTip : ObjectId.zeroId();
    PushStatus status = memory.push(built.tip(), head, expected);
    switch (status.verdict()) {
      case OK:
        return new Outcome(target, baseTip.name(), head, built.tip().name(), true, rebuilt,
            attempt, built.results(), false, foreign);
      case FATAL:
        throw new PushFailedException(false,
            "push to " + head + " of " + url.redacted() + " refused: " + mask(status.message()));
      default:
        return null;
    }
  }

  /** Commits made in memory for edits applied in turn: the last, and each edit's result. */
  private record Built(ObjectId tip, List<EditResult> results) {
    boolean changed() {
      return results.stream().anyMatch(EditResult::changed);
    }
  }

  /**
   * @param recorded how many of {@code each}, from the first, are recorded edits replayed: one of
   *     those that no longer applies (what it set is gone from the base) is dropped with a note,
   *     rather than blocking every later run
   */
  private Built build(MemoryRepository memory, RevCommit from, List<Edit> each, String builtOn,
      String target, int recorded) throws IOException {
    ObjectId tip = from;
    List<EditResult> results = new ArrayList<>();
    try (ObjectReader reader = memory.repository().newObjectReader()) {
      for (int i = 0; i < each.size(); i++) {
        Edit edit = each.get(i);
        RevCommit parent = parse(memory, tip);
        EditResult result;
        try (TreeSnapshot snapshot = new TreeSnapshot(reader, parent.getTree())) {
          result = edit.apply(snapshot);
        } catch (Failure e) {
          if (i >= recorded) {
            throw e;
          }
          log.accept("a recorded edit of the branch no longer applies to " + target + " ("
              + e.getMessage() + "); dropped");
          continue;
        }
        results.add(result);
        if (result.changed()) {
          tip = commitEdit(memory, parent, result, edit, builtOn, target);
        }
      }
    }
    return new Built(tip, results);
  }

  private ObjectId commitEdit(MemoryRepository memory, RevCommit parent, EditResult applied,
      Edit each, String builtOn, String target) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    applied.edits().forEach(file -> files.put(file.path(), file.content()));
    String message = commit.withBranch(target)
        .withTrailers(each.trailers(parent.name()))
        .withTrailer(RecordedEdits.BASE_TRAILER, builtOn)
        .withTrailer(RecordedEdits.EDIT_TRAILER, EditJson.toJson(each))
        .message(applied.summaries());
    return memory.commit(parent, parent.getTree(), files, message);
  }

  private static RevCommit parse(MemoryRepository memory, ObjectId id) throws IOException {
    try (RevWalk walk = new RevWalk(memory.repository())) {
      return walk.parseCommit(id);
    }
  }
}
