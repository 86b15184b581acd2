package dev.bumper.container;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** When a commit was made, read from the Git repository around a directory. */
public final class CommitTime {
  private CommitTime() {}

  /**
   * The committer time of {@code commit} in the repository that holds {@code dir}; empty when
   * there is no repository or it lacks the commit (a shallow clone of another branch).
   */
  public static Optional<Instant> of(String commit, Path dir) {
    if (commit == null || commit.isBlank()) {
      return Optional.empty();
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toAbsolutePath().toFile());
    if (builder.getGitDir() == null) {
      return Optional.empty();
    }
    try (Repository repository = builder.setMustExist(true).build();
        RevWalk walk = new RevWalk(repository)) {
      ObjectId id = repository.resolve(commit + "^{commit}");
      if (id == null) {
        return Optional.empty();
      }
      RevCommit parsed = walk.parseCommit(id);
      return Optional.of(parsed.getCommitterIdent().getWhenAsInstant());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
