package dev.bumper.git;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.CoreConfig;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.WorkingTreeOptions;
import org.eclipse.jgit.util.RawParseUtils;
import org.eclipse.jgit.util.SystemReader;

/**
 * The checkout of a new clone: writes the commit's tree into the empty work tree and the index
 * that records it, as {@code git clone} does, after checking the tree as {@link TreeCheck} does.
 *
 * <p>JGit's {@link DirCacheCheckout} writes each file to a temporary file and renames it, asks
 * the file system about it four more times and resolves its attributes: 1.36 s of a 4.4 s
 * clone-mode push of 20,000 files on tmpfs. Into an empty directory, a file can be
 * created in place (never over anything: created new, so not through a link either), and
 * written by every core. Where a file's bytes could differ from its blob's (a
 * {@code .gitattributes} in the tree or configured, {@code core.autocrlf}), where links are not
 * links ({@code core.symlinks=false}), where names fold case (Windows, macOS), and for a
 * submodule, JGit's checkout does the work, as before.
 */
final class FreshCheckout {
  private final Repository repo;
  private final File workTree;

  private FreshCheckout(Repository repo) {
    this.repo = repo;
    this.workTree = repo.getWorkTree();
  }

  /**
   * Checks {@code tree} and checks it out into the repository's empty work tree and index.
   *
   * @return what the user should know of the checkout: the links it could not write as the tree
   *     has them
   */
  static List<String> checkout(Repository repo, RevTree tree) throws IOException {
    return new FreshCheckout(repo).run(tree);
  }

  /** A file of the tree to write. */
  private record Entry(String path, int mode, ObjectId id) {}

