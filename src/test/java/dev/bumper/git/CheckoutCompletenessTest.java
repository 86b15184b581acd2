package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckoutCompletenessTest {
  @TempDir Path dir;
  private Repository repo;

  @BeforeEach
  void checkout() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      Files.createDirectories(dir.resolve("apps"));
      Files.writeString(dir.resolve("apps/a.yaml"), "image: a:1\n");
      Files.writeString(dir.resolve("apps/b.yaml"), "image: b:1\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("init").setAuthor("a", "a@example.com").setCommitter("a", "a@example.com")
          .setSign(false).call();
      repo = git.getRepository();
    }
  }

  @Test
  void aCompleteCheckoutIsTrustedAndMayBeCommitted() throws Exception {
    assertThat(CheckoutCompleteness.unfinished(repo)).isNull();
    assertThat(CheckoutCompleteness.untrusted(repo)).isNull();
  }

  @Test
  void aCheckoutWithoutAnIndexIsUnfinished() throws Exception {
    Files.delete(repo.getIndexFile().toPath());

    assertThat(CheckoutCompleteness.unfinished(repo)).isEqualTo("it has no index: its checkout did not finish");
    assertThat(CheckoutCompleteness.untrusted(repo)).isEqualTo("it has no index: its checkout did not finish");
  }

  @Test
  void aCloneBumperStartedToCheckOutIsUnfinishedUntilMarkedComplete() throws Exception {
    CheckoutCompleteness.markCheckoutStarted(repo);

    assertThat(CheckoutCompleteness.unfinished(repo)).contains("stopped before every file was checked out");
    assertThat(CheckoutCompleteness.untrusted(repo)).contains("stopped before every file was checked out");

    CheckoutCompleteness.markComplete(repo, "https://example.com/config.git");

    assertThat(CheckoutCompleteness.unfinished(repo)).isNull();
    assertThat(CheckoutCompleteness.untrusted(repo)).isNull();
  }

  @Test
  void anUnmarkedCloneMustHaveAnIndexThatMatchesHeadAndNoIndexLock() throws Exception {
    Files.writeString(dir.resolve("apps/b.yaml"), "image: b:2\n");
    try (Git git = Git.wrap(repo)) {
      git.add().addFilepattern("apps/b.yaml").call();
    }
    assertThat(CheckoutCompleteness.untrusted(repo)).isEqualTo("its index does not match HEAD at apps/b.yaml: its checkout did not finish");
    assertThat(CheckoutCompleteness.unfinished(repo)).as("a staged change may be committed").isNull();

    Path lock = Files.writeString(repo.getDirectory().toPath().resolve("index.lock"), "");
    assertThat(CheckoutCompleteness.untrusted(repo)).startsWith("its index is locked");

    // Marked complete by bumper: what a killed commit-push staged, and its lock, are no reason
    // to refuse the clone; the checkout lock removes the lock, the next commit takes the change.
    CheckoutCompleteness.markComplete(repo, "https://example.com/config.git");
    assertThat(CheckoutCompleteness.untrusted(repo)).isNull();
    Files.delete(lock);
  }

  @Test
  void aMergeInProgressIsNeverReused() throws Exception {
    CheckoutCompleteness.markComplete(repo, "https://example.com/config.git");
    Files.writeString(repo.getDirectory().toPath().resolve("MERGE_HEAD"), repo.resolve("HEAD").name() + "\n");

    assertThat(CheckoutCompleteness.untrusted(repo)).isEqualTo("an operation is in progress (Merged): finish or abort it first");
  }
}
