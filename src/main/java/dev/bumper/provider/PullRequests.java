package dev.bumper.provider;

import java.util.Optional;

/**
 * One repository's pull requests on its provider: GitHub's pull requests, GitLab's merge
 * requests. Every method is one or a few API calls and throws {@link ProviderException} for an
 * answer it did not expect, with the provider's message.
 */
public interface PullRequests {
  /** The open request from branch {@code head} into {@code base}, if there is one. */
  Optional<PullRequest> findOpen(String head, String base);

  /**
   * Whether a request from branch {@code head} into {@code base} was merged or closed, and none
   * is open: the branch's work is done with.
   */
  boolean wasFinished(String head, String base);

  /** Opens a request from {@code head} into {@code base}, then adds the labels and people. */
  PullRequest open(String head, String base, PullRequestContent content);

  /**
   * Sets the title and body of {@code request} and adds the labels, reviewers and assignees it
   * does not have yet; writes nothing the request already says.
   */
  PullRequest update(PullRequest request, PullRequestContent content);

  /**
   * Asks the provider to merge {@code request} once its checks pass (GitHub's auto-merge); a
   * request that may be merged at once is merged now.
   *
   * @return whether it was merged now
   */
  boolean enableAutoMerge(PullRequest request, MergeMethod method);

  /** Merges {@code request} now, if its head is still {@code headSha}. */
  MergeOutcome merge(PullRequest request, String headSha, MergeMethod method);
}
