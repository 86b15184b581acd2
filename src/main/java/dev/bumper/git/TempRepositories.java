package dev.bumper.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The temporary repositories of in-memory runs ({@code bumper-repo-*} in the temp directory),
 * removed however a run ends: when it returns, when it is stopped by SIGTERM (a CI job cancelled,
 * {@code timeout}), and, for a run killed outright, by the next run. Each records its owner as
 * the checkout lock records its holder (pid, start time, host), so that the next run removes only
 * those of processes that are gone.
 */
final class TempRepositories {
  static final String PREFIX = "bumper-repo-";
  private static final String OWNER = "bumper-owner";
  /** A directory without an owner record (a run killed before writing it) is removed after this. */
  private static final Duration UNOWNED_AGE = Duration.ofHours(1);

  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Set by the shutdown hook: no new repository is made while the run ends. */
  private static volatile boolean exiting;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TempRepositories::removeAtExit, "bumper-temp-repositories"));
  }

  /**
   * Removes the live repositories at exit. The run's other threads keep going while shutdown hooks
   * run (JGit may still be writing objects into one), so removal is repeated until nothing is
   * left, a few times.
   */
  private static void removeAtExit() {
    exiting = true;
    for (int round = 0; round < 10; round++) {
      LIVE.forEach(TempRepositories::deleteRecursively);
      if (LIVE.stream().noneMatch(Files::exists)) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private TempRepositories() {}

  /** A new temporary directory for a repository, removed at exit if not before; left ones swept first. */
  static Path create() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    sweep(tmp);
    // known to the shutdown hook before it exists, so a SIGTERM at any moment leaves nothing
    Path dir = tmp.resolve(PREFIX + Long.toUnsignedString(RANDOM.nextLong()));
    LIVE.add(dir);
    if (exiting) {
      throw new IOException("the run is ending");
    }
    if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectory(dir);
    }
    Files.writeString(dir.resolve(OWNER), CheckoutLock.Holder.current().format(), StandardCharsets.UTF_8);
    return dir;
  }

  /** Removes {@code dir} now. */
  static void delete(Path dir) {
    deleteRecursively(dir);
    LIVE.remove(dir);
  }

  /** Removes the temporary repositories under {@code tmp} whose runs are gone. */
  static void sweep(Path tmp) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir) && abandoned(dir)) {
          deleteRecursively(dir);
        }
      }
    } catch (IOException | RuntimeException e) {
      // another user's temp directory, or one that went away: not this run's to clean
    }
  }

  private static boolean abandoned(Path dir) throws IOException {
    Path owner = dir.resolve(OWNER);
    CheckoutLock.Holder holder =
        Files.isRegularFile(owner) ? CheckoutLock.Holder.parse(Files.readString(owner, StandardCharsets.UTF_8)) : null;
    if (holder == null || holder.pid() < 0) {
      // a run killed before it wrote its record, or a damaged one: judged by age
      FileTime modified = Files.getLastModifiedTime(dir);
      return modified.toInstant().isBefore(Instant.now().minus(UNOWNED_AGE));
    }
    return holder.isGone();
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // gone already, or not ours
    }
  }
}
