package dev.bumper.io;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces files so that a reader, or the file after a crash, shows either the old or the new
 * content, never a mix or a truncated file: the content goes to a temp file in the same directory
 * (so the rename cannot cross file systems), is flushed to disk, and is renamed over the target.
 */
public final class AtomicFiles {

  private static final String MARKER = ".bumper-";
  private static final String SUFFIX = ".tmp";
  /** {@code .NAME.bumper-PID-RANDOM.tmp}; names without the PID come from earlier versions. */
  private static final Pattern TEMP_NAME =
      Pattern.compile("\\..+\\.bumper-(?:([0-9]{1,19})-)?[0-9a-f]{16}\\.tmp");
  private static final int NAME_ATTEMPTS = 10;
  /** The longest name a temp file is named after: the temp name adds up to 49 bytes to it. */
  private static final int MAX_NAMED_TEMP = 200;

  private static final Set<OpenOption> CREATE_NEW =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  private static final Set<PosixFilePermission> OWNER_ONLY =
      Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private AtomicFiles() {}

  /**
   * Atomically replaces (or creates) {@code file} with {@code content}.
   *
   * <p>When {@code file} exists on a POSIX file system, the new file gets its permission bits; a
   * new file gets the process's default (umask) permissions. Owner and group are those of the
   * writing process. The directory entry is what gets replaced: a symbolic link at {@code file}
   * becomes a regular file, so callers that mean to write through a link pass its target.
   *
   * <p>On failure the temp file is removed and {@code file} is unchanged.
   */
  public static void write(Path file, byte[] content) throws IOException {
    Staged staged = stage(file, content);
    staged.place();
  }

  /**
   * A file's new content, written in full to a temp file beside it and flushed, with its mode:
   * what is left to do is the rename, which {@link #place} does, or {@link #discard}.
   */
  private static final class Staged {
    private final Path file;
    private Path tmp;

    private Staged(Path file, Path tmp) {
      this.file = file;
      this.tmp = tmp;
    }

    /** Renames the temp file over the file; on failure the temp file is gone and the file unchanged. */
    void place() throws IOException {
      try {
        Files.move(tmp, file, ATOMIC_MOVE, REPLACE_EXISTING);
      } catch (IOException | RuntimeException | Error e) {
        discard(e);
        throw e;
      }
      tmp = null;
      syncDirectory(file.toAbsolutePath().getParent());
    }

