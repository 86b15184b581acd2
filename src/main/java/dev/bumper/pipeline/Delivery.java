package dev.bumper.pipeline;

/** What becomes of an edit's change. */
public enum Delivery {
  /** Written to the workspace's files, each atomically, all or none. */
  FILES,
  /** Nothing written: shown as a unified diff ({@code --dry-run}). */
  DIFF,
  /** Committed and pushed; a lost race applies the edit again on the new tip. */
  PUSH
}
