package dev.bumper.git;

/**
 * What a commit and push did: whether a commit was made, its id (the unchanged tip when there was
 * nothing to commit), the branch, whether it was pushed, and the attempts it took.
 */
public record PushOutcome(boolean committed, String commit, String branch, boolean pushed, int attempts) {}