    /** Removes the temp file, if it is still there; a failure to is added to {@code cause}. */
    void discard(Throwable cause) {
      if (tmp == null) {
        return;
      }
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException | RuntimeException cleanup) {
        cause.addSuppressed(cleanup);
      }
      tmp = null;
    }
  }

  private static Staged stage(Path file, byte[] content) throws IOException {
    Objects.requireNonNull(content, "content");
    Path name = file.getFileName();
    if (name == null) {
      throw new IllegalArgumentException("not a file path: " + file);
    }
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      // the rename would fail, and in a batch only after the files before it were replaced
      throw new FileSystemException(file.toString(), null, "Is a directory");
    }
    Set<PosixFilePermission> mode = existingMode(file);
    // While an existing file's mode is not yet applied the temp file is owner-only, so content
    // meant for a restricted file is never readable by others, even briefly.
    FileAttribute<?>[] attributes =
        mode == null
            ? new FileAttribute<?>[0]
            : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
    Staged staged = null; // set once its temp file is made: cleanup never deletes a file it did not create
    try {
      FileChannel channel = null;
      for (int attempt = 1; channel == null; attempt++) {
        Path candidate = tempSibling(file, name);
        try {
          // CREATE_NEW never opens an existing file or follows a planted symlink.
          channel = FileChannel.open(candidate, CREATE_NEW, attributes);
          staged = new Staged(file, candidate);
        } catch (FileAlreadyExistsException e) {
          if (attempt == NAME_ATTEMPTS) {
            throw e;
          }
        }
      }
      try (FileChannel out = channel) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        // Without this, a crash soon after the rename can leave the new name with no data.
        out.force(true);
      }
      if (mode != null) {
        Files.setPosixFilePermissions(staged.tmp, mode);
      }
      return staged;
    } catch (IOException | RuntimeException | Error e) {
      if (staged != null) {
        staged.discard(e);
      }
      throw e;
    }
  }

  /**
   * A temp file beside {@code file}, named after it when the name can be written back as a path.
   * Under a C or POSIX locale Java cannot turn a name with non-ASCII bytes back into a path, so
   * such a file's temp file gets a plain name; the rename still lands on the original bytes.
   */
  private static Path tempSibling(Path file, Path name) {
    if (name.toString().getBytes(StandardCharsets.UTF_8).length > MAX_NAMED_TEMP) {
      // a temp name longer than 255 bytes, which no common file system takes
      return file.resolveSibling(tempName("file"));
    }
    try {
      return file.resolveSibling(tempName(name.toString()));
    } catch (java.nio.file.InvalidPathException e) {
      return file.resolveSibling(tempName("file"));
    }
  }

  /**
   * Writes each file with {@link #write} to its real path inside {@code root}, in the map's
   * iteration order, stopping at the first failure. Every file is checked before the first write
   * and again right before its own: none is written through a link that leaves the root.
   *
   * @throws OutsideRootException when a file leads outside the root; nothing is written
   * @throws PartialWriteException naming the file that failed and the files already replaced
   */
  public static void writeAll(WriteRoot root, Map<Path, byte[]> files) throws IOException {
    for (Path file : files.keySet()) {
      root.resolve(file);
    }
    writeEach(files, root::resolve);
  }

  /** Writes {@code file} with {@link #write} to its real path, checked to be inside {@code root}. */
  public static void write(WriteRoot root, Path file, byte[] content) throws IOException {
    write(root.resolve(file), content);
  }

  /**
   * Writes each file with {@link #write}, in the map's iteration order, stopping at the first
   * failure.
   *
   * @throws PartialWriteException naming the file that failed and the files already replaced
   */
  public static void writeAll(Map<Path, byte[]> files) throws PartialWriteException {
    // Checked up front so that a bad argument fails before anything is written.
    files.forEach(
        (path, content) -> {
          Objects.requireNonNull(path, "path");
          Objects.requireNonNull(content, () -> "content of " + path);
        });
    writeEach(files, file -> file);
  }

  /** Where a file's bytes go: the file itself, or its real path checked against a root. */
  private interface Destination {
    Path of(Path file) throws IOException;
  }

  /**
   * Writes every file's content beside it first, and only then renames each into place: what can
   * fail (a directory that takes no new file, a full disk, a file in the way) fails before any
   * file is replaced. Each destination is checked again right before its rename, so a link
   * planted meanwhile is not written through.
   */
  private static void writeEach(Map<Path, byte[]> files, Destination destination) throws PartialWriteException {
    List<Staged> staged = new ArrayList<>();
    List<Path> written = new ArrayList<>();
    Path current = null;
    try {
      for (Map.Entry<Path, byte[]> entry : files.entrySet()) {
        current = entry.getKey();
        staged.add(stage(destination.of(current), entry.getValue()));
      }
      int i = 0;
      for (Path file : files.keySet()) {
        current = file;
        Staged next = staged.get(i++);
        if (!destination.of(file).equals(next.file)) {
          throw new FileSystemException(file.toString(), null, "moved while being written");
        }
        next.place();
        written.add(file);
      }
    } catch (IOException e) {
      staged.forEach(left -> left.discard(e));
      throw new PartialWriteException(current, written, e);
    } catch (RuntimeException | Error e) {
      staged.forEach(left -> left.discard(e));
      throw e;
    }
  }

  /** Whether {@code path}'s name is one {@link #write} gives its temp files. */
  public static boolean isTempFile(Path path) {
    Path name = path.getFileName();
    return name != null && TEMP_NAME.matcher(name.toString()).matches();
  }

  /**
   * Whether a temp file was left by a run that is over: one whose process no longer exists. The
   * writer's process id is in the name, so a run never takes the temp file of a run still
   * writing, in this directory, at the same time.
   */
  public static boolean isStaleTempFile(Path path) {
    Path name = path.getFileName();
    Matcher m = name == null ? null : TEMP_NAME.matcher(name.toString());
    if (m == null || !m.matches()) {
      return false;
    }
    if (m.group(1) == null) {
      return true;
    }
    long pid;
    try {
      pid = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return true;
    }
    return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  /**
   * Deletes {@code file} if it is a {@linkplain #isStaleTempFile stale temp file} (a regular
   * file, not a link); returns whether it did.
   */
  public static boolean removeIfStale(Path file) throws IOException {
    return isStaleTempFile(file)
        && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
        && Files.deleteIfExists(file);
  }

  /**
   * Deletes the temp files that {@link #write} left in {@code dir} (not in subdirectories) when a
   * process died mid-write, and returns how many it deleted. Temp files of runs still writing
   * are kept.
   */
  public static int removeStaleTempFiles(Path dir) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, AtomicFiles::isTempFile)) {
      for (Path entry : entries) {
        if (removeIfStale(entry)) {
          removed++;
        }
      }
    }
    return removed;
  }

  /** A fresh name matching {@link #isTempFile}; package-private so tests can check that. */
  static String tempName(String fileName) {
    long random = ThreadLocalRandom.current().nextLong();
    return "." + fileName + MARKER + ProcessHandle.current().pid() + "-" + String.format("%016x", random) + SUFFIX;
  }

  /** The permissions of {@code file}, or null when it does not exist or they are not POSIX. */
  private static Set<PosixFilePermission> existingMode(Path file) throws IOException {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return null;
    }
    try {
      return Files.getPosixFilePermissions(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * Flushes the rename itself to disk. Best effort: not every platform can open a directory
   * (Windows cannot), and the new content is in place either way.
   */
  private static void syncDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      // Nothing to undo; durability of the rename is all that is lost.
    }
  }
}
