package dev.bumper.git;

import static dev.bumper.cli.TestProcesses.bareRepository;
import static dev.bumper.cli.TestProcesses.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.edit.Edit;
import dev.bumper.edit.ManifestEdit;
import dev.bumper.image.ImageUpdate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull request's branch built in memory against a real bare repository, checked with the git
 * CLI: one commit per edit on the base, the next edit on top, built again from the recorded
 * edits when the base moved, never a commit of someone else's rewritten, and two runs at once
 * both in the branch.
 */
class PullRequestBranchPushTest {
  private static final String BRANCH = "bumper/main/web";
  private static final CommitSpec SPEC = new CommitSpec(
      new PersonIdent("CI Bot", "ci@example.com"), "{summary}", Map.of(), Map.of(), false);

  @TempDir Path tmp;
  private Path bare;
  private RemoteUrl url;

  @BeforeEach
  void seed() throws Exception {
    bare = bareRepository(tmp.resolve("config.git"), Map.of(
        "apps/web.yaml", pod("web", "ghcr.io/acme/web:1.0"),
        "apps/api.yaml", pod("api", "ghcr.io/acme/api:1.0")));
    url = RemoteUrl.parse(bare.toUri().toString());
  }

  @Test
  void theFirstRunPutsOneCommitOnTheBaseAndRecordsItsEdit() throws Exception {
    PullRequestBranchPush.Outcome outcome = push(image("ghcr.io/acme/web:1.1"));

    assertThat(outcome.pushed()).isTrue();
    assertThat(outcome.rebuilt()).isFalse();
    assertThat(outcome.base()).isEqualTo("main");
    assertThat(git(bare, "rev-parse", BRANCH).strip()).isEqualTo(outcome.headSha());
    assertThat(git(bare, "rev-parse", BRANCH + "^").strip()).isEqualTo(main());
    assertThat(git(bare, "show", BRANCH + ":apps/web.yaml")).contains("ghcr.io/acme/web:1.1");
    String message = git(bare, "log", "-1", "--format=%B", BRANCH);
    assertThat(message).contains("Bumper-Base: " + main())
        .contains("Bumper-Edit: {\"command\":\"bump-manifest\"");
    git(bare, "fsck", "--strict");
  }

  @Test
  void theNextRunAddsACommitAndARunWithNothingToChangePushesNothing() throws Exception {
    String first = push(image("ghcr.io/acme/web:1.1")).headSha();
    PullRequestBranchPush.Outcome second = push(image("ghcr.io/acme/web:1.2"));
    PullRequestBranchPush.Outcome third = push(image("ghcr.io/acme/web:1.2"));

    assertThat(second.pushed()).isTrue();
    assertThat(git(bare, "rev-parse", BRANCH + "^").strip()).isEqualTo(first);
    assertThat(third.pushed()).isFalse();
    assertThat(third.headSha()).isEqualTo(second.headSha());
    assertThat(git(bare, "rev-parse", BRANCH).strip()).isEqualTo(second.headSha());
  }

  @Test
  void whenTheBaseMovedTheBranchIsBuiltAgainOnItFromTheRecordedEdits() throws Exception {
    push(image("ghcr.io/acme/web:1.1"));
    String moved = commitOnMain("apps/api.yaml", pod("api", "ghcr.io/acme/api:2.0"));

    PullRequestBranchPush.Outcome outcome = push(image("ghcr.io/acme/web:1.2"));

    assertThat(outcome.pushed()).isTrue();
    assertThat(outcome.rebuilt()).isTrue();
    assertThat(git(bare, "merge-base", "main", BRANCH).strip()).isEqualTo(moved);
    assertThat(git(bare, "rev-list", "--count", "main.." + BRANCH).strip()).isEqualTo("2");
    assertThat(git(bare, "show", BRANCH + ":apps/web.yaml")).contains("ghcr.io/acme/web:1.2");
    assertThat(git(bare, "show", BRANCH + ":apps/api.yaml")).contains("ghcr.io/acme/api:2.0");
    git(bare, "fsck", "--strict");
  }

