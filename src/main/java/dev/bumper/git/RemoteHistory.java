package dev.bumper.git;

import java.io.IOException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Reads a config repo's history without a working tree: the branch and its tags are fetched whole
 * into a temporary bare repository, which is read and then deleted. Nothing is pushed.
 */
public final class RemoteHistory extends RemoteCommand<RemoteHistory> {
  /** What is read from the fetched history. */
  public interface Reading<T> {
    T read(Repository repo, RevCommit tip, String branch) throws IOException;
  }

  private String branch;

  public RemoteHistory(RemoteUrl url) {
    super(url);
  }

  /** The branch to read; default: the remote's default branch. */
  public RemoteHistory setBranch(String branch) {
    this.branch = branch;
    return this;
  }

  /** Fetches the branch and hands it to {@code reading}. */
  public <T> T read(Reading<T> reading) throws IOException {
    try (MemoryRepository memory = new MemoryRepository(this)) {
      String target = branch != null ? branch : memory.defaultBranch();
      RevCommit tip = memory.fetch(target, 0, true);
      return reading.read(memory.repository(), tip, target);
    } catch (GitAPIException e) {
      throw new IOException(mask(e.getMessage()), null);
    }
  }
}
