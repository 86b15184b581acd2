package dev.bumper.pipeline;

import dev.bumper.edit.EditResult;

/**
 * An edit delivered: what it changed, the push when there was one, the pull request when the
 * delivery was one (else null).
 */
public record Delivered(EditResult result, PushReport push, PullRequestReport pullRequest) {
  public Delivered(EditResult result, PushReport push) {
    this(result, push, null);
  }

  /** The pull request, else the push, else null. */
  public DeliveryReport report() {
    return pullRequest != null ? pullRequest : push;
  }
}
