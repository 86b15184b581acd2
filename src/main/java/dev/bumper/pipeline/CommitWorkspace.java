package dev.bumper.pipeline;

import dev.bumper.edit.Edit;
import dev.bumper.git.EditChange;
import dev.bumper.git.PushOutcome;
import dev.bumper.git.RemoteUrl;
import dev.bumper.git.InMemoryCommitPush;

/**
 * A branch tip of a config repo fetched into memory, with no working tree: the edit reads its
 * blobs, and a push commits the change on the tip in memory and pushes it, applying the edit again
 * on the new tip after a lost race. A dry run fetches and applies, and commits nothing.
 */
public final class CommitWorkspace implements Workspace {
  private final Pushing pushing;
  private final RemoteUrl url;
  private final String branch;

  public CommitWorkspace(Pushing pushing, RemoteUrl url, String branch) {
    this.pushing = pushing;
    this.url = url;
    this.branch = branch;
  }

  @Override
  public Delivered deliver(Edit edit, Delivery delivery) {
    if (delivery == Delivery.FILES) {
      throw new IllegalArgumentException("a commit in memory has no files to write");
    }
    EditChange change = delivery == Delivery.PUSH ? EditChange.of(edit) : EditChange.preview(edit);
    PushOutcome outcome = pushing.remote().run(
        new InMemoryCommitPush(url, change, pushing.spec(branch, url)).setBranch(branch), InMemoryCommitPush::call);
    return new Delivered(change.last(), new PushReport(outcome, url.redacted()));
  }
}
