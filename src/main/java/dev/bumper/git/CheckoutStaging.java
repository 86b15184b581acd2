package dev.bumper.git;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.Failure;
import dev.bumper.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jgit.api.AddCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;

/**
 * What of a checkout a commit takes: changes to tracked files under the pathspecs, and of the new
 * files, those bumper's recorded edits made, those a pathspec names, or all of them when asked;
 * never a temp file of bumper's atomic writes.
 */
final class CheckoutStaging {
  private final Repository repo;
  private final List<String> pathspecs;
  private final boolean addNew;
  private final Consumer<String> warn;
  private final Consumer<String> log;
  /** The entries under the pathspecs {@code git add -N} made, which add -u stages: found by checkIndex. */
  private final Set<String> intentsToAdd = new java.util.TreeSet<>();

  CheckoutStaging(Repository repo, List<String> pathspecs, boolean addNew, Consumer<String> warn, Consumer<String> log) {
    this.repo = repo;
    this.pathspecs = pathspecs;
    this.addNew = addNew;
    this.warn = warn;
    this.log = log;
  }

  /** The files a commit would take, staging nothing. */
  List<String> preview(List<IntentStore.Recorded> recorded) throws GitAPIException, IOException {
    checkIndex(recorded);
    Status result = status();
    java.util.TreeSet<String> files = new java.util.TreeSet<>();
    files.addAll(result.getAdded());
    files.addAll(result.getChanged());
    files.addAll(result.getRemoved());
    files.addAll(trackedChanges(result));
    files.addAll(newFilesToCommit(result, recorded, true));
    return new ArrayList<>(files);
  }

  Status status() throws GitAPIException {
    StatusCommand status = Git.wrap(repo).status();
    // "." is the whole tree, which JGit's status, given it as a path, takes for none at all
    if (!pathspecs.contains(".")) {
      pathspecs.forEach(status::addPath);
    }
    return status.call();
  }

  /**
   * The tracked files whose change {@code add -u} stages: modified, missing or conflicting, and
   * those only intended to add ({@code git add -N}), which JGit's status does not report. Like
   * git's, the status passes over files flagged skip-worktree or assume-unchanged.
   */
  private java.util.SortedSet<String> trackedChanges(Status status) {
    java.util.SortedSet<String> tracked = new java.util.TreeSet<>(intentsToAdd);
    tracked.addAll(status.getModified());
    tracked.addAll(status.getMissing());
    tracked.addAll(status.getConflicting());
    return tracked;
  }

  /**
   * The untracked files under the pathspecs that the commit takes: all with {@code addNew},
   * else those bumper's recorded edits made and those a pathspec names; the others are warned of.
   * Temp files of bumper's atomic writes never are, and one a killed run left is removed (not in
   * a dry run, which changes nothing).
   */
  List<String> newFilesToCommit(Status status, List<IntentStore.Recorded> recorded, boolean dryRun)
      throws IOException {
    java.util.Set<String> byIntents = new java.util.HashSet<>();
    recorded.forEach(r -> byIntents.addAll(r.intent().files()));
    List<String> taken = new ArrayList<>();
    List<String> leftOut = new ArrayList<>();
    for (String path : new java.util.TreeSet<>(status.getUntracked())) {
      Path file = repo.getWorkTree().toPath().resolve(path);
      if (AtomicFiles.isTempFile(file)) {
        if (!dryRun) {
          removeIfStale(file, path);
        }
        continue;
      }
      if (addNew || byIntents.contains(path) || pathspecs.contains(path)) {
        taken.add(path);
      } else {
        leftOut.add(path);
      }
    }
    if (!leftOut.isEmpty()) {
      List<String> named = leftOut.size() > 10 ? leftOut.subList(0, 10) : leftOut;
      warn.accept("warning: " + leftOut.size() + (leftOut.size() == 1 ? " new file" : " new files")
          + " not committed: " + String.join(", ", named) + (leftOut.size() > named.size() ? ", ..." : "")
          + " (commit-push takes tracked files and the files bumper's edits made; name a file, or give --add-new)");
    }
    return taken;
  }

