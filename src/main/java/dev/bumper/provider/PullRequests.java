package dev.bumper.provider;

import java.util.Optional;

/**
 * One repository's pull requests on its provider: GitHub's pull requests, GitLab's merge
 * requests. Every method is one or a few API calls and throws {@link ProviderException} for an
 * answer it did not expect, with the provider's message.
 */
public interface PullRequests {
  /**
   * Reads the repository through the API, before anything is pushed: a wrong token, provider or
   * API root is found while nothing has been written.
   */
  void checkAccess();

  /** The open request from branch {@code head} into {@code base}, if there is one. */
  Optional<PullRequest> findOpen(String head, String base);

  /**
   * When no request from branch {@code head} into {@code base} is open and the latest one was
   * merged or closed: the commit that request's head was then. The branch's work up to that
   * commit is done with.
   */
  Optional<String> finishedHead(String head, String base);

  /** Opens a request from {@code head} into {@code base}, then adds the labels and people. */
  PullRequest open(String head, String base, PullRequestContent content);

  /**
   * Sets the title and body of {@code request} and adds the labels, reviewers and assignees it
   * does not have yet; writes nothing the request already says.
   */
  PullRequest update(PullRequest request, PullRequestContent content);

  /**
   * Asks the provider to merge {@code request} once its checks pass (GitHub's auto-merge), if its
   * head is still {@code headSha}; a request that may be merged at once is merged now.
   *
   * @return whether it was merged now
   */
  boolean enableAutoMerge(PullRequest request, String headSha, MergeMethod method);

  /** Merges {@code request} now, if its head is still {@code headSha}. */
  MergeOutcome merge(PullRequest request, String headSha, MergeMethod method);
}
