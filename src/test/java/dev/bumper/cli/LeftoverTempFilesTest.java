package dev.bumper.cli;

import static dev.bumper.cli.Run.run;
import static dev.bumper.cli.TestProcesses.git;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temp files an atomic write leaves when its process is killed: the next run removes them (its
 * own, and those of a run still writing, stay), and commit-push never commits one.
 */
class LeftoverTempFilesTest {
  private static final String POD = "spec:\n  containers:\n    - name: web\n      image: ghcr.io/acme/web:1.0\n";

  @TempDir Path tmp;
  private Process otherRun;
  private String stale;
  private String live;

  @BeforeEach
  void names() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    stale = ".pod.yaml.bumper-" + ended.pid() + "-0123456789abcdef.tmp";
    otherRun = new ProcessBuilder("sleep", "120").start();
    live = ".pod.yaml.bumper-" + otherRun.pid() + "-fedcba9876543210.tmp";
  }

  @AfterEach
  void stop() {
    otherRun.destroyForcibly();
  }

  @Test
  void bumpManifestRemovesTheTempFilesOfKilledRunsAsItWalks() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path apps = Files.createDirectories(root.resolve("apps/web"));
    Files.writeString(apps.resolve("pod.yaml"), POD);
    Files.writeString(apps.resolve(stale), "spec:\n  contai");
    Files.writeString(apps.resolve(live), "spec:\n");
    Files.writeString(root.resolve(".legacy.yaml.bumper-0123456789abcdef.tmp"), "old name, no pid");

    Run dryRun = run("bump-manifest", "-C", root.toString(), "--dry-run", "-i", "ghcr.io/acme/web:2.0");
    assertThat(apps.resolve(stale)).as("a dry run writes and removes nothing").exists();

    Run run = run("-v", "bump-manifest", "-C", root.toString(), "-i", "ghcr.io/acme/web:2.0");

    assertThat(dryRun.code()).as(dryRun.toString()).isZero();
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("1 image updated in 1 file (1 file scanned)");
    assertThat(run.err()).contains("removed apps/web/" + stale + ", left by a run that did not finish");
    assertThat(apps.resolve(stale)).doesNotExist();
    assertThat(root.resolve(".legacy.yaml.bumper-0123456789abcdef.tmp")).doesNotExist();
    assertThat(apps.resolve(live)).as("a run still writing keeps its temp file").exists();
  }

  @Test
  void kustomizeSetImageRemovesThemBesideTheKustomization() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("overlay"));
    Files.writeString(dir.resolve("kustomization.yaml"), "images:\n- name: web\n  newTag: \"1.0\"\n");
    Files.writeString(dir.resolve(stale), "images:\n- na");
    Files.writeString(dir.resolve(live), "images:\n");

    Run run = run("kustomize-set-image", "-C", dir.toString(), "web:2.0");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(dir.resolve(stale)).doesNotExist();
    assertThat(dir.resolve(live)).exists();
  }

  @Test
  void commitPushNeverCommitsATempFile() throws Exception {
    Path bare = tmp.resolve("config.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    Path work = tmp.resolve("work");
    git(tmp, "clone", "-q", bare.toString(), work.toString());
    Files.writeString(work.resolve("pod.yaml"), POD);
    git(work, "add", "-A");
    git(work, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init");
    git(work, "push", "-q", "origin", "main");
    Files.writeString(work.resolve("pod.yaml"), POD.replace("1.0", "2.0"));
    Files.writeString(work.resolve(stale), "spec:\n  contai");
    Files.writeString(work.resolve(live), "spec:\n");

    Run run = run("commit-push", "-C", work.toString());

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(git(tmp, "--git-dir=" + bare, "ls-tree", "-r", "--name-only", "main")).isEqualTo("pod.yaml\n");
    assertThat(git(tmp, "--git-dir=" + bare, "show", "main:pod.yaml")).contains("web:2.0");
    assertThat(work.resolve(stale)).doesNotExist();
    assertThat(work.resolve(live)).exists();
  }
}
