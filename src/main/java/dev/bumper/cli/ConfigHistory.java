package dev.bumper.cli;

import dev.bumper.edit.Holds;
import dev.bumper.failure.UsageException;
import dev.bumper.git.DeployHistory;
import dev.bumper.git.RemoteHistory;
import dev.bumper.git.RemoteSetup;
import dev.bumper.io.PathArguments;
import dev.bumper.pipeline.Pipeline;
import dev.bumper.pipeline.Reporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Where {@code history}, {@code rollback} and {@code release} read a config repo's history: a
 * checkout's (from its HEAD), or with {@code --repo URL} a branch fetched whole into a temporary
 * bare repository, with the credentials, timeout and mask of every remote command.
 */
final class ConfigHistory {
  /** What a command reads while the history is at hand. */
  interface Reading<T> {
    /**
     * @param path PATH from the top of the repository
     * @param top the checkout's work tree, or null for a fetched repository
     */
    T read(DeployHistory history, Repository repo, RevCommit tip, String path, Path top)
        throws IOException;
  }

  private ConfigHistory() {}

  /**
   * Reads the history of the config repo at {@code repo} (with {@code remote}), else of the
   * checkout that holds {@code directory}, and hands it to {@code reading}.
   */
  static <T> T read(Reporter reporter, RemoteSetup remote, Path directory, String repo,
      String branch, String path, Reading<T> reading) throws IOException {
    if (repo != null) {
      String inRepo = inRepository(path);
      return remote.run(new RemoteHistory(Pipeline.url(repo)).setBranch(branch),
          command -> command.read((fetched, tip, target) -> reading.read(
              new DeployHistory(fetched), fetched, tip, inRepo, null)));
    }
    Path dir = directory == null ? Path.of(".") : directory;
    if (!Files.isDirectory(dir)) {
      throw new UsageException("-C " + dir + ": no such directory");
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toFile());
    if (builder.getGitDir() == null) {
      throw new UsageException("-C " + dir + ": not in a git checkout; give --repo URL");
    }
    try (Repository checkout = builder.setMustExist(true).build();
        RevWalk walk = new RevWalk(checkout)) {
      if (checkout.isBare()) {
        throw new UsageException("-C " + dir + ": a bare repository; give --repo URL");
      }
      Path top = checkout.getWorkTree().toPath().toRealPath();
      String inRepo = inRepository(top.relativize(dir.toRealPath().resolve(
          PathArguments.of(path == null ? "." : path)).normalize()).toString());
      if (inRepo.startsWith("..")) {
        throw new UsageException(path + ": outside the repository " + top);
      }
      if (branch != null) {
        throw new UsageException("--branch needs --repo URL; a checkout is read from its HEAD");
      }
      ObjectId head = checkout.resolve(Constants.HEAD);
      if (head == null) {
        throw new UsageException("-C " + dir + ": the checkout has no commit yet");
      }
      if (!checkout.getObjectDatabase().getShallowCommits().isEmpty()) {
        reporter.warn("bumper: warning: " + top + " is a shallow clone: its history starts at the"
            + " oldest commit it has (git fetch --unshallow, or --repo URL, reads all of it)");
      }
      return reading.read(new DeployHistory(checkout), checkout, walk.parseCommit(head), inRepo,
          top);
    }
  }

  /** PATH as a path from the top of the repository. */
  static String inRepository(String path) {
    try {
      return Holds.normalize(path == null ? "." : path);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