  /**
   * Stages the changes to tracked files under the pathspecs and the new files the commit takes
   * ({@code addNew}), and returns the tree the index now holds.
   */
  ObjectId stage(List<IntentStore.Recorded> recorded) throws GitAPIException, IOException {
    checkIndex(recorded);
    Status status = status();
    List<String> newFiles = newFilesToCommit(status, recorded, false);
    // `add -u` of exactly the tracked files the status found changed, which is what `add -u` of
    // the pathspecs stages: its walk then enters only their directories. Over the pathspecs it
    // walked and compared the whole tree a second time, 0.7 s of a clone-mode bump of 20,000
    // files. The checkout lock keeps other runs from changing the files in between. Nor is a
    // file flagged skip-worktree or assume-unchanged given to JGit's `add -u`, which stages one,
    // and the absence of each file a sparse checkout leaves out as its deletion.
    java.util.SortedSet<String> tracked = trackedChanges(status);
    if (!tracked.isEmpty()) {
      AddCommand update = Git.wrap(repo).add().setUpdate(true);
      tracked.forEach(update::addFilepattern);
      update.call();
    }
    if (!newFiles.isEmpty()) {
      AddCommand add = Git.wrap(repo).add();
      newFiles.forEach(add::addFilepattern);
      add.call();
    }
    addedIntents();
    unstageTempFiles();
    DirCache index = withoutIntentToAdd(repo.readDirCache());
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      ObjectId tree = index.writeTree(inserter);
      inserter.flush();
      return tree;
    }
  }

  /**
   * Clears the intent-to-add flag of the entries add -u just staged, as git's add does: JGit's
   * keeps it on the entry it fills in, which would leave the file out of the tree.
   */
  private void addedIntents() throws IOException {
    if (intentsToAdd.isEmpty()) {
      return;
    }
    DirCache index = repo.lockDirCache();
    try {
      org.eclipse.jgit.dircache.DirCacheBuilder builder = index.builder();
      for (int i = 0; i < index.getEntryCount(); i++) {
        DirCacheEntry entry = index.getEntry(i);
        if (entry.isIntentToAdd() && intentsToAdd.contains(entry.getPathString())) {
          // JGit has no setter for the flag: the same entry again, without it
          DirCacheEntry added = new DirCacheEntry(entry.getRawPath(), entry.getStage());
          added.setFileMode(entry.getFileMode());
          added.setObjectId(entry.getObjectId());
          added.setLength(entry.getLength());
          added.setLastModified(entry.getLastModifiedInstant());
          entry = added;
        }
        builder.add(entry);
      }
      builder.commit();
    } finally {
      index.unlock();
    }
  }

  /**
   * The index as git writes a tree from it: without the entries {@code git add -N} made that are
   * still only an intent to add (under the pathspecs, {@code add -u} has staged them), which
   * JGit's writeTree would commit as empty files.
   */
  private static DirCache withoutIntentToAdd(DirCache index) {
    boolean any = false;
    for (int i = 0; i < index.getEntryCount() && !any; i++) {
      any = index.getEntry(i).isIntentToAdd();
    }
    if (!any) {
      return index;
    }
    DirCache tree = DirCache.newInCore();
    org.eclipse.jgit.dircache.DirCacheBuilder builder = tree.builder();
    for (int i = 0; i < index.getEntryCount(); i++) {
      if (!index.getEntry(i).isIntentToAdd()) {
        builder.add(index.getEntry(i));
      }
    }
    builder.finish();
    return tree;
  }

  /**
   * Checks the index before a commit, and notes the entries under the pathspecs that are only
   * intended to add.
   *
   * @throws InvalidTreeException for an entry under the pathspecs whose name is not UTF-8: its
   *     file cannot be found under that name, so the status reports it missing, and staging the
   *     whole tree deleted it
   * @throws Failure for a file flagged skip-worktree or assume-unchanged that one of bumper's
   *     recorded edits changed: git leaves such a file as the index has it, so the commit would
   *     leave the edit out without a word
   */
  private void checkIndex(List<IntentStore.Recorded> recorded) throws IOException {
    DirCache index = repo.readDirCache();
    Set<String> flagged = new java.util.HashSet<>();
    intentsToAdd.clear();
    for (int i = 0; i < index.getEntryCount(); i++) {
      DirCacheEntry entry = index.getEntry(i);
      byte[] name = entry.getRawPath();
      if (GitNames.utf8(name, 0, name.length) == null && underPathspecs(name)) {
        throw GitNames.notUtf8(name, "a commit made by bumper", "nothing committed; commit with git");
      }
      if (entry.isAssumeValid() || entry.isSkipWorkTree()) {
        flagged.add(entry.getPathString());
      } else if (entry.isIntentToAdd() && underPathspecs(name)) {
        intentsToAdd.add(entry.getPathString());
      }
    }
    for (IntentStore.Recorded edit : recorded) {
      for (String file : edit.intent().files()) {
        if (flagged.contains(file)) {
          String flag = index.getEntry(file).isSkipWorkTree() ? "skip-worktree" : "assume-unchanged";
          throw new Failure(ExitCode.FAILURE, file + ": changed by " + edit.intent().command()
              + ", but flagged " + flag + ", which keeps a change out of the commit; nothing committed"
              + " (git update-index --no-" + flag + " " + file + " lets it in)");
        }
      }
    }
  }

  /** Whether a path of the index (its own bytes) is one the pathspecs take: all, without any. */
  private boolean underPathspecs(byte[] path) {
    if (pathspecs.isEmpty()) {
      return true;
    }
    for (String pathspec : pathspecs) {
      String trimmed = pathspec.equals(".") ? "" : pathspec.replaceAll("/+$", "");
      byte[] spec = trimmed.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (spec.length == 0 || (java.util.Arrays.equals(path, 0, Math.min(spec.length, path.length), spec, 0, spec.length)
          && (path.length == spec.length || path[spec.length] == '/'))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Keeps the temp files of bumper's atomic writes out of the commit: one left by an edit that
   * was killed mid-write is deleted, one of a run still writing is only left unstaged.
   */
  private void unstageTempFiles() throws IOException {
    DirCache index = repo.lockDirCache();
    try {
      DirCacheEditor editor = index.editor();
      boolean found = false;
      for (int i = 0; i < index.getEntryCount(); i++) {
        String path = index.getEntry(i).getPathString();
        Path file = repo.getWorkTree().toPath().resolve(path);
        if (AtomicFiles.isTempFile(file)) {
          editor.add(new DirCacheEditor.DeletePath(path));
          found = true;
          removeIfStale(file, path);
        }
      }
      if (found) {
        editor.commit();
      }
    } finally {
      index.unlock();
    }
  }

  /** A temp file of bumper's atomic writes is never committed; one a killed run left goes. */
  private void removeIfStale(Path file, String path) throws IOException {
    if (AtomicFiles.removeIfStale(file)) {
      log.accept("removed " + path + ", left by a run that did not finish");
    }
  }

}
