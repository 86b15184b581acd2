package dev.bumper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kustomize-set-image --repo URL --push} against a bare repository made by the git CLI. */
class KustomizeRepoPushTest {
  private static final String KUSTOMIZATION =
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  # the app\n  - name: ghcr.io/acme/web\n    newTag: 1.0.0\n";

  @TempDir Path tmp;
  private Path bare;
  private String url;

  @BeforeEach
  void seed() throws Exception {
    bare = tmp.resolve("config.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    Path work = tmp.resolve("work");
    git(tmp, "clone", "-q", bare.toString(), work.toString());
    Files.createDirectories(work.resolve("overlays/prod"));
    Files.writeString(work.resolve("overlays/prod/kustomization.yaml"), KUSTOMIZATION);
    git(work, "add", "-A");
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "init");
    git(work, "push", "-q", "origin", "main");
    url = bare.toUri().toString();
  }

  @Test
  void setsTheImageAndPushesOneCommit() throws Exception {
    String[] out = run("kustomize-set-image", "--repo", url, "--push", "-f", "overlays/prod/kustomization.yaml",
        "-m", "Deploy {summary}", "ghcr.io/acme/web:1.1.0");

    assertThat(out[0]).as(out[1]).isEqualTo("0");
    assertThat(git(tmp, "--git-dir=" + bare, "show", "main:overlays/prod/kustomization.yaml"))
        .isEqualTo(KUSTOMIZATION.replace("1.0.0", "1.1.0"));
    assertThat(git(tmp, "--git-dir=" + bare, "log", "-1", "--format=%s", "main").strip())
        .isEqualTo("Deploy ghcr.io/acme/web 1.0.0 -> 1.1.0");
    assertThat(git(tmp, "--git-dir=" + bare, "rev-list", "--count", "main").strip()).isEqualTo("2");
  }

  @Test
  void argoCdAppWritesItsOverrideFileInOneCommitWithoutAWorkingTree() throws Exception {
    String[] out = run("bump-manifest", "--repo", url, "--push", "--argocd-app", "prod", "-i", "ghcr.io/acme/web:1.2.0",
        "overlays/prod");
    String[] again = run("bump-manifest", "--repo", url, "--push", "--argocd-app", "prod", "-i", "ghcr.io/acme/api:3.0",
        "overlays/prod");

    assertThat(out[0]).as(out[1]).isEqualTo("0");
    assertThat(again[0]).as(again[1]).isEqualTo("0");
    assertThat(git(tmp, "--git-dir=" + bare, "show", "main:overlays/prod/.argocd-source-prod.yaml"))
        .isEqualTo("kustomize:\n  images:\n  - ghcr.io/acme/web:1.2.0\n  - ghcr.io/acme/api:3.0\n");
    assertThat(git(tmp, "--git-dir=" + bare, "show", "main:overlays/prod/kustomization.yaml")).isEqualTo(KUSTOMIZATION);
    assertThat(git(tmp, "--git-dir=" + bare, "log", "-2", "--format=%s", "main").strip())
        .isEqualTo("ghcr.io/acme/api:3.0 for Argo CD application prod\nghcr.io/acme/web:1.2.0 for Argo CD application prod");
    git(tmp, "--git-dir=" + bare, "fsck", "--strict");
  }

  @Test
  void nothingToCommitMakesNoCommit() throws Exception {
    String tip = git(tmp, "--git-dir=" + bare, "rev-parse", "main").strip();

    String[] out = run("kustomize-set-image", "--repo", url, "--push", "-f", "overlays/prod/kustomization.yaml",
        "ghcr.io/acme/web:1.0.0");

    assertThat(out[0]).as(out[1]).isEqualTo("0");
    assertThat(out[1]).contains("nothing to commit");
    assertThat(git(tmp, "--git-dir=" + bare, "rev-parse", "main").strip()).isEqualTo(tip);
  }

  @Test
  void aMissingKustomizationIsAUsageError() throws Exception {
    String[] out = run("kustomize-set-image", "--repo", url, "--push", "ghcr.io/acme/web:1.1.0");

    assertThat(out[0]).isEqualTo("2");
    assertThat(out[2]).contains("no kustomization at the repository's root");
  }

  @Test
  void dryRunPrintsTheDiffAndPushesNothing() throws Exception {
    String tip = git(tmp, "--git-dir=" + bare, "rev-parse", "main").strip();

    String[] out = run("kustomize-set-image", "--repo", url, "--dry-run", "-f", "overlays/prod/kustomization.yaml",
        "ghcr.io/acme/web:1.1.0");

    assertThat(out[0]).as(out[2]).isEqualTo("0");
    assertThat(out[1]).contains("-    newTag: 1.0.0").contains("+    newTag: 1.1.0");
    assertThat(git(tmp, "--git-dir=" + bare, "rev-parse", "main").strip()).isEqualTo(tip);
  }

  /** {exit code, stdout, stderr} of an in-process run. */
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  private static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
