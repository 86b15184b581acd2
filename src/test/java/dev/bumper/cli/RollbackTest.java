package dev.bumper.cli;

import static dev.bumper.cli.EnvironmentRepo.ci;
import static dev.bumper.cli.EnvironmentRepo.digest;
import static dev.bumper.cli.EnvironmentRepo.show;
import static dev.bumper.cli.Run.runWith;
import static dev.bumper.cli.TestProcesses.git;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bumper rollback} and {@code release} against a config repo served by {@code git
 * http-backend}: the images come back as they were at the point asked for, in a new commit that
 * touches nothing else; a hold stops the next bump of the path with exit 6 until it is released;
 * and a rollback lands among sixteen pipelines bumping staging at the same moment.
 */
class RollbackTest {
  private static final String TOKEN = "ghp_Rollback0123456789abcdefghi";
  private static final String WEB = "ghcr.io/acme/web";
  private static final String PROD = "overlays/production/kustomization.yaml";
  private static final String VALUES = "overlays/production/values.yaml";

  @TempDir Path tmp;
  private Path bare;
  private GitHttpServer server;
  private String url;
  private Path work;
  /** Commits by name: c1 (web 1.0.1), c2 (api 2.0.1), c3 (web 1.0.3), c4 (replicas). */
  private final Map<String, String> commits = new HashMap<>();

  @BeforeEach
  void serve() throws Exception {
    Path served = Files.createDirectories(tmp.resolve("served"));
    bare = EnvironmentRepo.create(served.resolve("config.git"));
    server = new GitHttpServer(served, TOKEN);
    url = server.url("config.git");
    work = tmp.resolve("work");
    git(tmp, "clone", "-q", bare.toString(), work.toString());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Run bumper(String... args) {
    Map<String, String> env = new HashMap<>(ci(7));
    env.put("GIT_TOKEN", TOKEN);
    return runWith(env, args);
  }

  private String tip() throws Exception {
    return git(bare, "--git-dir=" + bare, "rev-parse", "main").strip();
  }

  /** init, c1 bumper web 1.0.1, c2 hand api 2.0.1, c3 bumper web 1.0.3, c4 hand replicas. */
  private void deploys() throws Exception {
    assertThat(bumper("bump-manifest", "--repo", url, "--push", "-i",
        WEB + ":1.0.1@" + digest(1), "overlays/production").code()).isZero();
    commits.put("c1", tip());
    EnvironmentRepo.handCommit(work, VALUES, "tag: \"2.0.0\"", "tag: \"2.0.1\"", "api 2.0.1");
    commits.put("c2", tip());
    assertThat(bumper("bump-manifest", "--repo", url, "--push", "-i",
        WEB + ":1.0.3@" + digest(3), "overlays/production").code()).isZero();
    commits.put("c3", tip());
    EnvironmentRepo.handCommit(work, PROD, "count: 3", "count: 4", "Scale production");
    commits.put("c4", tip());
  }

  /** Every file of main, by path. */
  private Map<String, String> tree() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    for (String path : git(bare, "--git-dir=" + bare, "ls-tree", "-r", "--name-only", "main")
        .strip().split("\n")) {
      files.put(path, show(bare, path));
    }
    return files;
  }

