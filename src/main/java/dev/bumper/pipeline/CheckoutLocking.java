package dev.bumper.pipeline;

import dev.bumper.failure.RunFailedException;
import dev.bumper.git.CheckoutLock;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Takes the {@link CheckoutLock} of the checkout a command works in, before it reads anything. */
public final class CheckoutLocking {
  /** Held where there is nothing to lock: outside a checkout, or for a dry run, which writes nothing. */
  public static final Closeable NONE = () -> {};

  private CheckoutLocking() {}

  /** The lock of the checkout that holds {@code dir}; outside a checkout, a lock of nothing. */
  public static Closeable hold(Reporter reporter, Path dir) {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toAbsolutePath().toFile());
    if (builder.getGitDir() == null) {
      return NONE;
    }
    Path gitDir;
    try {
      // The builder's own set-up reads only the repository's config: opening the repository
      // would also load the user's and the system's, which waits on the git processes
      // JGitEnvironment runs for it, about 50 ms before the first file is read.
      builder.setup();
      if (builder.isBare() || !builder.getObjectDirectory().isDirectory()) {
        return NONE;
      }
      gitDir = builder.getGitDir().toPath();
    } catch (IOException | IllegalArgumentException e) {
      // Not a repository JGit can open: nothing to serialise against, and nothing to commit.
      return NONE;
    }
    try {
      return CheckoutLock.acquire(gitDir, CheckoutLock.WAIT, line -> reporter.warn("bumper: " + line));
    } catch (IOException e) {
      throw new RunFailedException(e.getMessage());
    }
  }
}
