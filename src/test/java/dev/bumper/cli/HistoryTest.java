package dev.bumper.cli;

import static dev.bumper.cli.EnvironmentRepo.ci;
import static dev.bumper.cli.EnvironmentRepo.digest;
import static dev.bumper.cli.Run.runWith;
import static dev.bumper.cli.TestProcesses.git;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bumper history} over a config repo served by {@code git http-backend}: 20 deploys of
 * production, half pushed by bumper from "CI" and half made by hand, among commits that change
 * other environments or nothing deployed. Every change of the image is listed in order with its
 * commit's trailers, from a checkout and through {@code --repo URL} without one.
 */
class HistoryTest {
  private static final String TOKEN = "ghp_History0123456789abcdefghij";
  private static final String WEB = "ghcr.io/acme/web";

  @TempDir Path tmp;
  private Path bare;
  private GitHttpServer server;
  private String url;
  private Path work;

  /** The reference production's web had after each deploy, oldest first. */
  private final List<String> deployed = new ArrayList<>();
  /** The Source-Commit of each deploy, or null for a hand-made one without it. */
  private final List<String> sources = new ArrayList<>();

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

  private void deploy20() throws Exception {
    String current = "1.0.0\"\n    digest: " + digest(0);
    for (int n = 1; n <= 20; n++) {
      String tag = "1.0." + n;
      String reference = WEB + ":" + tag + "@" + digest(n);
      if (n % 2 == 1) {
        Run bump = runWith(withToken(ci(n)), "bump-manifest", "--repo", url, "--push",
            "-i", reference, "overlays/production");
        assertThat(bump.code()).as(bump.toString()).isZero();
        sources.add("%040x".formatted(1000 + n));
      } else {
        String source = n % 4 == 0 ? "Source-Commit: " + "%040x".formatted(2000 + n) : null;
        EnvironmentRepo.handCommit(work, "overlays/production/kustomization.yaml",
            current, tag + "\"\n    digest: " + digest(n),
            "Deploy web " + tag + " by hand" + (source == null ? "" : "\n\n" + source));
        sources.add(source == null ? null : "%040x".formatted(2000 + n));
      }
      current = tag + "\"\n    digest: " + digest(n);
      deployed.add(reference);
      if (n % 5 == 0) {
        // noise: another environment, and a change to production that deploys nothing new
        runWith(withToken(ci(100 + n)), "bump-manifest", "--repo", url, "--push",
            "-i", WEB + ":9.9." + n, "overlays/staging");
        EnvironmentRepo.handCommit(work, "overlays/production/kustomization.yaml",
            "count: " + (3 + n / 5 - 1), "count: " + (3 + n / 5), "Scale production");
      }
    }
    git(work, "pull", "-q", "--rebase", "origin", "main");
  }

