package dev.bumper.kustomize.archfixture;

import org.eclipse.jgit.lib.ObjectId;

/**
 * Deliberately wrong, for {@code ArchitectureTest}: a core class that uses JGit, even only to
 * shorten a commit id without touching a repository. Git is an edge ({@code dev.bumper.git}); the
 * core must not need JGit to be compiled or tested.
 */
public final class UsesJGit {
  private UsesJGit() {}

  public static String shortSha(String sha) {
    return ObjectId.fromString(sha).abbreviate(7).name();
  }
}
