package dev.bumper.git;

import static dev.bumper.cli.TestProcesses.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.cli.TestProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckoutStagingTest {
  @TempDir Path tmp;

  /** A checkout with a file changed and one deleted in a/, one changed in b/ and a new one. */
  private Path changedCheckout() throws Exception {
    TestProcesses.bareRepository(tmp.resolve("config.git"), Map.of(
        "a/one.yaml", "one: 1\n", "a/two.yaml", "two: 2\n", "b/three.yaml", "three: 3\n", "keep.yaml", "keep: 0\n",
        "flagged.yaml", "flagged: 0\n"));
    Path checkout = tmp.resolve("seed-config.git");
    Files.writeString(checkout.resolve("a/one.yaml"), "one: 10\n");
    Files.delete(checkout.resolve("a/two.yaml"));
    Files.writeString(checkout.resolve("b/three.yaml"), "three: 30\n");
    Files.createDirectories(checkout.resolve("c"));
    Files.writeString(checkout.resolve("c/new.yaml"), "new: 1\n");
    return checkout;
  }

  private static ObjectId stage(Path checkout, List<String> pathspecs) throws Exception {
    try (Git git = Git.open(checkout.toFile())) {
      return new CheckoutStaging(git.getRepository(), pathspecs, false, line -> {}, line -> {}).stage(List.of());
    }
  }

  @Test
  void theTrackedFilesChangedUnderThePathspecsAreStagedAsGitAddUpdateStagesThem() throws Exception {
    Path checkout = changedCheckout();
    for (List<String> pathspecs : List.of(List.<String>of(), List.of("a"), List.of("b/three.yaml", "keep.yaml"))) {
      Path ours = tmp.resolve("ours-" + pathspecs.size());
      Path theirs = tmp.resolve("theirs-" + pathspecs.size());
      TestProcesses.run(tmp, "cp", "-a", checkout.toString(), ours.toString());
      TestProcesses.run(tmp, "cp", "-a", checkout.toString(), theirs.toString());
      List<String> add = new java.util.ArrayList<>(List.of("add", "-u", "--"));
      add.addAll(pathspecs.isEmpty() ? List.of(".") : pathspecs);
      git(theirs, add.toArray(String[]::new));

      ObjectId tree = stage(ours, pathspecs);

      assertThat(tree.name()).as(pathspecs.toString()).isEqualTo(git(theirs, "write-tree").strip());
    }
  }

  /**
   * The status passes over a file flagged skip-worktree or assume-unchanged, which add -u of the
   * pathspecs, as JGit makes it, still stages (a bump of such a file among them; the deletion
   * of one): staged by the status's changes alone, it would be dropped without a word.
   */
  @Test
  void aFileFlaggedSkipWorktreeOrAssumeUnchangedIsStagedAsBefore() throws Exception {
    Path skipped = tmp.resolve("skip-worktree");
    TestProcesses.run(tmp, "cp", "-a", changedCheckout().toString(), skipped.toString());
    git(skipped, "update-index", "--skip-worktree", "flagged.yaml");
    Files.writeString(skipped.resolve("flagged.yaml"), "flagged: 1\n");

    ObjectId tree = stage(skipped, List.of());

    assertThat(git(skipped, "rev-parse", tree.name() + ":flagged.yaml").strip())
        .isEqualTo(git(skipped, "hash-object", "flagged.yaml").strip());
    assertThat(git(skipped, "rev-parse", tree.name() + ":a/one.yaml").strip())
        .isEqualTo(git(skipped, "hash-object", "a/one.yaml").strip());

    Path assumed = tmp.resolve("assume-unchanged");
    TestProcesses.run(tmp, "cp", "-a", skipped.toString(), assumed.toString());
    git(assumed, "update-index", "--no-skip-worktree", "--assume-unchanged", "flagged.yaml");
    Files.delete(assumed.resolve("flagged.yaml"));

    tree = stage(assumed, List.of());

    assertThat(git(assumed, "ls-tree", "--name-only", tree.name()).lines()).containsExactly("a", "b", "keep.yaml");
  }

  /**
   * A tracked file whose name is not UTF-8 (git takes any bytes) cannot be found by Java under
   * that name: the status reports it missing, and staging the whole tree (add -u of the
   * pathspecs) committed its deletion. A commit whose pathspecs take it is refused, naming the
   * file as git does, and nothing is staged; one whose pathspecs leave it out goes on.
   */
  @Test
  void aTrackedFileWhoseNameIsNotUtf8IsRefusedNotDeleted() throws Exception {
    Path checkout = changedCheckout();
    TestProcesses.run(checkout, "sh", "-c", "printf 'a: 1\\n' > \"$(printf 'caf\\351.yaml')\" && git add -A"
        + " && git -c user.name=t -c user.email=t@example.com commit -q -m latin-1");
    Files.writeString(checkout.resolve("keep.yaml"), "keep: 1\n");
    String index = git(checkout, "ls-files", "--stage");

    for (boolean preview : new boolean[] {true, false}) {
      try (Git git = Git.open(checkout.toFile())) {
        CheckoutStaging staging = new CheckoutStaging(git.getRepository(), List.of(), false, line -> {}, line -> {});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
          if (preview) {
            staging.preview(List.of());
          } else {
            staging.stage(List.of());
          }
        }).isInstanceOf(InvalidTreeException.class)
            .hasMessageStartingWith("\"caf\\351.yaml\": a file name that is not UTF-8")
            .hasMessageEndingWith("nothing committed; commit with git");
      }
    }
    assertThat(git(checkout, "ls-files", "--stage")).isEqualTo(index);

    // pathspecs that leave the file out stage what they take
    ObjectId tree = stage(checkout, List.of("keep.yaml"));
    assertThat(git(checkout, "rev-parse", tree.name() + ":keep.yaml").strip())
        .isEqualTo(git(checkout, "hash-object", "keep.yaml").strip());
  }
}