  @Test
  void aBehindBranchWithNothingNewIsLeftUnlessAMergeNeedsItBuiltAgain() throws Exception {
    push(image("ghcr.io/acme/web:1.1"));
    String moved = commitOnMain("README.md", "# config\n");

    PullRequestBranchPush.Outcome left = push(image("ghcr.io/acme/web:1.1"));
    assertThat(left.pushed()).isFalse();

    PullRequestBranchPush.Outcome rebuilt = new PullRequestBranchPush(url,
        List.of(image("ghcr.io/acme/web:1.1")), SPEC, true).setHead(base -> BRANCH)
        .setRebuildWhenBehind(true).call();
    assertThat(rebuilt.pushed()).isTrue();
    assertThat(git(bare, "rev-parse", BRANCH + "^").strip()).isEqualTo(moved);
  }

  @Test
  void aBranchWithSomeoneElsesCommitIsNeverRewritten() throws Exception {
    push(image("ghcr.io/acme/web:1.1"));
    Path work = tmp.resolve("person");
    git(tmp, "clone", "-q", "-b", BRANCH, bare.toString(), work.toString());
    java.nio.file.Files.writeString(work.resolve("NOTES.md"), "reviewed\n");
    git(work, "add", "-A");
    git(work, "-c", "user.name=p", "-c", "user.email=p@example.com", "commit", "-q", "-m", "notes");
    git(work, "push", "-q", "origin", BRANCH);
    String theirs = git(work, "rev-parse", "HEAD").strip();
    commitOnMain("README.md", "# moved\n");

    PullRequestBranchPush.Outcome outcome = push(image("ghcr.io/acme/web:1.2"));

    assertThat(outcome.pushed()).isTrue();
    assertThat(outcome.rebuilt()).isFalse();
    assertThat(git(bare, "rev-parse", BRANCH + "^").strip()).isEqualTo(theirs);
  }

  @Test
  void aBumperCommitAmendedByHandIsSomeoneElsesAndIsNotRewritten() throws Exception {
    push(image("ghcr.io/acme/web:1.1"));
    Path work = tmp.resolve("reviewer");
    git(tmp, "clone", "-q", "-b", BRANCH, bare.toString(), work.toString());
    java.nio.file.Files.writeString(work.resolve("apps/web.yaml"),
        pod("web", "ghcr.io/acme/web:1.1") + "# reviewed\n");
    git(work, "-c", "user.name=r", "-c", "user.email=r@example.com", "commit", "-q", "-a",
        "--amend", "--no-edit");
    git(work, "push", "-q", "-f", "origin", BRANCH);
    String amended = git(work, "rev-parse", "HEAD").strip();
    commitOnMain("README.md", "# moved\n");

    PullRequestBranchPush.Outcome outcome = push(image("ghcr.io/acme/web:1.2"));

    assertThat(outcome.rebuilt()).isFalse();
    assertThat(outcome.foreign()).isTrue();
    assertThat(git(bare, "rev-parse", BRANCH + "^").strip()).isEqualTo(amended);
    assertThat(git(bare, "show", BRANCH + ":apps/web.yaml")).contains("# reviewed");
  }

  @Test
  void aRecordedEditThatNoLongerAppliesIsDroppedWhenTheBranchIsBuiltAgain() throws Exception {
    push(image("ghcr.io/acme/web:1.1"));
    Path work = tmp.resolve("remove");
    git(tmp, "clone", "-q", bare.toString(), work.toString());
    git(work, "rm", "-q", "apps/web.yaml");
    git(work, "-c", "user.name=p", "-c", "user.email=p@example.com", "commit", "-q", "-m", "rm");
    git(work, "push", "-q", "origin", "main");

    PullRequestBranchPush.Outcome outcome = push(image("ghcr.io/acme/api:1.5"));

    assertThat(outcome.pushed()).isTrue();
    assertThat(outcome.rebuilt()).isTrue();
    assertThat(git(bare, "rev-list", "--count", "main.." + BRANCH).strip()).isEqualTo("1");
    assertThat(git(bare, "show", BRANCH + ":apps/api.yaml")).contains("ghcr.io/acme/api:1.5");
  }

