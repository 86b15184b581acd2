package dev.bumper.git;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Bumps a config repo without a working tree: fetches the branch tip shallowly into a temporary
 * bare repository, applies a {@link TreeChange} to the blobs it reads, writes new blobs, trees and
 * a commit, and pushes. When the push loses a race, the change is applied again on the new tip,
 * with jittered exponential backoff, up to {@code attempts} times.
 */
public final class InMemoryCommitPush extends RemoteCommand<InMemoryCommitPush> {
  private final TreeChange change;
  private final CommitSpec commit;
  private String branch;

  public InMemoryCommitPush(RemoteUrl url, TreeChange change, CommitSpec commit) {
    super(url);
    this.change = change;
    this.commit = commit;
  }

  /** The branch to bump; default: the remote's default branch. */
  public InMemoryCommitPush setBranch(String branch) {
    this.branch = branch;
    return this;
  }

  /**
   * Runs the bump.
   *
   * @throws dev.bumper.edit.EditFailedException when the change fails on the repo's content
   * @throws PushFailedException when the push is refused or keeps losing races
   * @throws IOException for a transport or storage failure, its message free of credentials
   */
  public PushOutcome call() throws IOException {
    try (MemoryRepository memory = new MemoryRepository(this)) {
      memory.setAuthor(commit.author());
      Repository repo = memory.repository();
      PhaseClock clock = new PhaseClock(log);
      String target = branch;
      for (int attempt = 1; ; attempt++) {
        long started = System.nanoTime();
        List<String> scope = change.scope();
        RevCommit tip = null;
        boolean partial = false;
        if (target == null) {
          MemoryRepository.Fetched head = memory.fetchHead(1, scope != null);
          if (head != null) {
            target = head.branch();
            tip = head.tip();
            partial = head.withoutBlobs();
          } else {
            target = memory.defaultBranch();
            clock.lap("listed the remote's branches");
          }
        }
        if (tip == null && scope != null) {
          tip = memory.fetchTrees(target, 1);
          partial = tip != null;
        }
        if (tip == null) {
          tip = memory.fetch(target, 1);
        }
        clock.lap("fetched " + target + (partial ? " without blobs" : ""));
        TreeChange.Result result;
        try (ObjectReader reader = repo.newObjectReader();
            TreeSnapshot snapshot =
                new TreeSnapshot(reader, tip.getTree(), partial ? memory::missing : null)) {
          if (partial) {
            memory.missing(snapshot.blobsUnder(scope));
            clock.lap("fetched the blobs under " + String.join(", ", scope));
          }
          result = change.apply(snapshot);
        }
        clock.lap("bumped the tree");
        if (result.files().isEmpty()) {
          return new PushOutcome(false, tip.name(), target, false, attempt);
        }
        ObjectId created = memory.commit(tip, tip.getTree(), result.files(),
            commit.withBranch(target).withTrailers(change.trailers(tip.name()))
                .message(result.summaries()));
        clock.lap("wrote the commit");
        PushStatus status = memory.push(created, target, null);
        clock.lap("pushed");
        switch (status.verdict()) {
          case OK:
            return new PushOutcome(true, created.name(), target, true, attempt);
          case FATAL:
            throw new PushFailedException(false, "push to " + url.redacted() + " refused: " + mask(status.message()));
          default:
            if (attempt >= attempts) {
              throw new PushFailedException(
                  true, "push to " + url.redacted() + " lost: the branch " + target + " kept moving for " + attempts + " attempts");
            }
            backOff(attempt, Duration.ofNanos(System.nanoTime() - started), "push lost a race ("
                + status.message() + "); applying the bump again on the new tip");
        }
      }
    } catch (GitAPIException e) {
      throw new IOException(mask(e.getMessage()), null);
    }
  }
}