  /** Rolls back and checks that only {@code file} changed, from {@code from} to {@code to}. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> rollBack(String to, String file, String from, String now)
      throws Exception {
    Map<String, String> before = tree();
    String tipBefore = tip();
    Run run = bumper("--output", "json", "rollback", "--repo", url, "--push", "--to", to,
        "overlays/production");
    assertThat(run.code()).as(run.toString()).isZero();
    Map<String, String> after = tree();
    Map<String, String> expected = new LinkedHashMap<>(before);
    assertThat(before.get(file)).contains(from);
    expected.put(file, before.get(file).replace(from, now));
    assertThat(after).isEqualTo(expected);
    assertThat(git(bare, "--git-dir=" + bare, "rev-parse", "main~1").strip()).isEqualTo(tipBefore);
    Map<String, Object> json = StrictJson.parseObject(run.out());
    assertThat(json).containsEntry("changed", true).containsEntry("pushed", true)
        .containsEntry("path", "overlays/production").containsEntry("commit", tip())
        .containsEntry("held", false);
    assertThat((List<Map<String, Object>>) json.get("changes")).hasSize(1);
    String message = git(bare, "--git-dir=" + bare, "log", "-1", "--format=%B", "main");
    assertThat(message).contains("Rollback-Of: " + json.get("rollbackOf"))
        .contains("Source-Commit: ").startsWith("Roll back overlays/production to ");
    return json;
  }

  @Test
  void toPreviousToNBackAndToACommitEachSetsTheImagesOfThatPointAndNothingElse()
      throws Exception {
    deploys();
    // previous: the deploy before c3 is c2 (web 1.0.1, api 2.0.1); c4's replicas stay
    Map<String, Object> previous = rollBack("previous", PROD,
        "1.0.3\"\n    digest: " + digest(3), "1.0.1\"\n    digest: " + digest(1));
    assertThat(previous).containsEntry("rolledBackTo", commits.get("c2"))
        .containsEntry("rollbackOf", commits.get("c3"));
    assertThat(show(bare, PROD)).contains("count: 4");

    // 3 back from the rollback: init, c1, c2, c3, rollback; c1 had api 2.0.0
    Map<String, Object> back = rollBack("3", VALUES, "tag: \"2.0.1\"", "tag: \"2.0.0\"");
    assertThat(back).containsEntry("rolledBackTo", commits.get("c1"));

    // a commit, abbreviated: c3 ran web 1.0.3 and api 2.0.1; the web line is not the only change
    Map<String, String> before = tree();
    Run run = bumper("rollback", "--repo", url, "--push", "--to",
        commits.get("c3").substring(0, 10), "overlays/production");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("rolled back to " + commits.get("c3").substring(0, 12));
    Map<String, String> after = tree();
    assertThat(after.get(PROD)).isEqualTo(before.get(PROD)
        .replace("1.0.1\"\n    digest: " + digest(1), "1.0.3\"\n    digest: " + digest(3)));
    assertThat(after.get(VALUES)).isEqualTo(before.get(VALUES).replace("2.0.0", "2.0.1"));
    after.remove(PROD);
    after.remove(VALUES);
    before.remove(PROD);
    before.remove(VALUES);
    assertThat(after).isEqualTo(before);

    // the images now are those c3 deployed
    Run now = bumper("--output", "json", "history", "--repo", url, "overlays/production");
    Map<String, Object> images = (Map<String, Object>) StrictJson.parseObject(now.out())
        .get("images");
    assertThat(images).containsEntry(WEB, List.of(WEB + ":1.0.3@" + digest(3)))
        .containsEntry("ghcr.io/acme/api", List.of("ghcr.io/acme/api:2.0.1"));

    // again: nothing to do, nothing pushed
    String tip = tip();
    Run again = bumper("rollback", "--repo", url, "--push", "--to", commits.get("c3"),
        "overlays/production");
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out()).contains("already deploys what it did at");
    assertThat(tip()).isEqualTo(tip);

    Run tooFar = bumper("rollback", "--repo", url, "--push", "--to", "40", "overlays/production");
    assertThat(tooFar.code()).isEqualTo(2);
    // no such commit, by a short id, a whole one, a ref: one usage error each, nothing pushed
    for (String to : List.of("deadbeef", "0123456789012345678901234567890123456789", "nosuchref")) {
      Run none = bumper("--output", "json", "rollback", "--repo", url, "--push", "--to", to, "overlays/production");
      assertThat(none.code()).as(to).isEqualTo(2);
      assertThat(StrictJson.parseObject(none.out())).as(to)
          .containsEntry("error", "--to " + to + ": no such commit or ref");
    }
    assertThat(tip()).isEqualTo(tip);
    EnvironmentRepo.fsck(bare);
  }

  @SuppressWarnings("unchecked")
  @Test
  void aHoldRefusesTheNextBumpOfThePathWithExit6UntilReleased() throws Exception {
    deploys();
    Run hold = bumper("--output", "json", "rollback", "--repo", url, "--push", "--hold",
        "--reason", "5xx after 1.0.3", "overlays/production");
    assertThat(hold.code()).as(hold.toString()).isZero();
    Map<String, Object> json = StrictJson.parseObject(hold.out());
    assertThat(json).containsEntry("held", true).containsEntry("changed", true);
    String holds = show(bare, ".bumper/holds.yaml");
    assertThat(holds).contains("path: \"overlays/production\"", "reason: \"5xx after 1.0.3\"",
        "rolledBackTo: \"" + commits.get("c2") + "\"", "rollbackOf: \"" + commits.get("c3") + "\"");
    // one commit: the images and the hold together
    assertThat(git(bare, "--git-dir=" + bare, "show", "--name-only", "--format=", "main").strip()
        .split("\n")).containsExactly(".bumper/holds.yaml", PROD);

    String tip = tip();
    Map<String, String> before = tree();
    Run inMemory = bumper("--output", "json", "bump-manifest", "--repo", url, "--push", "-i",
        WEB + ":9.0.0", "overlays/production");
    assertThat(inMemory.code()).as(inMemory.toString()).isEqualTo(6);
    assertThat(inMemory.err()).contains("overlays/production is held", "bumper release");
    assertThat(StrictJson.parseObject(inMemory.out())).containsEntry("exitCode", 6L);
    Run everywhere = bumper("bump-manifest", "--repo", url, "--push", "-i", WEB + ":9.0.0");
    assertThat(everywhere.code()).as(everywhere.toString()).isEqualTo(6);
    Run kustomize = bumper("kustomize-set-image", "--repo", url, "--push", "-f", PROD,
        "web=" + WEB + ":9.0.0");
    assertThat(kustomize.code()).as(kustomize.toString()).isEqualTo(6);
    assertThat(tip()).isEqualTo(tip);

    // in a checkout: exit 6, no file written, nothing recorded
    git(work, "pull", "-q", "--rebase", "origin", "main");
    String file = Files.readString(work.resolve(PROD));
    Run local = bumper("bump-manifest", "-C", work.resolve("overlays").toString(), "-i",
        WEB + ":9.0.0", "production");
    assertThat(local.code()).as(local.toString()).isEqualTo(6);
    assertThat(Files.readString(work.resolve(PROD))).isEqualTo(file);
    assertThat(git(work, "status", "--porcelain")).isEmpty();
    assertThat(work.resolve(".git/bumper/intents")).satisfiesAnyOf(
        dir -> assertThat(dir).doesNotExist(), dir -> assertThat(dir).isEmptyDirectory());

    // other environments are not held
    Run staging = bumper("bump-manifest", "--repo", url, "--push", "-i", WEB + ":9.0.0",
        "overlays/staging");
    assertThat(staging.code()).as(staging.toString()).isZero();
    assertThat(tree().get(PROD)).isEqualTo(before.get(PROD));

    // release lifts it, in a commit of its own
    Run release = bumper("--output", "json", "release", "--repo", url, "--push",
        "overlays/production");
    assertThat(release.code()).as(release.toString()).isZero();
    assertThat(StrictJson.parseObject(release.out())).containsEntry("changed", true)
        .containsEntry("held", false).containsEntry("pushed", true)
        .containsEntry("path", "overlays/production");
    assertThat(show(bare, ".bumper/holds.yaml")).contains("holds: []")
        .doesNotContain("overlays/production");
    Run releasedAgain = bumper("release", "--repo", url, "--push", "overlays/production");
    assertThat(releasedAgain.out()).contains("is not held");

    Run after = bumper("bump-manifest", "--repo", url, "--push", "-i", WEB + ":9.0.0",
        "overlays/production");
    assertThat(after.code()).as(after.toString()).isZero();
    assertThat(show(bare, PROD)).contains("newTag: \"9.0.0\"");
    EnvironmentRepo.fsck(bare);
  }

  @Test
  void forceBumpsAHeldPathAndACheckoutRollbackIsCommittedWithItsTrailer() throws Exception {
    deploys();
    git(work, "pull", "-q", "--rebase", "origin", "main");
    Run rollback = bumper("rollback", "-C", work.toString(), "--hold", "overlays/production");
    assertThat(rollback.code()).as(rollback.toString()).isZero();
    assertThat(work.resolve(".bumper/holds.yaml")).exists();
    git(work, "remote", "set-url", "origin", url);
    Run commit = bumper("commit-push", "-C", work.toString());
    assertThat(commit.code()).as(commit.toString()).isZero();
    assertThat(git(bare, "--git-dir=" + bare, "log", "-1", "--format=%B", "main"))
        .contains("Rollback-Of: " + commits.get("c3"));
    assertThat(show(bare, ".bumper/holds.yaml")).contains("overlays/production");

    Run forced = bumper("bump-manifest", "--repo", url, "--push", "--force", "-i",
        WEB + ":9.9.9", "overlays/production");
    assertThat(forced.code()).as(forced.toString()).isZero();
    assertThat(show(bare, PROD)).contains("newTag: \"9.9.9\"");

    Run dryRun = bumper("release", "-C", work.toString(), "--dry-run", "overlays/production");
    assertThat(dryRun.code()).as(dryRun.toString()).isZero();
    assertThat(dryRun.out())
        .contains("--- a/.bumper/holds.yaml", "-  - path: \"overlays/production\"");
    EnvironmentRepo.fsck(bare);
  }

  @SuppressWarnings("unchecked")
  @Test
  void sixteenPipelinesBumpStagingWhileARollbackOfProductionRunsAndEverythingLands()
      throws Exception {
    deploys();
    ExecutorService pool = Executors.newFixedThreadPool(17);
    List<Future<Run>> bumps = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String reference = WEB + ":5.0." + i + "@" + digest(i);
      bumps.add(pool.submit(() -> bumper("bump-manifest", "--repo", url, "--push",
          "--attempts", "60", "-i", reference, "overlays/staging")));
    }
    Future<Run> rollback = pool.submit(() -> bumper("--output", "json", "rollback", "--repo",
        url, "--push", "--attempts", "60", "--hold", "overlays/production"));
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
    for (Future<Run> bump : bumps) {
      assertThat(bump.get().code()).as(bump.get().toString()).isZero();
    }
    assertThat(rollback.get().code()).as(rollback.get().toString()).isZero();

    Run staging = bumper("--output", "json", "history", "--repo", url, "overlays/staging");
    List<String> deployed = new ArrayList<>();
    for (Map<String, Object> deploy :
        (List<Map<String, Object>>) StrictJson.parseObject(staging.out()).get("deploys")) {
      for (Map<String, Object> change : (List<Map<String, Object>>) deploy.get("changes")) {
        deployed.add((String) change.get("new"));
      }
    }
    for (int i = 0; i < 16; i++) {
      assertThat(deployed).contains(WEB + ":5.0." + i + "@" + digest(i));
    }
    assertThat(show(bare, PROD)).contains("1.0.1\"\n    digest: " + digest(1));
    assertThat(show(bare, ".bumper/holds.yaml")).contains("overlays/production");
    // 4 deploys, 16 bumps, one rollback: each a commit of its own on one line
    assertThat(git(bare, "--git-dir=" + bare, "rev-list", "--count", "--first-parent", "main")
        .strip()).isEqualTo(String.valueOf(1 + 4 + 16 + 1));
    EnvironmentRepo.fsck(bare);
  }
}
