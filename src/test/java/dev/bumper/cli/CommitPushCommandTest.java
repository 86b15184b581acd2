package dev.bumper.cli;

import static dev.bumper.cli.Run.run;
import static dev.bumper.cli.Run.runWith;
import static dev.bumper.cli.TestProcesses.git;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code commit-push} in checkouts made by the git CLI, pushing to a bare repository over
 * {@code file://}: commits, trailers, nothing to commit, lost races won by replaying intents or
 * merging hand edits, real conflicts, refusing hooks, clone mode.
 */
class CommitPushCommandTest {
  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
              - name: web
                image: ghcr.io/acme/web:1.0.0
              - name: api
                image: ghcr.io/acme/api:1.0.0
      """;
  private static final String KUSTOMIZATION =
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - name: ghcr.io/acme/worker\n    newTag: 1.0.0\n";

  @TempDir Path tmp;
  private Path bare;
  private String url;

  @BeforeEach
  void seed() throws Exception {
    bare = tmp.resolve("config.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    Path work = tmp.resolve("seed");
    git(tmp, "clone", "-q", bare.toString(), work.toString());
    Files.createDirectories(work.resolve("apps/web"));
    Files.writeString(work.resolve("apps/web/deployment.yaml"), DEPLOYMENT);
    Files.createDirectories(work.resolve("overlays/prod"));
    Files.writeString(work.resolve("overlays/prod/kustomization.yaml"), KUSTOMIZATION);
    Files.writeString(work.resolve("README.md"), "config\n");
    git(work, "add", "-A");
    git(work, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-q", "-m", "init");
    git(work, "push", "-q", "origin", "main");
    url = bare.toUri().toString();
  }

  private Path clone(String name) throws Exception {
    Path dir = tmp.resolve(name);
    git(tmp, "clone", "-q", bare.toString(), dir.toString());
    return dir;
  }

  private String remote(String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = "--git-dir=" + bare;
    System.arraycopy(args, 0, all, 1, args.length);
    return git(tmp, all);
  }

  private String remoteFile(String path) throws Exception {
    return remote("show", "main:" + path);
  }

  private String remoteTip() throws Exception {
    return remote("rev-parse", "main").strip();
  }

  private static Run ok(Run run) {
    assertThat(run.code()).as(run.toString()).isZero();
    return run;
  }

  @Test
  void commitsAndPushesWithTheConfiguredAuthorMessageAndTrailers() throws Exception {
    Path a = clone("a");
    ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/web:1.4.2"));
    Map<String, String> semaphore =
        Map.of(
            "SEMAPHORE", "true",
            "SEMAPHORE_GIT_SHA", "0123456789abcdef0123456789abcdef01234567",
            "SEMAPHORE_GIT_BRANCH", "main",
            "SEMAPHORE_ORGANIZATION_URL", "https://acme.semaphoreci.com",
            "SEMAPHORE_WORKFLOW_ID", "wf-42");

    Run pushed =
        ok(runWith(semaphore, "--output", "json", "commit-push", "-C", a.toString(),
            "--author", "Deploy Bot <deploy@acme.test>", "-m", "Deploy {short_sha}: {summary}", "--skip-ci"));

    Map<String, Object> json = StrictJson.parseObject(pushed.out());
    assertThat(json).containsOnlyKeys("committed", "commit", "branch", "pushed", "attempts", "remote");
    assertThat(json)
        .containsEntry("committed", true)
        .containsEntry("commit", remoteTip())
        .containsEntry("branch", "main")
        .containsEntry("pushed", true)
        .containsEntry("attempts", 1L)
        .containsEntry("remote", bare.toString());
    assertThat(remote("log", "-1", "--format=%an <%ae>|%cn <%ce>|%s", "main").strip())
        .isEqualTo("Deploy Bot <deploy@acme.test>|Deploy Bot <deploy@acme.test>|Deploy 0123456: ghcr.io/acme/web 1.0.0 -> 1.4.2 [skip ci]");
    assertThat(remote("log", "-1", "--format=%(trailers)", "main").strip())
        .isEqualTo("Source-Commit: 0123456789abcdef0123456789abcdef01234567\nBuild-URL: https://acme.semaphoreci.com/workflows/wf-42");
    assertThat(remoteFile("apps/web/deployment.yaml")).isEqualTo(DEPLOYMENT.replace("web:1.0.0", "web:1.4.2"));
    git(tmp, "--git-dir=" + bare, "fsck", "--strict");
    Path check = clone("check");
    assertThat(Files.readString(check.resolve("apps/web/deployment.yaml")))
        .isEqualTo(DEPLOYMENT.replace("web:1.0.0", "web:1.4.2"));
    // the checkout is the pushed commit, clean, and its intents are spent
    assertThat(git(a, "rev-parse", "HEAD").strip()).isEqualTo(remoteTip());
    assertThat(git(a, "status", "--porcelain")).isEmpty();
    assertThat(git(a, "rev-parse", "origin/main").strip()).isEqualTo(remoteTip());
    assertThat(a.resolve(".git/bumper/intents")).isEmptyDirectory();
  }

  /** A PATHSPEC that names the top of the checkout ("." there, ".." below it) takes the whole tree. */
  @Test
  void aPathspecNamingTheTopOfTheCheckoutCommitsTheChange() throws Exception {
    for (String[] where : new String[][] {{"", ".", "1.4.2"}, {"apps", "..", "1.4.3"}}) {
      Path a = clone("top-" + where[1].length());
      ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/web:" + where[2]));
      Files.writeString(a.resolve("README.md"), "config, by hand for " + where[2] + "\n");
      String tip = remoteTip();

      Run preview = ok(run("commit-push", "-C", a.resolve(where[0]).toString(), "--dry-run", where[1]));
      Run pushed = ok(run("commit-push", "-C", a.resolve(where[0]).toString(), where[1]));

      assertThat(preview.out()).as(where[0] + " " + where[1]).contains("apps/web/deployment.yaml", "README.md");
      assertThat(pushed.out()).as(where[0] + " " + where[1]).doesNotContain("nothing to commit");
      assertThat(remote("diff-tree", "-r", "--name-only", tip, "main").lines())
          .containsExactly("README.md", "apps/web/deployment.yaml");
      assertThat(git(a, "status", "--porcelain")).isEmpty();
    }
  }

  @Test
  void nothingToCommitMakesNoCommitAndNoPush() throws Exception {
    Path a = clone("a");
    String tip = remoteTip();

    Run nothing = ok(run("--output", "json", "commit-push", "-C", a.toString()));

    assertThat(StrictJson.parseObject(nothing.out()))
        .containsEntry("committed", false)
        .containsEntry("pushed", false)
        .containsEntry("commit", tip);
    assertThat(ok(run("commit-push", "-C", a.toString())).out()).contains("nothing to commit");
    assertThat(remoteTip()).isEqualTo(tip);
    assertThat(git(a, "rev-parse", "HEAD").strip()).isEqualTo(tip);
    // a bump that changes nothing leaves nothing to commit either
    ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/web:1.0.0"));
    assertThat(ok(run("commit-push", "-C", a.toString())).out()).contains("nothing to commit");
    assertThat(remoteTip()).isEqualTo(tip);
  }

  @Test
  void nothingToCommitInCloneModeMakesAShallowCloneAndNoCommit() throws Exception {
    Path dir = tmp.resolve("fresh");
    String tip = remoteTip();

    Run nothing = ok(run("--output", "json", "commit-push", "--repo", url, "-C", dir.toString()));

    assertThat(StrictJson.parseObject(nothing.out())).containsEntry("committed", false).containsEntry("pushed", false);
    assertThat(remoteTip()).isEqualTo(tip);
    assertThat(Files.readString(dir.resolve("apps/web/deployment.yaml"))).isEqualTo(DEPLOYMENT);
    assertThat(git(dir, "rev-parse", "--is-shallow-repository").strip()).isEqualTo("true");
    assertThat(git(dir, "config", "remote.origin.url").strip()).isEqualTo(url);
  }

  /** A link the clone cannot make as the tree has it is named on stderr, even under -q. */
  @Test
  void aCloneWarnsOfALinkItCannotMakeAsTheTreeHasIt() throws Exception {
    Path seed = tmp.resolve("seed");
    TestProcesses.run(seed, "ln", "-s", "apps/web/", "web");
    git(seed, "add", "web");
    git(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-q", "-m", "link");
    git(seed, "push", "-q", "origin", "main");

    Run pushed = ok(run("-q", "bump-manifest", "--repo", url, "-C", tmp.resolve("fresh").toString(), "--push",
        "-i", "ghcr.io/acme/web:1.4.2"));

    assertThat(pushed.err()).contains("warning: web: a link to \"apps/web/\", made as a link to \"apps/web\"");
    assertThat(remote("diff-tree", "-r", "--name-only", "main~1", "main").lines()).containsExactly("apps/web/deployment.yaml");
  }

  @Test
  void bumpsOfAdjacentLinesByTwoPipelinesAreBothKept() throws Exception {
    Path a = clone("a");
    Path b = clone("b");
    ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/web:2.0.0"));
    ok(run("bump-manifest", "-C", b.toString(), "-i", "ghcr.io/acme/api:3.0.0"));
    ok(run("commit-push", "-C", b.toString()));

    Run lostRace = ok(run("--output", "json", "commit-push", "-C", a.toString()));

    assertThat(StrictJson.parseObject(lostRace.out())).containsEntry("attempts", 2L).containsEntry("commit", remoteTip());
    assertThat(remoteFile("apps/web/deployment.yaml"))
        .isEqualTo(DEPLOYMENT.replace("web:1.0.0", "web:2.0.0").replace("api:1.0.0", "api:3.0.0"));
    assertThat(remote("log", "--format=%s", "main").lines().toList())
        .containsExactly("ghcr.io/acme/web 1.0.0 -> 2.0.0", "ghcr.io/acme/api 1.0.0 -> 3.0.0", "init");
    // the checkout moved onto the pushed commit, as a pull would
    assertThat(git(a, "rev-parse", "HEAD").strip()).isEqualTo(remoteTip());
    assertThat(git(a, "status", "--porcelain")).isEmpty();
    assertThat(Files.readString(a.resolve("apps/web/deployment.yaml"))).isEqualTo(remoteFile("apps/web/deployment.yaml"));
  }

  @Test
  void theSameImageBumpedByTwoPipelinesEndsWithTheLastPush() throws Exception {
    Path a = clone("a");
    Path b = clone("b");
    ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/web:2.0.0"));
    ok(run("bump-manifest", "-C", b.toString(), "-i", "ghcr.io/acme/web:3.0.0"));
    ok(run("commit-push", "-C", b.toString()));

    ok(run("commit-push", "-C", a.toString()));

    assertThat(remoteFile("apps/web/deployment.yaml")).isEqualTo(DEPLOYMENT.replace("web:1.0.0", "web:2.0.0"));
    assertThat(remote("log", "-1", "--format=%s", "main").strip()).isEqualTo("ghcr.io/acme/web 3.0.0 -> 2.0.0");
  }

  @Test
  void kustomizeSetImageIntentsAreAppliedAgainOnTheNewTip() throws Exception {
    Path a = clone("a");
    Path b = clone("b");
    ok(run("kustomize-set-image", "-C", a.resolve("overlays/prod").toString(), "ghcr.io/acme/api:2.0.0"));
    ok(run("kustomize-set-image", "-C", b.resolve("overlays/prod").toString(), "ghcr.io/acme/worker:3.0.0"));
    ok(run("commit-push", "-C", b.toString()));

    ok(run("commit-push", "-C", a.toString()));

    assertThat(remoteFile("overlays/prod/kustomization.yaml"))
        .isEqualTo(KUSTOMIZATION.replace("images:\n", "images:\n  - name: ghcr.io/acme/api\n    newTag: 2.0.0\n")
            .replace("1.0.0", "3.0.0"));
  }

  @Test
  void handEditsOnOtherLinesAreMergedOntoTheNewTip() throws Exception {
    Path a = clone("a");
    Path b = clone("b");
    Files.writeString(a.resolve("README.md"), "config\nowned by the platform team\n");
    Files.writeString(b.resolve("apps/web/deployment.yaml"), DEPLOYMENT.replace("name: web\nspec", "name: web\n  labels: {team: web}\nspec"));
    ok(run("commit-push", "-C", b.toString()));

    Run merged = ok(run("commit-push", "-C", a.toString()));

    assertThat(merged.out()).contains("attempt 2");
    assertThat(remoteFile("README.md")).isEqualTo("config\nowned by the platform team\n");
    assertThat(remoteFile("apps/web/deployment.yaml")).contains("labels: {team: web}");
    assertThat(remote("log", "-1", "--format=%s", "main").strip()).isEqualTo("Update README.md");
  }

  @Test
  void aHandEditBesideABumpInTheSameFileSurvivesARaceOnTheSameImage() throws Exception {
    Path a = clone("a");
    Path b = clone("b");
    Files.writeString(a.resolve("apps/web/deployment.yaml"), DEPLOYMENT.replace("name: web\nspec", "name: web\n  labels: {team: web}\nspec"));
    ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/web:2.0.0"));
    ok(run("bump-manifest", "-C", b.toString(), "-i", "ghcr.io/acme/web:3.0.0"));
    ok(run("commit-push", "-C", b.toString()));

    ok(run("commit-push", "-C", a.toString()));

    assertThat(remoteFile("apps/web/deployment.yaml"))
        .isEqualTo(DEPLOYMENT.replace("name: web\nspec", "name: web\n  labels: {team: web}\nspec").replace("web:1.0.0", "web:2.0.0"));
    assertThat(remote("log", "-1", "--format=%s", "main").strip()).isEqualTo("ghcr.io/acme/web 3.0.0 -> 2.0.0");
  }

  @Test
  void aBumpThatNoLongerAppliesOnTheNewTipIsExit5() throws Exception {
    Path a = clone("a");
    Path b = clone("b");
    ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/web:2.0.0"));
    Files.delete(b.resolve("apps/web/deployment.yaml"));
    ok(run("commit-push", "-C", b.toString()));
    String tip = remoteTip();

    Run gone = run("commit-push", "-C", a.toString());

    assertThat(gone.code()).as(gone.toString()).isEqualTo(5);
    assertThat(gone.err()).contains("no longer applies to the new tip").contains("kept");
    assertThat(remoteTip()).isEqualTo(tip);
  }

  @Test
  void intentsAreRecordedOnlyForWritesInACheckout() throws Exception {
    Path a = clone("a");
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    Files.writeString(plain.resolve("d.yaml"), DEPLOYMENT);

    ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/web:2.0.0", "--dry-run"));
    ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/nothing:2.0.0", "--allow-no-match"));
    assertThat(a.resolve(".git/bumper/intents")).doesNotExist();
    ok(run("bump-manifest", "-C", plain.toString(), "-i", "ghcr.io/acme/web:2.0.0"));
    assertThat(plain.resolve(".git")).doesNotExist();

    ok(run("bump-manifest", "-C", a.resolve("apps").toString(), "-i", "ghcr.io/acme/web:2.0.0", "--include", "*.yaml", "web"));

    List<Path> recorded;
    try (var files = Files.list(a.resolve(".git/bumper/intents"))) {
      recorded = files.toList();
    }
    assertThat(recorded).singleElement().asString().matches(".*/000001-[0-9a-f]{8}\\.json");
    List<String> intent = Files.readAllLines(recorded.get(0));
    assertThat(intent).hasSize(1);
    assertThat(intent.get(0))
        .contains("\"command\":\"bump-manifest\"", "\"root\":\"apps\"",
            "\"images\":[\"ghcr.io/acme/web:2.0.0\"]", "\"include\":[\"*.yaml\"]", "\"paths\":[\"web\"]",
            "\"files\":[\"apps/web/deployment.yaml\"]", "\"base\":\"" + git(a, "rev-parse", "HEAD").strip() + "\"");
  }

  @Test
  void conflictingHandEditsStopWithExit5KeepingTheLocalCommit() throws Exception {
    Path a = clone("a");
    Path b = clone("b");
    Files.writeString(a.resolve("README.md"), "config of team a\n");
    Files.writeString(b.resolve("README.md"), "config of team b\n");
    ok(run("commit-push", "-C", b.toString()));
    String tip = remoteTip();

    Run conflict = run("commit-push", "-C", a.toString());

    assertThat(conflict.code()).as(conflict.toString()).isEqualTo(5);
    assertThat(conflict.err()).contains("conflict").contains("README.md").contains("kept");
    assertThat(remoteTip()).isEqualTo(tip);
    assertThat(git(a, "log", "-1", "--format=%s").strip()).isEqualTo("Update README.md");
    assertThat(git(a, "rev-list", "--count", "HEAD").strip()).isEqualTo("2");
    assertThat(Files.readString(a.resolve("README.md"))).isEqualTo("config of team a\n");
  }

  @Test
  void aRefusingHookIsExit1WithItsMessageAndNoRetry() throws Exception {
    Path hook = bare.resolve("hooks/pre-receive");
    Path count = tmp.resolve("hook-runs");
    Files.writeString(hook, "#!/bin/sh\necho run >> '" + count + "'\necho 'denied: main is protected by policy' >&2\nexit 1\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path a = clone("a");
    ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/web:2.0.0"));
    String tip = remoteTip();

    Run refused = run("commit-push", "-C", a.toString(), "--attempts", "5");

    assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err()).contains("denied: main is protected by policy").contains("refused");
    assertThat(Files.readAllLines(count)).hasSize(1);
    assertThat(remoteTip()).isEqualTo(tip);
    assertThat(git(a, "rev-list", "--count", "HEAD").strip()).isEqualTo("2");
  }

  @Test
  void aCommitLeftByAnEarlierRunIsPushedWhenNothingElseChanged() throws Exception {
    Path a = clone("a");
    Files.writeString(a.resolve("README.md"), "config, by hand\n");
    git(a, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-q", "-am", "Hand edit");

    Run pushed = ok(run("--output", "json", "commit-push", "-C", a.toString()));

    assertThat(StrictJson.parseObject(pushed.out())).containsEntry("committed", false).containsEntry("pushed", true);
    assertThat(remote("log", "-1", "--format=%an|%s", "main").strip()).isEqualTo("Dev|Hand edit");
  }

  @Test
  void pathspecLimitsWhatIsCommittedAndAddNewTakesNewFiles() throws Exception {
    Path a = clone("a");
    Files.writeString(a.resolve("apps/web/service.yaml"), "apiVersion: v1\nkind: Service\n");
    Files.delete(a.resolve("apps/web/deployment.yaml"));
    Files.writeString(a.resolve("README.md"), "not this one\n");

    ok(run("commit-push", "-C", a.toString(), "--add-new", "apps/web"));

    assertThat(remote("ls-tree", "-r", "--name-only", "main").lines().toList())
        .containsExactly("README.md", "apps/web/service.yaml", "overlays/prod/kustomization.yaml");
    assertThat(remoteFile("README.md")).isEqualTo("config\n");
    assertThat(git(a, "status", "--porcelain").strip()).isEqualTo("M README.md");
    assertThat(remote("log", "-1", "--format=%B", "main").strip())
        .isEqualTo("Update apps/web/deployment.yaml (and 1 more)");
  }

  @Test
  void aStrayNewFileIsLeftOutWithAWarningUnlessNamedOrAddNewIsGiven() throws Exception {
    Path a = clone("a");
    ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/web:2.0.0"));
    // What a CI job may leave in the checkout: a deploy key, a file of its own.
    Files.writeString(a.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n");
    Files.writeString(a.resolve("apps/web/notes.yaml"), "note: 1\n");

    Run pushed = ok(run("commit-push", "-C", a.toString()));

    assertThat(pushed.err())
        .contains("warning: 2 new files not committed: apps/web/notes.yaml, id_ed25519")
        .contains("give --add-new");
    assertThat(remote("ls-tree", "-r", "--name-only", "main").lines().toList())
        .containsExactly("README.md", "apps/web/deployment.yaml", "overlays/prod/kustomization.yaml");
    assertThat(remoteFile("apps/web/deployment.yaml")).contains("ghcr.io/acme/web:2.0.0");

    ok(run("commit-push", "-C", a.toString(), "apps/web/notes.yaml"));
    assertThat(remote("ls-tree", "-r", "--name-only", "main")).contains("apps/web/notes.yaml").doesNotContain("id_ed25519");

    Run preview = ok(run("commit-push", "-C", a.toString(), "--add-new", "--dry-run"));
    assertThat(preview.out().lines()).containsExactly("id_ed25519");
    assertThat(remote("ls-tree", "-r", "--name-only", "main")).doesNotContain("id_ed25519");

    Run added = ok(run("commit-push", "-C", a.toString(), "--add-new"));
    assertThat(added.err()).doesNotContain("not committed");
    assertThat(remote("ls-tree", "-r", "--name-only", "main")).contains("id_ed25519");
    assertThat(git(a, "status", "--porcelain")).isEmpty();
  }

  @Test
  void aNewFileThatBumperEditedIsCommittedWithoutAddNew() throws Exception {
    Path a = clone("a");
    // A manifest an earlier CI step generated, untracked, that the bump then edits.
    Files.createDirectories(a.resolve("apps/api"));
    Files.writeString(a.resolve("apps/api/deployment.yaml"), DEPLOYMENT.replace("name: web\n", "name: api\n"));
    Files.writeString(a.resolve("apps/api/notes.txt"), "not a manifest\n");
    ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/api:2.0.0"));

    Run pushed = ok(run("commit-push", "-C", a.toString()));

    assertThat(pushed.err()).contains("warning: 1 new file not committed: apps/api/notes.txt");
    assertThat(remoteFile("apps/api/deployment.yaml")).contains("ghcr.io/acme/api:2.0.0");
    assertThat(remote("ls-tree", "-r", "--name-only", "main")).doesNotContain("notes.txt");
  }

  @Test
  void aCheckoutWithoutAnIndexIsNotCommittedAsDeletions() throws Exception {
    // What a clone stopped in its checkout leaves once git removed its index.lock: HEAD, some
    // files, no index. git commit -a would take every file as deleted.
    Path a = tmp.resolve("a");
    git(tmp, "clone", "-q", "--no-checkout", bare.toString(), a.toString());
    git(a, "checkout", "HEAD", "--", "README.md");
    Files.delete(a.resolve(".git/index"));
    String tip = remoteTip();

    for (String dryRun : List.of("--dry-run", "--add-new")) {
      Run refused = run("commit-push", "-C", a.toString(), dryRun);
      assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
      assertThat(refused.err()).contains("is not a complete checkout (it has no index: its checkout did not finish)")
          .contains("nothing was committed").doesNotContain("internal error");
    }
    assertThat(remoteTip()).isEqualTo(tip);
  }

  @Test
  void dryRunListsTheFilesAndChangesNothing() throws Exception {
    Path a = clone("a");
    ok(run("bump-manifest", "-C", a.toString(), "-i", "ghcr.io/acme/web:2.0.0"));
    String tip = remoteTip();

    Run preview = ok(run("--output", "json", "commit-push", "-C", a.toString(), "--dry-run"));

    assertThat(StrictJson.parseObject(preview.out()))
        .containsEntry("dryRun", true)
        .containsEntry("committed", false)
        .containsEntry("files", List.of("apps/web/deployment.yaml"));
    assertThat(remoteTip()).isEqualTo(tip);
    assertThat(git(a, "status", "--porcelain").strip()).isEqualTo("M apps/web/deployment.yaml");
  }

  @Test
  void cloneModeBumpsInAShallowCloneThatCommitPushPicksUp() throws Exception {
    Path dir = tmp.resolve("clone");

    ok(run("bump-manifest", "--repo", url, "-C", dir.toString(), "-i", "ghcr.io/acme/web:2.0.0"));
    ok(run("kustomize-set-image", "--repo", url, "-C", dir.toString(), "-f", "overlays/prod/kustomization.yaml",
        "ghcr.io/acme/worker:2.0.0"));
    Run pushed = ok(run("commit-push", "--repo", url, "-C", dir.toString()));

    assertThat(pushed.out()).contains("pushed");
    assertThat(remoteFile("apps/web/deployment.yaml")).contains("web:2.0.0");
    assertThat(remoteFile("overlays/prod/kustomization.yaml")).contains("newTag: 2.0.0");
    assertThat(remote("log", "-1", "--format=%B", "main").strip())
        .isEqualTo("ghcr.io/acme/web 1.0.0 -> 2.0.0 (and 1 more)");
  }

  @Test
  void cloneModeWithPushCommitsAndPushesAtOnce() throws Exception {
    ok(run("bump-manifest", "--repo", url, "-C", tmp.resolve("c1").toString(), "--push", "-i", "ghcr.io/acme/web:2.0.0"));
    Run kustomize =
        ok(run("--output", "json", "kustomize-set-image", "--repo", url, "-C", tmp.resolve("c2").toString(),
            "-f", "overlays/prod/kustomization.yaml", "--push", "ghcr.io/acme/worker:2.0.0"));

    assertThat(StrictJson.parseObject(kustomize.out())).containsEntry("pushed", true).containsEntry("commit", remoteTip());
    assertThat(remote("log", "--format=%s", "main").lines().toList())
        .containsExactly("ghcr.io/acme/worker 1.0.0 -> 2.0.0", "ghcr.io/acme/web 1.0.0 -> 2.0.0", "init");
  }

  @Test
  void cloneModeRefusesADirectoryThatIsNotACloneOfTheUrl() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.writeString(other.resolve("notes.txt"), "mine\n");
    Path a = clone("a");
    Path elsewhere = tmp.resolve("elsewhere.git");
    git(tmp, "init", "-q", "--bare", elsewhere.toString());

    Run notEmpty = run("commit-push", "--repo", url, "-C", other.toString());
    Run otherUrl = run("commit-push", "--repo", elsewhere.toUri().toString(), "-C", a.toString());
    Run noDir = run("commit-push", "--repo", url);

    assertThat(notEmpty.code()).as(notEmpty.toString()).isEqualTo(2);
    assertThat(notEmpty.err()).contains("exists and is not a clone of");
    assertThat(Files.readString(other.resolve("notes.txt"))).isEqualTo("mine\n");
    assertThat(otherUrl.code()).isEqualTo(2);
    assertThat(otherUrl.err()).contains("is a clone of " + bare + ", not of");
    // a clone made from the path is a clone of the file:// URL too
    assertThat(ok(run("commit-push", "--repo", url, "-C", a.toString())).out()).contains("nothing to commit");
    assertThat(noDir.code()).isEqualTo(2);
    assertThat(noDir.err()).contains("--repo needs -C DIR");
  }

  @Test
  void outsideACheckoutIsAUsageError() throws IOException {
    Path plain = Files.createDirectories(tmp.resolve("plain"));

    Run outside = run("commit-push", "-C", plain.toString());

    assertThat(outside.code()).isEqualTo(2);
    assertThat(outside.err()).contains("not in a git checkout");
  }
}
