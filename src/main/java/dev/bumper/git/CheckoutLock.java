package dev.bumper.git;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One bumper run at a time in a checkout: two bumps in one file would otherwise each read the old
 * bytes and the second write would drop the first's change, and a bump made while commit-push
 * pushes would lose its intent.
 *
 * <p>The lock is an operating-system lock on {@code .git/bumper/lock}, which the kernel releases
 * when the holder dies, so a killed run never leaves it held. The file also records who holds it
 * and is emptied on a clean release; a run that finds it not empty took over from one that died,
 * and removes the git lock files ({@code index.lock}, {@code HEAD.lock}, ref locks) created
 * since that run started: git would otherwise refuse every later commit with LOCK_FAILURE, as it
 * does with the {@code index.lock} of a killed {@code git commit}.
 */
public final class CheckoutLock implements Closeable {
  /** How long a run waits for another one in the same checkout before giving up. */
  public static final Duration WAIT = Duration.ofMinutes(5);

  private static final long POLL_MILLIS = 50;

  private final FileChannel channel;
  private final FileLock lock;

  private CheckoutLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of the repository whose git directory is {@code gitDir}, waiting up to
   * {@code wait} for the run that holds it.
   *
   * @param log told when this waits, and of stale git locks removed
   * @throws IOException when the lock cannot be taken in time, naming the holder
   */
  public static CheckoutLock acquire(Path gitDir, Duration wait, Consumer<String> log) throws IOException {
    Path dir = Files.createDirectories(gitDir.resolve("bumper"));
    Path file = dir.resolve("lock");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileLock lock = waitFor(channel, file, wait, log);
      String previous = read(channel);
      if (!previous.isBlank()) {
        removeStaleGitLocks(gitDir, Holder.parse(previous), log);
      }
      write(channel, Holder.current().format());
      return new CheckoutLock(channel, lock);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Empties the record, so that the next run knows this one ended cleanly, and releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      channel.truncate(0);
      lock.release();
    } finally {
      channel.close();
    }
  }

  private static FileLock waitFor(FileChannel channel, Path file, Duration wait, Consumer<String> log)
      throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean told = false;
    while (true) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by another thread of this process, as in tests that run bumper in-process
      }
      if (lock != null) {
        return lock;
      }
      String holder = Holder.parse(read(channel)).describe();
      if (System.nanoTime() - deadline > 0) {
        throw new IOException("another bumper run (" + holder + ") has held " + file + " for over "
            + wait.toSeconds() + " s; runs in one checkout take turns");
      }
      if (!told) {
        log.accept("waiting for another bumper run in this checkout (" + holder + ")");
        told = true;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + file, e);
      }
    }
  }

  /**
   * Removes the git lock files a run that died while holding this lock left: those made since it
   * started. Older ones belong to something else (a git command of the user's) and are kept.
   */
  private static void removeStaleGitLocks(Path gitDir, Holder dead, Consumer<String> log) throws IOException {
    if (dead.started() == null) {
      return;
    }
    List<Path> stale = new ArrayList<>();
    Files.walkFileTree(gitDir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        // Objects and bumper's own files hold no git locks; skipping them keeps this quick.
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        return !dir.equals(gitDir) && (name.equals("objects") || name.equals("bumper"))
            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path path, BasicFileAttributes attrs) {
        if (path.getFileName().toString().endsWith(".lock") && attrs.isRegularFile()
            && !attrs.lastModifiedTime().toInstant().isBefore(dead.started().minusSeconds(1))) {
          stale.add(path);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path path, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    for (Path path : stale) {
      Files.deleteIfExists(path);
      log.accept("removed " + gitDir.relativize(path) + ", left by a bumper run that did not finish ("
          + dead.describe() + ")");
    }
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(512);
    int n = channel.read(buffer, 0);
    return n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8);
  }

  private static void write(FileChannel channel, String text) throws IOException {
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(false);
  }

  /**
   * Who holds, or held, the lock: a process id, when that process started, and on which host. The
   * kernel, not this record, says whether the holder is alive, so a reused pid is never taken for
   * the holder; the record names the holder to a run that waits, and its start time tells which
   * git lock files a dead holder made.
   */
  record Holder(long pid, Instant started, String host) {
    static Holder current() {
      ProcessHandle self = ProcessHandle.current();
      return new Holder(self.pid(), self.info().startInstant().orElse(Instant.now()), hostName());
    }

    /**
     * The kernel's host name, read rather than resolved: InetAddress.getLocalHost() may wait for
     * DNS, and every run takes this lock. Null where there is none to read; the record then leaves
     * it out.
     */
    private static String hostName() {
      try {
        String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        if (!name.isEmpty()) {
          return name;
        }
      } catch (IOException | RuntimeException e) {
        // not Linux: the environment may say
      }
      String name = System.getenv("HOSTNAME");
      if (name == null) {
        name = System.getenv("COMPUTERNAME");
      }
      return name == null || name.isBlank() ? null : name.strip();
    }

    /** Reads {@code "pid N\nstarted INSTANT\nhost NAME\n"}; unknown fields are left null. */
    static Holder parse(String text) {
      long pid = -1;
      Instant started = null;
      String host = null;
      for (String line : text.split("\n")) {
        try {
          if (line.startsWith("pid ")) {
            pid = Long.parseLong(line.substring(4).strip());
          } else if (line.startsWith("started ")) {
            started = Instant.parse(line.substring(8).strip());
          } else if (line.startsWith("host ")) {
            host = line.substring(5).strip();
          }
        } catch (RuntimeException e) {
          // A damaged record only means the stale git locks are left for the user.
        }
      }
      return new Holder(pid, started, host);
    }

    String format() {
      return "pid " + pid + "\nstarted " + started + "\n" + (host == null ? "" : "host " + host + "\n");
    }

    /**
     * Whether the process this records has ended: it ran on this host, and no process there has
     * its pid and start time. Unknown (a damaged record, another host, a process whose start
     * time cannot be read) is not ended.
     */
    boolean isGone() {
      if (pid < 0 || started == null || (host != null && !host.equals(hostName()))) {
        return false;
      }
      return ProcessHandle.of(pid)
          .map(process -> process.info().startInstant().map(start -> !start.equals(started)).orElse(false))
          .orElse(true);
    }

    String describe() {
      return pid < 0 ? "an unknown process"
          : "pid " + pid + (host == null || host.isEmpty() ? "" : " on " + host) + (started == null ? "" : ", started " + started);
    }
  }
}
