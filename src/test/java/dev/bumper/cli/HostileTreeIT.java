package dev.bumper.cli;

import static dev.bumper.cli.TestProcesses.git;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trees that try to make bumper write where it must not, or fail where it should not: links out
 * of the root (in a checkout, and committed so in a config repo used in clone mode), names a C
 * locale cannot decode, a directory that cannot be read, a dangling link. Through the packaged
 * jar, since the locale and the file system are the process's.
 */
class HostileTreeIT {
  private static final String POD = "kind: Pod\nspec:\n  containers:\n    - name: web\n      image: ghcr.io/acme/web:1.0\n";
  private static final String KUSTOMIZATION = "resources: []\nimages:\n  - name: ghcr.io/acme/web\n    newTag: \"1.0\"\n";

  @TempDir Path tmp;
  private Path outside;

  @BeforeEach
  void outside() throws Exception {
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("kustomization.yaml"), KUSTOMIZATION);
    Files.writeString(outside.resolve("pod.yaml"), POD);
  }

  @Test
  void aKustomizationLinkedOutOfTheRootIsNeverWrittenThrough() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("config/overlays/prod"));
    for (String target : List.of(outside.resolve("kustomization.yaml").toString(), "../../../outside/kustomization.yaml")) {
      Path link = root.resolve("kustomization.yaml");
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, Path.of(target));

      JarProcess.Result run = new JarProcess(tmp).run(tmp, "kustomize-set-image", "-C", root.toString(), "ghcr.io/acme/web:2.0");

      assertThat(run.code()).as(run.toString()).isEqualTo(1);
      assertThat(run.err()).contains(link + " leads to " + outside.toRealPath().resolve("kustomization.yaml"))
          .contains("wrote nothing").doesNotContain("internal error");
      assertThat(outside.resolve("kustomization.yaml")).hasContent(KUSTOMIZATION);
    }
  }

  @Test
  void aLinkOutOfTheRootCommittedInTheConfigRepoIsNeverWrittenThroughInCloneMode() throws Exception {
    Path bare = tmp.resolve("config.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    Path seed = tmp.resolve("seed");
    git(tmp, "clone", "-q", bare.toString(), seed.toString());
    Files.createSymbolicLink(seed.resolve("kustomization.yaml"), outside.resolve("kustomization.yaml"));
    Files.createSymbolicLink(seed.resolve("pod.yaml"), outside.resolve("pod.yaml"));
    git(seed, "add", "-A");
    git(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-q", "-m", "links out");
    git(seed, "push", "-q", "origin", "main");
    String url = bare.toUri().toString();
    Path clone = tmp.resolve("clone");

    JarProcess.Result kustomize = new JarProcess(tmp).run(tmp,
        "kustomize-set-image", "--repo", url, "-C", clone.toString(), "--push", "ghcr.io/acme/web:2.0");
    JarProcess.Result bump = new JarProcess(tmp).run(tmp,
        "-v", "bump-manifest", "--repo", url, "-C", clone.toString(), "-i", "ghcr.io/acme/web:2.0", "--push");

    assertThat(kustomize.code()).as(kustomize.toString()).isEqualTo(1);
    assertThat(kustomize.err()).contains("outside " + clone.toRealPath()).doesNotContain("internal error");
    assertThat(bump.code()).as("the link is not followed, so nothing matched: " + bump).isEqualTo(3);
    assertThat(bump.err()).contains("pod.yaml: a symlink out of the root; not followed").doesNotContain("internal error");
    assertThat(outside.resolve("kustomization.yaml")).hasContent(KUSTOMIZATION);
    assertThat(outside.resolve("pod.yaml")).hasContent(POD);
    assertThat(git(tmp, "--git-dir=" + bare, "rev-list", "--count", "main").strip()).isEqualTo("1");
  }

  @Test
  void namesACLocaleCannotDecodeAreBumpedByTheJarAndTheLauncher() throws Exception {
    for (String how : List.of("jar", "launcher")) {
      Path root = Files.createDirectories(tmp.resolve("names-" + how));
      Files.writeString(root.resolve("café.yaml"), POD);
      // Not UTF-8 at all: a name only bytes can hold.
      Path raw = root.resolve("plain.yaml");
      Files.writeString(raw, POD);
      run(root, "sh", "-c", "mv plain.yaml \"$(printf 'bad\\377.yaml')\"");
      Files.writeString(root.resolve("ascii.yaml"), POD);
      Map<String, String> c = Map.of("LANG", "C", "LC_ALL", "C");

      JarProcess.Result run = how.equals("jar")
          ? new JarProcess(tmp).env(c).run(root, "bump-manifest", "-i", "ghcr.io/acme/web:2.0")
          : launcher(root, c, "bump-manifest", "-i", "ghcr.io/acme/web:2.0");

      assertThat(run.code()).as(how + ": " + run).isZero();
      assertThat(run.out()).contains("3 images updated in 3 files");
      assertThat(run.err()).doesNotContain("internal error");
      try (var files = Files.list(root)) {
        List<Path> all = files.toList();
        assertThat(all).hasSize(3);
        for (Path file : all) {
          assertThat(Files.readString(file, UTF_8)).as(how + ": " + file).contains("ghcr.io/acme/web:2.0");
        }
      }
    }
  }

  @Test
  void anUnreadableDirectoryAndADanglingLinkAreSkippedWithANote() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(root.resolve("pod.yaml"), POD);
    Files.createSymbolicLink(root.resolve("ghost.yaml"), root.resolve("gone.yaml"));
    // A directory no one can list, root included: its path is longer than the system allows.
    Path deep = root.resolve("deep");
    Files.createDirectories(deep);
    String segment = "d".repeat(200);
    // bash's cd -P changes directory by the relative name, which stays under the limit
    run(deep, "bash", "-c", "for i in $(seq 25); do mkdir " + segment + " && cd -P " + segment + " || exit 1; done");

    JarProcess.Result run;
    try {
      run = new JarProcess(tmp).run(root, "-v", "bump-manifest", "-i", "ghcr.io/acme/web:2.0");
    } finally {
      run(tmp, "rm", "-rf", deep.toString()); // JUnit's clean-up cannot reach that far down
    }

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(root.resolve("pod.yaml")).content().contains("ghcr.io/acme/web:2.0");
    assertThat(run.err())
        .contains("ghost.yaml: a symlink to a missing file; not followed")
        .containsPattern("deep/d+/.*: [a-zA-Z ]+; skipped")
        .doesNotContain("internal error");
  }

  private JarProcess.Result launcher(Path dir, Map<String, String> env, String... args) throws Exception {
    Path launcher = TestProcesses.packagedJar().toAbsolutePath().getParent().resolve("bumper");
    List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return new JarProcess.Result(p.exitValue(), Files.readString(out), Files.readString(err), 0);
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
  }
}