  private static Map<String, String> withToken(Map<String, String> env) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("GIT_TOKEN", TOKEN);
    return all;
  }

  @Test
  void everyChangeOfTheImageInOrderWithItsTrailersFromACheckoutAndFromTheRemote()
      throws Exception {
    deploy20();
    Run local = runWith(Map.of(), "--output", "json", "history", "-C", work.toString(),
        "--image", WEB, "overlays/production");
    assertThat(local.code()).as(local.toString()).isZero();
    checkJson(local.out());

    Run remote = runWith(Map.of("GIT_TOKEN", TOKEN), "--output", "json", "history", "--repo",
        url, "--image", "ghcr.io/acme/web:any", "overlays/production");
    assertThat(remote.code()).as(remote.toString()).isZero();
    checkJson(remote.out());
    assertThat(remote.out() + remote.err()).doesNotContain(TOKEN);

    // the same from a directory inside the checkout, PATH relative to it
    Run inside = runWith(Map.of(), "--output", "json", "history", "-C",
        work.resolve("overlays").toString(), "--image", WEB, "production");
    assertThat(inside.out()).isEqualTo(local.out());
    EnvironmentRepo.fsck(bare);
  }

  /**
   * A shallow checkout's history starts at the oldest commit it has, which is no deploy of its
   * own: JGit gives that commit no parents, so it is told by the repository's shallow list.
   */
  @Test
  @SuppressWarnings("unchecked")
  void aShallowCheckoutSaysSoAndListsNoDeployAtItsOldestCommit() throws Exception {
    deploy20();
    Path shallow = tmp.resolve("shallow");
    git(tmp, "clone", "-q", "--depth", "4", bare.toUri().toString(), shallow.toString());

    Run run = runWith(Map.of(), "--output", "json", "history", "-C", shallow.toString(), "--image", WEB,
        "overlays/production");

    assertThat(run.code()).as(run.toString()).isZero();
    Map<String, Object> json = StrictJson.parseObject(run.out());
    assertThat(json.get("shallow")).isEqualTo(true);
    List<Map<String, Object>> deploys = (List<Map<String, Object>>) json.get("deploys");
    assertThat(deploys).isNotEmpty().allSatisfy(deploy ->
        assertThat((List<Map<String, Object>>) deploy.get("changes")).allSatisfy(change ->
            assertThat(change.get("old")).as("a deploy with a before").isNotIn(null, "")));
    List<Map<String, Object>> last = (List<Map<String, Object>>) deploys.get(deploys.size() - 1).get("changes");
    assertThat(last.get(0).get("new")).isEqualTo(deployed.get(19));
    assertThat(last.get(0).get("old")).isEqualTo(deployed.get(18));
  }

  @SuppressWarnings("unchecked")
  private void checkJson(String out) {
    Map<String, Object> json = StrictJson.parseObject(out);
    assertThat(json.get("path")).isEqualTo("overlays/production");
    assertThat(json.get("shallow")).isEqualTo(false);
    List<Map<String, Object>> deploys = (List<Map<String, Object>>) json.get("deploys");
    // the first commit deployed the image; then the 20 deploys
    assertThat(deploys).hasSize(21);
    assertThat(deploys.get(0).get("back")).isEqualTo(20L);
    assertThat(deploys.get(0).get("subject")).isEqualTo("init");
    assertThat(deploys.get(0).get("changes")).isEqualTo(List.of(
        Map.of("image", WEB, "new", WEB + ":1.0.0@" + digest(0), "old", "")).stream()
        .map(m -> {
          Map<String, Object> change = new java.util.HashMap<>(m);
          change.put("old", null);
          return change;
        }).toList());
    for (int i = 0; i < 20; i++) {
      Map<String, Object> deploy = deploys.get(i + 1);
      List<Map<String, Object>> changes = (List<Map<String, Object>>) deploy.get("changes");
      assertThat(changes).as("deploy %d", i + 1).hasSize(1);
      assertThat(changes.get(0).get("image")).isEqualTo(WEB);
      assertThat(changes.get(0).get("old")).isEqualTo(
          i == 0 ? WEB + ":1.0.0@" + digest(0) : deployed.get(i - 1));
      assertThat(changes.get(0).get("new")).isEqualTo(deployed.get(i));
      assertThat(deploy.get("back")).isEqualTo(19L - i);
      assertThat(deploy.get("sourceCommit")).as("deploy %d", i + 1).isEqualTo(sources.get(i));
      if (i % 2 == 0) {
        assertThat(deploy.get("buildUrl"))
            .isEqualTo("https://acme.semaphoreci.com/workflows/wf-" + (i + 1));
        assertThat(deploy.get("author")).isEqualTo("bumper <bumper@users.noreply.github.com>");
      } else {
        assertThat(deploy.get("buildUrl")).isNull();
        assertThat(deploy.get("author")).isEqualTo("Hand Maker <hand@example.com>");
      }
      assertThat((String) deploy.get("commit")).hasSize(40);
      assertThat((String) deploy.get("date")).matches("\\d{4}-\\d\\d-\\d\\dT.*");
    }
    Map<String, Object> images = (Map<String, Object>) json.get("images");
    assertThat(images).containsEntry(WEB, List.of(deployed.get(19)));
  }

  @Test
  void aTableOnATerminalAndEveryImageWithoutAFilter() throws Exception {
    deploy20();
    Run table = runWith(Map.of(), "history", "-C", work.toString(), "overlays/production");
    assertThat(table.code()).as(table.toString()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0)).startsWith("BACK").contains("DATE", "COMMIT", "IMAGE", "OLD", "NEW",
        "AUTHOR", "SOURCE", "BUILD");
    // the first commit brought three images, then 20 changes of web
    assertThat(lines).hasSize(24);
    assertThat(lines.get(1)).startsWith("20 ").contains("ghcr.io/acme/api", "(none)");
    assertThat(lines.get(23)).startsWith("0 ").contains(deployed.get(19), "Hand Maker")
        .doesNotContain("9.9.");
    assertThat(lines.get(22)).startsWith("1 ").contains(deployed.get(18), "bumper",
        "https://acme.semaphoreci.com/workflows/wf-19");

    Run all = runWith(Map.of(), "--output", "json", "history", "-C", work.toString());
    assertThat(all.code()).as(all.toString()).isZero();
    assertThat(all.out()).contains("9.9.5").contains(WEB + ":1.0.20@");
  }
}
