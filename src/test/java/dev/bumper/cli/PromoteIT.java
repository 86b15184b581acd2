package dev.bumper.cli;

import static dev.bumper.cli.PromoteFixture.digest;
import static dev.bumper.cli.Run.runWith;
import static dev.bumper.cli.TestProcesses.git;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bumper promote} against a bare config repo made by the git CLI, served over file:// and
 * by git's own {@code git http-backend} on loopback: in memory, in a clone and in a checkout. The
 * result is read back with the git CLI, every file byte for byte, and checked with {@code git fsck
 * --strict}.
 */
class PromoteIT {
  private static final String TOKEN = "promote-it-token-5f0c2a9b";
  private static final String SHA = "5e1f0c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f";
  private static final Map<String, String> CI = Map.of(
      "SEMAPHORE", "true",
      "SEMAPHORE_GIT_SHA", SHA,
      "SEMAPHORE_ORGANIZATION_URL", "https://acme.semaphoreci.com",
      "SEMAPHORE_WORKFLOW_ID", "wf-7",
      "GIT_TOKEN", TOKEN);

  @TempDir Path tmp;
  private Path bare;
  private Path seed;
  private GitHttpServer server;
  private String fileUrl;
  private String httpUrl;

  @BeforeEach
  void serve() throws Exception {
    Path served = Files.createDirectories(tmp.resolve("served"));
    bare = served.resolve("config.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    seed = tmp.resolve("seed");
    git(tmp, "clone", "-q", bare.toString(), seed.toString());
    git(seed, "checkout", "-q", "-b", "main");
    commitAll(PromoteFixture.files(), "Config repo");
    server = new GitHttpServer(served, TOKEN);
    fileUrl = bare.toUri().toString();
    httpUrl = server.url("config.git");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void inMemoryOverHttpMovesExactlyStagingsDigestsInOneCommitAndAgainIsANoOp() throws Exception {
    String before = tip();

    Run run = promote("--repo", httpUrl, "--push");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(tree("main")).isEqualTo(new TreeMap<>(PromoteFixture.promoted()));
    assertThat(remote("rev-list", "--count", "main").strip()).isEqualTo("2");
    assertThat(remote("log", "-1", "--format=%s", "main").strip()).isEqualTo(
        "Promote overlays/staging to overlays/production: ghcr.io/acme/web 1.4.0@sha256:1111111111"
            + "11 -> 1.4.2@sha256:aaaaaaaaaaaa (and 3 more)");
    assertThat(trailers("main")).isEqualTo(trailersFor(before));
    assertThat(run.out()).contains("4 images of overlays/staging promoted in overlays/production");
    assertThat(run.out() + run.err()).doesNotContain(TOKEN);

    String promoted = tip();
    Run again = promote("--repo", httpUrl, "--push");

    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out()).contains("already up to date");
    assertThat(tip()).isEqualTo(promoted);
    git(tmp, "--git-dir=" + bare, "fsck", "--strict");
  }

  @Test
  void aMixedReferenceSourceIsRefusedAndNothingIsPushed() throws Exception {
    Map<String, String> files = PromoteFixture.files();
    files.put("overlays/staging/values.yaml", PromoteFixture.STAGING_VALUES
        + "report:\n  image: ghcr.io/acme/report:3.1.0@" + digest('3') + "\n");
    commitAll(files, "A second report in staging");
    String before = tip();

    Run overFile = promote("--repo", fileUrl, "--push");
    Run overHttp = promote("--output", "json", "--repo", httpUrl, "--push");

    for (Run run : List.of(overFile, overHttp)) {
      assertThat(run.code()).as(run.toString()).isEqualTo(4);
      assertThat(tip()).isEqualTo(before);
    }
    assertThat(overFile.err())
        .contains("overlays/staging deploys ghcr.io/acme/report at 2 references:")
        .contains("ghcr.io/acme/report:3.1.0@" + digest('3') + " at overlays/staging/values.yaml:8")
        .contains("ghcr.io/acme/report:3.2.0@" + digest('c')
            + " at overlays/staging/report.yaml:10");
    assertThat(StrictJson.parseObject(overHttp.out())).containsEntry("exitCode", 4L);
    assertThat(tree("main")).isEqualTo(new TreeMap<>(files));
  }

  @Test
  void inACloneWithPushTheSameCommit() throws Exception {
    String before = tip();
    Path clone = tmp.resolve("clone");

    Run run = promote("--repo", fileUrl, "-C", clone.toString(), "--push");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(tree("main")).isEqualTo(new TreeMap<>(PromoteFixture.promoted()));
    assertThat(trailers("main")).isEqualTo(trailersFor(before));
    assertThat(Files.readString(clone.resolve("overlays/production/values.yaml"), UTF_8))
        .isEqualTo(PromoteFixture.PRODUCTION_VALUES_PROMOTED);
    git(tmp, "--git-dir=" + bare, "fsck", "--strict");
  }

  @Test
  void inACheckoutThenCommitPush() throws Exception {
    String before = tip();
    Path checkout = tmp.resolve("checkout");
    git(tmp, "clone", "-q", bare.toString(), checkout.toString());

    Run promote = runWith(CI, "promote", "-C", checkout.toString(), "--from", "overlays/staging",
        "--to", "overlays/production");
    Run push = runWith(CI, "commit-push", "-C", checkout.toString());

    assertThat(promote.code()).as(promote.toString()).isZero();
    assertThat(push.code()).as(push.toString()).isZero();
    assertThat(tree("main")).isEqualTo(new TreeMap<>(PromoteFixture.promoted()));
    assertThat(remote("log", "-1", "--format=%s", "main")).startsWith(
        "Promote overlays/staging to overlays/production: ghcr.io/acme/web");
    assertThat(trailers("main")).isEqualTo(trailersFor(before));
    git(tmp, "--git-dir=" + bare, "fsck", "--strict");
  }

  @Test
  void aLostRaceReadsStagingAgainOnTheNewTip() throws Exception {
    Path checkout = tmp.resolve("checkout");
    git(tmp, "clone", "-q", bare.toString(), checkout.toString());
    Run promote = runWith(CI, "promote", "-C", checkout.toString(), "--from", "overlays/staging",
        "--to", "overlays/production");
    assertThat(promote.code()).as(promote.toString()).isZero();
    // meanwhile staging got a newer web build
    Map<String, String> newer = PromoteFixture.files();
    newer.put("overlays/staging/kustomization.yaml", PromoteFixture.STAGING_KUSTOMIZATION
        .replace("\"1.4.2\"", "\"1.4.3\"").replace(digest('a'), digest('7')));
    commitAll(newer, "Deploy web 1.4.3 to staging");
    String moved = tip();

    Run push = runWith(CI, "commit-push", "-C", checkout.toString());

    assertThat(push.code()).as(push.toString()).isZero();
    Map<String, String> expected = new TreeMap<>(PromoteFixture.promoted());
    expected.put("overlays/staging/kustomization.yaml",
        newer.get("overlays/staging/kustomization.yaml"));
    expected.put("overlays/production/kustomization.yaml",
        PromoteFixture.PRODUCTION_KUSTOMIZATION_PROMOTED.replace("\"1.4.2\"", "\"1.4.3\"")
            .replace(digest('a'), digest('7')));
    assertThat(tree("main")).isEqualTo(expected);
    assertThat(trailers("main")).isEqualTo(trailersFor(moved));
    git(tmp, "--git-dir=" + bare, "fsck", "--strict");
  }

  private Run promote(String... more) {
    return runWith(CI, Stream.concat(Stream.of("promote", "--from", "overlays/staging", "--to",
        "overlays/production"), Arrays.stream(more)).toArray(String[]::new));
  }

  private static String trailersFor(String commit) {
    return "Source-Commit: " + SHA + "\nBuild-URL: https://acme.semaphoreci.com/workflows/wf-7\n"
        + "Promoted-From: overlays/staging\nPromoted-From-Commit: " + commit;
  }

  private void commitAll(Map<String, String> files, String message) throws Exception {
    if (!git(seed, "branch", "-r").isBlank()) {
      git(seed, "pull", "-q", "--ff-only", "origin", "main");
    }
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = seed.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue(), UTF_8);
    }
    git(seed, "add", "-A");
    git(seed, "-c", "user.name=Platform", "-c", "user.email=platform@example.com", "commit", "-q",
        "-m", message);
    git(seed, "push", "-q", "origin", "main");
  }

  /** Every file of a commit, byte for byte, by path. */
  private Map<String, String> tree(String rev) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    for (String path : remote("ls-tree", "-r", "--name-only", rev).split("\n")) {
      if (!path.isEmpty()) {
        files.put(path, remote("show", rev + ":" + path));
      }
    }
    return new TreeMap<>(files);
  }

  private String trailers(String rev) throws Exception {
    return remote("log", "-1", "--format=%(trailers)", rev).strip();
  }

  private String tip() throws Exception {
    return remote("rev-parse", "main").strip();
  }

  private String remote(String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = "--git-dir=" + bare;
    System.arraycopy(args, 0, all, 1, args.length);
    return git(tmp, all);
  }
}