  @Test
  void twoRunsAtOnceBothEndInTheBranch() throws Exception {
    push(image("ghcr.io/acme/web:1.1"));
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<PullRequestBranchPush.Outcome>> runs = new ArrayList<>();
    try {
      for (Edit edit : List.of(image("ghcr.io/acme/web:1.2"), image("ghcr.io/acme/api:1.5"))) {
        runs.add(pool.submit(() -> {
          start.await();
          return new PullRequestBranchPush(url, List.of(edit), SPEC, true).setHead(base -> BRANCH)
              .setBaseDelayMillis(5).call();
        }));
      }
      start.countDown();
      for (Future<PullRequestBranchPush.Outcome> run : runs) {
        assertThat(run.get().pushed()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(git(bare, "show", BRANCH + ":apps/web.yaml")).contains("ghcr.io/acme/web:1.2");
    assertThat(git(bare, "show", BRANCH + ":apps/api.yaml")).contains("ghcr.io/acme/api:1.5");
    assertThat(git(bare, "rev-list", "--count", "main.." + BRANCH).strip()).isEqualTo("3");
  }

  @Test
  void editsGivenTogetherAreOneCommitEachAndAnEditThatChangesNothingIsNone() throws Exception {
    PullRequestBranchPush.Outcome outcome = new PullRequestBranchPush(url, List.of(
        image("ghcr.io/acme/web:1.1"), image("ghcr.io/acme/web:1.1"),
        image("ghcr.io/acme/api:1.5")), SPEC, true).setHead(base -> BRANCH).call();

    assertThat(outcome.results()).extracting(result -> result.changed())
        .containsExactly(true, false, true);
    assertThat(outcome.summaries()).hasSize(2);
    assertThat(git(bare, "rev-list", "--count", "main.." + BRANCH).strip()).isEqualTo("2");
  }

  @Test
  void aDryRunAppliesTheEditAndPushesNothing() throws Exception {
    PullRequestBranchPush.Outcome outcome = new PullRequestBranchPush(url,
        List.of(image("ghcr.io/acme/web:1.1")), SPEC, false).setHead(base -> BRANCH).call();

    assertThat(outcome.pushed()).isFalse();
    assertThat(outcome.last().changed()).isTrue();
    assertThat(git(bare, "branch", "--list", BRANCH)).isEmpty();
  }

  private PullRequestBranchPush.Outcome push(Edit edit) throws Exception {
    return new PullRequestBranchPush(url, List.of(edit), SPEC, true).setHead(base -> BRANCH).call();
  }

  private String main() throws Exception {
    return git(bare, "rev-parse", "main").strip();
  }

  private String commitOnMain(String file, String content) throws Exception {
    Path work = tmp.resolve("main-" + System.nanoTime());
    git(tmp, "clone", "-q", bare.toString(), work.toString());
    Path path = work.resolve(file);
    java.nio.file.Files.createDirectories(path.getParent());
    java.nio.file.Files.writeString(path, content);
    git(work, "add", "-A");
    git(work, "-c", "user.name=p", "-c", "user.email=p@example.com", "commit", "-q", "-m", "move");
    git(work, "push", "-q", "origin", "main");
    return git(work, "rev-parse", "HEAD").strip();
  }

  private static ManifestEdit image(String spec) {
    return new ManifestEdit("", List.of(ImageUpdate.parse(spec)), List.of(), List.of(), List.of(),
        List.of(), List.of(), false);
  }

  private static String pod(String name, String image) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n  containers:\n"
        + "  - name: " + name + "\n    image: " + image + "\n";
  }
}
