package dev.bumper.provider;

/** How a request is merged: a merge commit, one squashed commit, or its commits rebased. */
public enum MergeMethod {
  MERGE,
  SQUASH,
  REBASE
}
