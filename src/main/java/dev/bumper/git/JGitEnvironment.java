package dev.bumper.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.FS_POSIX;
import org.eclipse.jgit.util.SystemReader;

/**
 * What JGit learns about this machine on its first use of a repository, learnt ahead of it and
 * without the processes JGit would start for it on the thread that needs it. JGit asks a shell
 * for the umask, which Linux gives in {@code /proc/self/status}; and it finds git's system-wide
 * config by running git twice ({@code git --version}, {@code git config --system --show-origin
 * --list}), which {@link #prepare} starts on a daemon thread while the command line is still being
 * parsed; a {@link RemoteCommand} waits for it. The three processes cost a remote bump about
 * 100 ms before its first fetch. For a command that opens a temporary repository, the same thread
 * then loads what JGit keeps once loaded: its messages and the user's config.
 */
public final class JGitEnvironment {
  private static volatile CompletableFuture<Void> systemConfig;

  private JGitEnvironment() {}

  /**
   * Starts setting JGit's umask and finding git's system-wide config on a spare thread; for the
   * CLI's own process. The umask too: detecting the file system ({@code FS.DETECTED}) loads much
   * of JGit, about 70 ms that kept picocli from starting. A command thread that needs the umask
   * before it is set reads it from the shell, as JGit would have, to the same value.
   *
   * @param opensRepository whether the command will open a repository whatever its input (a
   *     remote bump's temporary one): then JGit's messages and config are loaded ahead too, CPU
   *     that a bump of a directory would spend for nothing
   */
  public static synchronized void prepare(boolean opensRepository) {
    if (systemConfig != null) {
      return;
    }
    CompletableFuture<Void> found = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        if (FS.DETECTED instanceof FS_POSIX posix) {
          Integer umask = umask(Path.of("/proc/self/status"));
          if (umask != null) {
            posix.setUmask(umask);
          }
        }
        FS.DETECTED.getGitSystemConfig();
      } finally {
        found.complete(null);
      }
      if (opensRepository) {
        warmUp();
      }
    }, "bumper-git-system-config");
    thread.setDaemon(true);
    thread.start();
    systemConfig = found;
  }

  /**
   * Waits (a few seconds at most) for the system-wide config {@link #prepare} is finding, so that
   * JGit does not run git for it a second time; returns at once when nothing was started.
   */
  static void awaitPrepared() {
    CompletableFuture<Void> found = systemConfig;
    if (found == null) {
      return;
    }
    try {
      found.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // JGit then finds it itself, as it would have
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Loads, on the spare thread, what JGit loads the first time it opens a repository and then
   * keeps for the process: its messages (a resource bundle it copies into a thousand fields
   * reflectively, about 15 ms) and the user's and system's git config. Opening the temporary
   * repository of a remote bump took 40 ms on the command's thread before, most of it these.
   * A failure here is met again, and reported, where JGit loads them for real.
   */
  private static void warmUp() {
    try {
      JGitText.get();
      SystemReader.getInstance().getUserConfig();
    } catch (ConfigInvalidException | IOException | RuntimeException e) {
      // reported by the command that reads the config
    }
  }

  /** The umask a {@code /proc/<pid>/status} file gives, or null (no such file, no such line). */
  static Integer umask(Path status) {
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.ISO_8859_1)) {
        if (line.startsWith("Umask:")) {
          return Integer.parseInt(line.substring("Umask:".length()).strip(), 8);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return null;
    }
    return null;
  }
}
