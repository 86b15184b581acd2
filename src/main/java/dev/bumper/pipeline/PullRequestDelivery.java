package dev.bumper.pipeline;

import dev.bumper.edit.Edit;
import dev.bumper.git.PullRequestBranchPush;
import dev.bumper.git.PushFailedException;
import dev.bumper.git.RemoteUrl;
import dev.bumper.provider.MergeOutcome;
import dev.bumper.provider.ProviderException;
import dev.bumper.provider.PullRequest;
import dev.bumper.provider.PullRequestContent;
import dev.bumper.provider.PullRequests;
import dev.bumper.retry.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Delivers an edit through a pull request: the change is committed on the request's branch
 * ({@link PullRequestBranchPush}), then the open request from that branch is updated, or one is
 * opened; with auto-merge the provider is asked to merge it when its checks pass, with merge it
 * is merged now, and when the base moved under it the branch is built again on the new base and
 * the merge tried again, a bounded number of times. Nothing to change is no push and no write to
 * the provider's API.
 */
public final class PullRequestDelivery {
  private final Pushing pushing;
  private final RemoteUrl url;
  private final String base;
  private final PullRequestSpec spec;
  private final Supplier<PullRequests> provider;
  private final Reporter reporter;

  /** @param provider the provider's API, asked for only when the run talks to it */
  public PullRequestDelivery(Pushing pushing, RemoteUrl url, String base, PullRequestSpec spec,
      Supplier<PullRequests> provider, Reporter reporter) {
    this.pushing = pushing;
    this.url = url;
    this.base = base;
    this.spec = spec;
    this.provider = new Supplier<>() {
      private PullRequests api;

      @Override
      public synchronized PullRequests get() {
        if (api == null) {
          api = provider.get();
        }
        return api;
      }
    };
    this.reporter = reporter;
  }

  public Delivered deliver(Edit edit, boolean dryRun) {
    return deliver(List.of(edit), dryRun);
  }

  /** Delivers {@code edits}, one commit each, in one pull request. */
  public Delivered deliver(List<Edit> edits, boolean dryRun) {
    if (!dryRun) {
      // a read before any push: a wrong token, provider or API root stops the run unwritten
      provider.get().checkAccess();
    }
    PullRequestBranchPush.Outcome pushed = push(edits, !dryRun, false);
    if (dryRun) {
      return new Delivered(pushed.last(), null, new PullRequestReport(0, null, pushed.head(),
          pushed.base(), "none", "planned", pushed.headSha(), false, false, 0));
    }
    PullRequests api = provider.get();
    Optional<PullRequest> open = api.findOpen(pushed.head(), pushed.base());
    PullRequest request;
    String action;
    if (open.isPresent() && !pushed.pushed()) {
      request = open.get();
      action = "unchanged";
    } else if (open.isPresent()) {
      request = api.update(open.get(), content(pushed));
      action = "updated";
    } else if (pushed.pushed() || pushed.pending()) {
      // pending: an earlier run pushed the branch and stopped before its request was opened
      request = openOrUpdate(api, pushed, content(pushed));
      action = "opened";
    } else {
      reporter.verbose("nothing to change and no open pull request from " + pushed.head());
      return new Delivered(pushed.last(), null, new PullRequestReport(0, null, pushed.head(),
          pushed.base(), "none", "unchanged", pushed.headSha(), false, false, 0));
    }
    // the head git read, never the provider's view of it, which may lag behind a push
    String head = pushed.headSha();
    String state = "open";
    if (spec.autoMerge() && !action.equals("unchanged")
        && api.enableAutoMerge(request, head, spec.method())) {
      state = "merged";
    }
    int attempts = 0;
    if (spec.merge()) {
      Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(15),
          Backoff.Jitter.HALF, new Random());
      for (attempts = 1; ; attempts++) {
        MergeOutcome merged = api.merge(request, head, spec.method());
        if (merged instanceof MergeOutcome.Merged) {
          state = "merged";
          break;
        }
        if (merged instanceof MergeOutcome.Refused refused) {
          throw new ProviderException("merge of pull request #" + request.number() + " refused: "
              + refused.message());
        }
        String behind = ((MergeOutcome.Behind) merged).message();
        if (attempts >= spec.mergeAttempts()) {
          throw new PushFailedException(true, "merge of pull request #" + request.number()
              + " failed " + attempts + " times: " + behind + (pushed.foreign()
                  ? "; the branch holds commits bumper did not make, which it does not build"
                      + " again on a new base: update it by hand"
                  : ""));
        }
        reporter.verbose("merge of pull request #" + request.number() + " found the branch"
            + " behind (" + behind + "); building it again on " + pushed.base());
        sleep(backoff.delay(attempts));
        PullRequestBranchPush.Outcome again = push(edits, true, true);
        if (again.pushed()) {
          request = api.update(request, content(again));
          pushed = again;
        }
        head = again.headSha();
      }
    }
    return new Delivered(pushed.last(), null, new PullRequestReport(request.number(),
        request.url(), pushed.head(), pushed.base(), state, action, head, pushed.pushed(),
        spec.autoMerge(), attempts));
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException("interrupted while waiting to merge again");
    }
  }

  /**
   * Opens the request; when another run opened it since the look-up (the provider refuses a
   * second request for one branch), updates that one instead.
   */
  private PullRequest openOrUpdate(PullRequests api, PullRequestBranchPush.Outcome pushed,
      PullRequestContent content) {
    try {
      return api.open(pushed.head(), pushed.base(), content);
    } catch (ProviderException e) {
      Optional<PullRequest> raced = e.status() == 422 || e.status() == 409
          ? api.findOpen(pushed.head(), pushed.base()) : Optional.empty();
      if (raced.isEmpty()) {
        throw e;
      }
      return api.update(raced.get(), content);
    }
  }

  private PullRequestContent content(PullRequestBranchPush.Outcome pushed) {
    return new PullRequestContent(
        PullRequestText.title(spec.titleTemplate(), pushed.summaries(), spec.values()),
        PullRequestText.body(spec.bodyTemplate(), pushed.summaries(), pushed.results(),
            spec.values()),
        spec.draft(), spec.labels(), spec.reviewers(), spec.assignees());
  }

  private PullRequestBranchPush.Outcome push(List<Edit> edits, boolean write, boolean rebuild) {
    PullRequestBranchPush push = new PullRequestBranchPush(url, edits, pushing.spec(base, url),
        write)
        .setBase(base)
        .setHead(target -> PullRequestText.branch(spec.branchTemplate(), edits, target,
            spec.values()))
        .setRebuildWhenBehind(rebuild);
    if (write) {
      push.setFinished((head, target) -> provider.get().finishedHead(head, target));
    }
    return pushing.remote().run(push, PullRequestBranchPush::call);
  }
}
