package dev.bumper.provider;

/** What came of asking a provider to merge a request now. */
public sealed interface MergeOutcome {
  /** Merged: {@code sha} is the commit the target branch now points at (or the merge commit). */
  record Merged(String sha) implements MergeOutcome {}

  /**
   * Not merged because the request is behind or its head is not the commit given: the target
   * moved, or another run pushed. Replaying the change on the new base and trying again may work.
   */
  record Behind(String message) implements MergeOutcome {}

  /** Not merged because a rule says no (a review, a check, a protected branch): exit 1. */
  record Refused(String message) implements MergeOutcome {}
}