  private List<String> run(RevTree tree) throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<Entry> links = new ArrayList<>();
    WorkingTreeOptions options = repo.getConfig().get(WorkingTreeOptions.KEY);
    boolean[] plain = {plainWorkTree(options)};
    List<String> notes = new ArrayList<>();
    try (ObjectReader reader = repo.newObjectReader()) {
      TreeCheck.walk(reader, tree, (path, mode, id, notUtf8) -> {
        if (notUtf8 != null) {
          // neither this checkout nor JGit's can create the name git would, and the clone's
          // commit would rename the file
          throw GitNames.notUtf8(notUtf8, "a clone made by bumper", "nothing written; change it with git");
        }
        if (FileMode.SYMLINK.equals(mode)) {
          links.add(new Entry(path, mode, id.copy()));
        }
        if (plain[0]) {
          plain[0] = writesAsIs(path, mode, options);
          entries.add(new Entry(path, mode, id.copy()));
        }
      });
      if (options.getSymLinks() != CoreConfig.SymLinks.FALSE) {
        for (Entry link : links) {
          String note = rewrittenLink(link.path(), target(reader, link));
          if (note != null) {
            notes.add(note);
          }
        }
      }
    }
    if (!plain[0]) {
      DirCache index = repo.lockDirCache();
      try {
        new DirCacheCheckout(repo, index, tree).checkout();
      } finally {
        index.unlock();
      }
      return notes;
    }
    List<DirCacheEntry> written = write(entries, options);
    // Locked only now: the index takes a file changed after its lock file was made for racily
    // clean, and has git and JGit read it again to tell; locked first, that was every file.
    DirCache index = repo.lockDirCache();
    try {
      DirCacheBuilder builder = index.builder();
      written.forEach(builder::add);
      builder.commit();
    } finally {
      index.unlock();
    }
    return notes;
  }

  /**
   * What to say of a link whose target a link made through Java reads differently: Java's paths
   * keep no trailing or doubled slash, and JGit's checkout makes links through them too. The
   * link leads where git's would, but git sees it changed, and a {@code git commit -a} in the
   * clone would commit it so; bumper's own commits take it as the index has it. Null for a
   * target written as it is.
   */
  private static String rewrittenLink(String path, String target) {
    String written;
    try {
      written = java.nio.file.Path.of(target).toString();
    } catch (java.nio.file.InvalidPathException e) {
      return null; // not a link that can be made at all: the checkout fails on it, and says so
    }
    if (written.equals(target)) {
      return null;
    }
    return "warning: " + path + ": a link to \"" + target + "\", made as a link to \"" + written
        + "\" (links made through Java keep no trailing or doubled slash): git status shows it"
        + " changed, and git commit -a would commit it so";
  }

  private static String target(ObjectReader reader, Entry link) throws IOException {
    return RawParseUtils.decode(reader.open(link.id(), Constants.OBJ_BLOB).getCachedBytes());
  }

  /**
   * Whether a file of the tree is written as its blob's bytes, as this class writes it: not a
   * submodule, not a link where links are files, not an attributes file.
   */
  private static boolean writesAsIs(String path, int mode, WorkingTreeOptions options) {
    if (FileMode.GITLINK.equals(mode)) {
      return false;
    }
    if (FileMode.SYMLINK.equals(mode) && options.getSymLinks() == CoreConfig.SymLinks.FALSE) {
      return false;
    }
    return !(path.equals(Constants.DOT_GIT_ATTRIBUTES) || path.endsWith("/" + Constants.DOT_GIT_ATTRIBUTES));
  }

  /**
   * Whether nothing configured changes bytes or names on the way out: no line-ending conversion,
   * no attributes from outside the tree, names that do not fold case.
   */
  private boolean plainWorkTree(WorkingTreeOptions options) {
    SystemReader system = SystemReader.getInstance();
    if (system.isWindows() || system.isMacOS() || repo.isWorkTreeCaseInsensitive()) {
      return false;
    }
    if (options.getAutoCRLF() != CoreConfig.AutoCRLF.FALSE) {
      return false;
    }
    // the attributes JGit's checkout reads besides the tree's: a new clone has no info/attributes
    return repo.getConfig().get(CoreConfig.KEY).getAttributesFile() == null;
  }

  /**
   * Makes the directories, then writes the files on every core, then makes the links: a link is
   * made only once every file is in place, so no file is ever written through one.
   */
  private List<DirCacheEntry> write(List<Entry> entries, WorkingTreeOptions options) throws IOException {
    Set<String> made = new HashSet<>();
    List<Entry> files = new ArrayList<>();
    List<Entry> links = new ArrayList<>();
    for (Entry entry : entries) {
      makeParents(entry.path(), made);
      (FileMode.SYMLINK.equals(entry.mode()) ? links : files).add(entry);
    }
    List<DirCacheEntry> written = new ArrayList<>(entries.size());
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), files.size() / 256));
    List<List<Entry>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      parts.add(new ArrayList<>());
    }
    for (int i = 0; i < files.size(); i++) {
      // interleaved, so each thread reads the pack in the order it was written
      parts.get(i % threads).add(files.get(i));
    }
    boolean execute = options.isFileMode() && repo.getFS().supportsExecute();
    AtomicBoolean stop = new AtomicBoolean();
    List<Writer> writers = new ArrayList<>();
    for (List<Entry> part : parts) {
      writers.add(new Writer(part, execute, stop));
    }
    List<Thread> started = new ArrayList<>();
    for (Writer writer : writers.subList(1, writers.size())) {
      Thread thread = new Thread(writer, "bumper-checkout-" + started.size());
      thread.setDaemon(true);
      thread.start();
      started.add(thread);
    }
    writers.get(0).run();
    // Every writer is waited for, whatever happened: the clone is removed on a failure, which
    // must not race a writer still creating files in it.
    boolean interrupted = false;
    for (Thread thread : started) {
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
          stop.set(true);
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while checking out");
    }
    for (Writer writer : writers) {
      if (writer.failure instanceof IOException e) {
        throw e;
      } else if (writer.failure instanceof Error e) {
        throw e; // an OutOfMemoryError stays one, for the command to report as such
      } else if (writer.failure != null) {
        throw new IOException(writer.failure.getMessage(), writer.failure);
      }
      written.addAll(writer.done);
    }
    if (written.size() != files.size()) {
      // a writer stopped without a failure: an index of part of the tree would commit the rest
      // as deleted
      throw new IOException("checkout stopped after " + written.size() + " of " + files.size() + " files");
    }
    try (ObjectReader reader = repo.newObjectReader()) {
      for (Entry link : links) {
        written.add(makeLink(reader, link));
      }
    }
    return written;
  }

  private void makeParents(String path, Set<String> made) throws IOException {
    int slash = path.lastIndexOf('/');
    if (slash < 0 || made.contains(path.substring(0, slash))) {
      return;
    }
    for (int at = path.indexOf('/'); at >= 0; at = path.indexOf('/', at + 1)) {
      String dir = path.substring(0, at);
      if (made.add(dir)) {
        Files.createDirectory(new File(workTree, dir).toPath());
      }
    }
  }

  /** Writes a share of the files, each with its own reader of the repository, until one fails. */
  private final class Writer implements Runnable {
    private final List<Entry> files;
    private final boolean execute;
    private final AtomicBoolean stop;
    private final List<DirCacheEntry> done = new ArrayList<>();
    private Throwable failure;

    Writer(List<Entry> files, boolean execute, AtomicBoolean stop) {
      this.files = files;
      this.execute = execute;
      this.stop = stop;
    }

    @Override
    public void run() {
      try (ObjectReader reader = repo.newObjectReader()) {
        for (Entry entry : files) {
          if (stop.get()) {
            return;
          }
          done.add(writeFile(reader, entry, execute));
        }
      } catch (Throwable e) {
        // anything, an Error too: a writer that ended without a word would leave an index of
        // part of the tree
        failure = e;
        stop.set(true);
      }
    }
  }

  private DirCacheEntry writeFile(ObjectReader reader, Entry entry, boolean execute) throws IOException {
    ObjectLoader blob = reader.open(entry.id(), Constants.OBJ_BLOB);
    File file = new File(workTree, entry.path());
    try (OutputStream out = Files.newOutputStream(file.toPath(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      blob.copyTo(out);
    }
    if (execute && FileMode.EXECUTABLE_FILE.equals(entry.mode())) {
      repo.getFS().setExecute(file, true);
    }
    return indexed(entry, file);
  }

  private DirCacheEntry makeLink(ObjectReader reader, Entry entry) throws IOException {
    String target = target(reader, entry);
    File link = new File(workTree, entry.path());
    repo.getFS().createSymLink(link, target);
    return indexed(entry, link);
  }

  /** The index entry of a file just written: its blob, mode and what the file system says of it. */
  private static DirCacheEntry indexed(Entry entry, File file) throws IOException {
    BasicFileAttributes attributes =
        Files.readAttributes(file.toPath(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    DirCacheEntry index = new DirCacheEntry(entry.path());
    index.setFileMode(FileMode.fromBits(entry.mode()));
    index.setObjectId(entry.id());
    index.setLength(attributes.size());
    index.setLastModified(attributes.lastModifiedTime().toInstant());
    return index;
  }
}
