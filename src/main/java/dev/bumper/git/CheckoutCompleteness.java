package dev.bumper.git;

import dev.bumper.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryState;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Whether a checkout holds every file of HEAD. A clone stopped during its checkout (a cancelled CI
 * job, {@code timeout}) has HEAD but only some of its files, and no index: committing it would
 * delete every file never written, as a push of 49 files over a repository of 20,001 once did.
 *
 * <p>A clone bumper makes says how far it got in {@code .git/bumper/}: {@code checkout} while its
 * files are being written, {@code clone} once they all are. A checkout made by other means has
 * neither, and is judged by its index.
 */
final class CheckoutCompleteness {
  private CheckoutCompleteness() {}

  /** Marks the clone in {@code repo} as being checked out: until {@link #markComplete}, it is not. */
  static void markCheckoutStarted(Repository repo) throws IOException {
    Files.createDirectories(started(repo).getParent());
    AtomicFiles.write(started(repo), "a checkout by bumper, not finished\n".getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Marks the clone in {@code repo} complete. The first mark goes before the second is written: a
   * run killed between the two leaves neither, and the clone is judged by its index, which the
   * finished checkout wrote.
   */
  static void markComplete(Repository repo, String url) throws IOException {
    Files.deleteIfExists(started(repo));
    Files.createDirectories(complete(repo).getParent());
    AtomicFiles.write(complete(repo), (url + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Why nothing may be committed from the checkout of {@code repo}, or null: a checkout by bumper
   * that did not finish, or no index while HEAD has files (git would take every file as deleted).
   */
  static String unfinished(Repository repo) throws IOException {
    if (Files.exists(started(repo))) {
      return "bumper's clone was stopped before every file was checked out";
    }
    if (!Files.isRegularFile(repo.getIndexFile().toPath())) {
      ObjectId tree = repo.resolve(Constants.HEAD + "^{tree}");
      if (tree != null && !tree.equals(Constants.EMPTY_TREE_ID)) {
        return "it has no index: its checkout did not finish";
      }
    }
    return null;
  }

  /**
   * Why the clone in {@code repo} cannot be reused as it is, or null when it can: its checkout
   * finished and nothing (a merge, a rebase) is in progress; and unless bumper marked it complete,
   * its index matches HEAD. A marked clone's index may hold what a killed commit-push staged, and
   * its git locks are that run's, which the checkout lock removes; neither makes it incomplete.
   */
  static String untrusted(Repository repo) throws IOException {
    String unfinished = unfinished(repo);
    if (unfinished != null) {
      return unfinished;
    }
    if (repo.getRepositoryState() != RepositoryState.SAFE) {
      // JGit's descriptions ("Merged", "Rebase interactive") are states, not nouns: quoted as they are.
      return "an operation is in progress (" + repo.getRepositoryState().getDescription()
          + "): finish or abort it first";
    }
    if (Files.isRegularFile(complete(repo))) {
      return null;
    }
    if (Files.exists(repo.getDirectory().toPath().resolve("index.lock"))) {
      return "its index is locked: a checkout or commit was stopped, or is running";
    }
    ObjectId head = repo.resolve(Constants.HEAD + "^{tree}");
    if (head == null) {
      return "HEAD names no commit";
    }
    try (TreeWalk walk = new TreeWalk(repo)) {
      walk.addTree(head);
      walk.addTree(new DirCacheIterator(repo.readDirCache()));
      walk.setRecursive(true);
      walk.setFilter(TreeFilter.ANY_DIFF);
      if (walk.next()) {
        return "its index does not match HEAD at " + walk.getPathString() + ": its checkout did not finish";
      }
    }
    return null;
  }

  private static Path started(Repository repo) {
    return repo.getDirectory().toPath().resolve("bumper").resolve("checkout");
  }

  private static Path complete(Repository repo) {
    return repo.getDirectory().toPath().resolve("bumper").resolve("clone");
  }
}
