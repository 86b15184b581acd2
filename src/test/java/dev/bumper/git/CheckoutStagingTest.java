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

  /** The tree {@code git add -u -- PATHSPECS} (all: {@code .}) and then write-tree make of a copy of {@code checkout}. */
  private String gitAddUpdate(Path checkout, String name, List<String> pathspecs) throws Exception {
    Path theirs = tmp.resolve("theirs-" + name);
    TestProcesses.run(tmp, "cp", "-a", checkout.toString(), theirs.toString());
    List<String> add = new java.util.ArrayList<>(List.of("add", "-u", "--"));
    add.addAll(pathspecs.isEmpty() ? List.of(".") : pathspecs);
    git(theirs, add.toArray(String[]::new));
    return git(theirs, "write-tree").strip();
  }

  /** What {@link CheckoutStaging#stage} makes of a copy of {@code checkout}. */
  private ObjectId stageCopy(Path checkout, String name, List<String> pathspecs) throws Exception {
    Path ours = tmp.resolve("ours-" + name);
    TestProcesses.run(tmp, "cp", "-a", checkout.toString(), ours.toString());
    return stage(ours, pathspecs);
  }

  /** "." is the whole tree, as commit-push passes it for -C at the top of the checkout. */
  @Test
  void theTrackedFilesChangedUnderThePathspecsAreStagedAsGitAddUpdateStagesThem() throws Exception {
    Path checkout = changedCheckout();
    List<List<String>> cases = List.of(
        List.of(), List.of("."), List.of("a"), List.of("a/"), List.of("b/three.yaml", "keep.yaml"), List.of("a", "."));
    for (int i = 0; i < cases.size(); i++) {
      List<String> pathspecs = cases.get(i);

      ObjectId tree = stageCopy(checkout, "case" + i, pathspecs);

      assertThat(tree.name()).as(pathspecs.toString()).isEqualTo(gitAddUpdate(checkout, "case" + i, pathspecs));
    }
  }

  /**
   * git's add -u leaves an entry flagged skip-worktree or assume-unchanged as the index has it:
   * a sparse checkout's files are not there, and JGit's add -u staged each one's deletion. Staged
   * as git stages, whether the file is missing or changed.
   */
  @Test
  void filesFlaggedSkipWorktreeOrAssumeUnchangedAreLeftAsGitLeavesThem() throws Exception {
    Path checkout = changedCheckout();
    Path skipped = tmp.resolve("skip-worktree");
    TestProcesses.run(tmp, "cp", "-a", checkout.toString(), skipped.toString());
    git(skipped, "update-index", "--skip-worktree", "flagged.yaml", "b/three.yaml");
    Files.delete(skipped.resolve("flagged.yaml"));
    Path assumed = tmp.resolve("assume-unchanged");
    TestProcesses.run(tmp, "cp", "-a", checkout.toString(), assumed.toString());
    git(assumed, "update-index", "--assume-unchanged", "flagged.yaml", "b/three.yaml");
    Files.delete(assumed.resolve("flagged.yaml"));

    for (Path flagged : List.of(skipped, assumed)) {
      String name = flagged.getFileName().toString();

      ObjectId tree = stageCopy(flagged, name, List.of());

      assertThat(tree.name()).as(name).isEqualTo(gitAddUpdate(flagged, name, List.of()));
      Path ours = tmp.resolve("ours-" + name);
      assertThat(git(ours, "rev-parse", tree.name() + ":flagged.yaml").strip()).as(name)
          .isEqualTo(git(ours, "rev-parse", "HEAD:flagged.yaml").strip());
      assertThat(git(ours, "rev-parse", tree.name() + ":a/one.yaml").strip()).as(name)
          .isEqualTo(git(ours, "hash-object", "a/one.yaml").strip());
    }
  }

  /** A sparse checkout made by git: what it left out is kept, what changed in it is staged. */
  @Test
  void aSparseCheckoutCommitsItsChangeAndKeepsTheFilesItLeftOut() throws Exception {
    changedCheckout();
    Path sparse = tmp.resolve("sparse");
    git(tmp, "clone", "-q", "--sparse", tmp.resolve("config.git").toUri().toString(), sparse.toString());
    git(sparse, "sparse-checkout", "set", "a");
    assertThat(sparse.resolve("b/three.yaml")).doesNotExist();
    Files.writeString(sparse.resolve("a/one.yaml"), "one: 10\n");

    ObjectId tree = stageCopy(sparse, "sparse", List.of());

    assertThat(tree.name()).isEqualTo(gitAddUpdate(sparse, "sparse", List.of()));
    assertThat(git(tmp.resolve("ours-sparse"), "ls-tree", "-r", "--name-only", tree.name()).lines())
        .containsExactly("a/one.yaml", "a/two.yaml", "b/three.yaml", "flagged.yaml", "keep.yaml");
  }

  /**
   * An edit of bumper's that changed a flagged file would be left out of the commit as git leaves
   * the file: the commit is refused, naming the file and the flag, and nothing is staged.
   */
  @Test
  void aFlaggedFileThatBumpersOwnEditChangedIsRefused() throws Exception {
    Path checkout = changedCheckout();
    git(checkout, "update-index", "--assume-unchanged", "flagged.yaml");
    Files.writeString(checkout.resolve("flagged.yaml"), "flagged: 1\n");
    Intent edit = new Intent(
        new dev.bumper.edit.ManifestEdit("", List.of(dev.bumper.image.ImageUpdate.parse("web:2.0")), List.of(),
            List.of(), List.of(), List.of(), List.of(), false),
        git(checkout, "rev-parse", "HEAD").strip(), List.of("web 1.0 -> 2.0"), List.of("flagged.yaml"));
    List<IntentStore.Recorded> recorded = List.of(new IntentStore.Recorded(tmp.resolve("intent.json"), edit));
    String index = git(checkout, "ls-files", "--stage");

    try (Git git = Git.open(checkout.toFile())) {
      CheckoutStaging staging = new CheckoutStaging(git.getRepository(), List.of(), false, line -> {}, line -> {});
      for (boolean preview : new boolean[] {true, false}) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> {
                  if (preview) {
                    staging.preview(recorded);
                  } else {
                    staging.stage(recorded);
                  }
                })
            .isInstanceOf(dev.bumper.failure.Failure.class)
            .hasMessage("flagged.yaml: changed by bump-manifest, but flagged assume-unchanged, which keeps a change"
                + " out of the commit; nothing committed (git update-index --no-assume-unchanged flagged.yaml lets it in)");
      }
    }
    assertThat(git(checkout, "ls-files", "--stage")).isEqualTo(index);
  }

  /**
   * A file {@code git add -N} recorded only the intent to add: under the pathspecs add -u stages
   * it; elsewhere it stays out of the tree, as git's write-tree leaves it, not an empty file.
   */
  @Test
  void anIntentToAddEntryIsInTheTreeOnlyWhereAddUpdateStagedIt() throws Exception {
    Path checkout = changedCheckout();
    Files.writeString(checkout.resolve("a/added.yaml"), "added: 1\n");
    Files.writeString(checkout.resolve("b/empty.yaml"), "");
    git(checkout, "add", "-N", "a/added.yaml", "b/empty.yaml", "c/new.yaml");
    List<List<String>> cases = List.of(List.of("a"), List.of("b"), List.of());
    for (int i = 0; i < cases.size(); i++) {
      List<String> pathspecs = cases.get(i);

      ObjectId tree = stageCopy(checkout, "ita" + i, pathspecs);

      assertThat(tree.name()).as(pathspecs.toString()).isEqualTo(gitAddUpdate(checkout, "ita" + i, pathspecs));
    }
    ObjectId tree = stageCopy(checkout, "ita-b", List.of("b"));
    assertThat(git(tmp.resolve("ours-ita-b"), "ls-tree", "-r", "--name-only", tree.name()).lines())
        .contains("b/empty.yaml").doesNotContain("a/added.yaml", "c/new.yaml");
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
