package dev.bumper.cli;

import static dev.bumper.cli.Run.run;
import static dev.bumper.cli.TestProcesses.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths that lead where bumper must not write: {@code ..}, absolute paths, symlinks out of the
 * root and symlinks into {@code .git/}. Each is refused: exit 2 when named, exit 1 when found (a
 * manifest the run would have to leave out); files outside the root and inside {@code .git/} keep
 * their bytes, except bumper's own intents under {@code .git/bumper/}.
 */
@RequiresTools("diff")
class PathSafetyTest {
  private static final String IMAGE = "ghcr.io/acme/web";
  private static final String POD = "spec:\n  containers:\n    - name: web\n      image: " + IMAGE + ":1.0\n";
  private static final String KUSTOMIZATION = "images:\n- name: " + IMAGE + "\n  newTag: \"1.0\"\n";

  @TempDir Path tmp;
  private Path repo;
  private Path outside;

  @BeforeEach
  void layout() throws Exception {
    repo = Files.createDirectories(tmp.resolve("config"));
    git(repo, "init", "-q", "-b", "main");
    Files.createDirectories(repo.resolve("apps/web"));
    Files.writeString(repo.resolve("apps/web/pod.yaml"), POD);
    Files.writeString(repo.resolve("apps/web/kustomization.yaml"), KUSTOMIZATION);
    // Files inside .git that a bump would change if it reached them
    Files.writeString(repo.resolve(".git/planted.yaml"), POD);
    Files.createDirectories(repo.resolve(".git/hooks/yaml"));
    Files.writeString(repo.resolve(".git/hooks/yaml/kustomization.yaml"), KUSTOMIZATION);
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("pod.yaml"), POD);
    Files.writeString(outside.resolve("kustomization.yaml"), KUSTOMIZATION);
    // Links a cloned repository can hold: into .git, and out of the checkout
    Path links = Files.createDirectories(repo.resolve("apps/links"));
    Files.createSymbolicLink(links.resolve("into-git.yaml"), Path.of("../../.git/planted.yaml"));
    Files.createSymbolicLink(links.resolve("git-dir"), Path.of("../../.git"));
    Files.createSymbolicLink(links.resolve("out.yaml"), outside.resolve("pod.yaml"));
    Files.createSymbolicLink(links.resolve("out-dir"), outside);
    git(repo, "add", "-A");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init");
  }

  @Test
  void bumpManifestRefusesLinksOutOfTheRootOrIntoGitAndWritesNothing() throws Exception {
    Map<String, String> before = protectedFiles();
    byte[] pod = Files.readAllBytes(repo.resolve("apps/web/pod.yaml"));

    Run run = run("-v", "bump-manifest", "-C", repo.toString(), "-i", IMAGE + ":2.0");
    byte[] podAfter = Files.readAllBytes(repo.resolve("apps/web/pod.yaml"));
    Run rest = run("bump-manifest", "-C", repo.toString(), "-i", IMAGE + ":2.0", "--exclude", "apps/links/*");

    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.err())
        .contains("apps/links/into-git.yaml leads through a symlink to " + repo.toRealPath().resolve(".git/planted.yaml")
            + ", into .git")
        .contains("apps/links/out.yaml leads through a symlink to " + outside.toRealPath().resolve("pod.yaml")
            + ", outside the root " + repo.toRealPath());
    assertThat(podAfter).as("all or nothing").isEqualTo(pod);
    assertThat(rest.code()).as(rest.toString()).isZero();
    assertThat(rest.out()).contains("apps/web/pod.yaml:4").contains("2 images updated in 2 files");
    assertThat(protectedFiles()).isEqualTo(before);
    assertThat(repo.resolve("apps/links/into-git.yaml")).isSymbolicLink();
  }

  @Test
  void bumpManifestRefusesPathsThatLeadOutOfTheRootOrIntoGit() throws Exception {
    Map<String, String> before = protectedFiles();
    String[][] refused = {
      {"../outside/pod.yaml", "outside the root"},
      {outside.resolve("pod.yaml").toString(), "outside the root"},
      {"apps/links/out.yaml", "leads through a symlink to " + outside.toRealPath().resolve("pod.yaml") + ", outside the root"},
      {"apps/links/out-dir", "leads through a symlink to " + outside.toRealPath() + ", outside the root"},
      {".git/planted.yaml", "inside .git"},
      {".git", "inside .git"},
      {"apps/links/into-git.yaml", "into .git"},
      {"apps/links/git-dir", "into .git"},
      {"apps/../.git/hooks", "inside .git"},
    };
    for (String[] path : refused) {
      Run run = run("bump-manifest", "-C", repo.toString(), "-i", IMAGE + ":2.0", path[0]);
      assertThat(run.code()).as(path[0] + "\n" + run).isEqualTo(2);
      assertThat(run.err()).as(path[0] + "\n" + run).contains(path[1]);
    }
    Run insideGit = run("bump-manifest", "-C", repo.resolve(".git").toString(), "-i", IMAGE + ":2.0");
    assertThat(insideGit.code()).as(insideGit.toString()).isEqualTo(2);
    assertThat(insideGit.err()).contains("inside .git");
    Run throughLink = run("bump-manifest", "-C", repo.resolve("apps/links/git-dir").toString(), "-i", IMAGE + ":2.0");
    assertThat(throughLink.code()).as(throughLink.toString()).isEqualTo(2);
    assertThat(protectedFiles()).isEqualTo(before);
  }

  @Test
  void kustomizeSetImageRefusesAKustomizationInsideGit() throws Exception {
    Map<String, String> before = protectedFiles();
    Files.createSymbolicLink(repo.resolve("apps/links/kustomization.yaml"), Path.of("../../.git/hooks/yaml/kustomization.yaml"));

    Run viaLink = run("kustomize-set-image", "-C", repo.resolve("apps/links").toString(), "web:2.0");
    Run viaFile = run("kustomize-set-image", "-f", repo.resolve(".git/hooks/yaml/kustomization.yaml").toString(), "web:2.0");
    Run viaDir = run("kustomize-set-image", "-C", repo.resolve(".git/hooks/yaml").toString(), "web:2.0");

    // found in -C's directory: a refused write
    assertThat(viaLink.code()).as(viaLink.toString()).isEqualTo(1);
    assertThat(viaLink.err()).contains("apps/links/kustomization.yaml leads through a symlink to "
        + repo.toRealPath().resolve(".git/hooks/yaml/kustomization.yaml") + ", into .git");
    // named on the command line: a usage error
    for (Run run : new Run[] {viaFile, viaDir}) {
      assertThat(run.code()).as(run.toString()).isEqualTo(2);
      assertThat(run.err()).as(run.toString()).contains("inside .git");
    }
    assertThat(protectedFiles()).isEqualTo(before);
  }

  @Test
  void kustomizeSetImageWritesThroughALinkKeepingTheLink() throws Exception {
    Path overlay = Files.createDirectories(repo.resolve("overlays/prod"));
    Files.createSymbolicLink(overlay.resolve("kustomization.yaml"), Path.of("../../apps/web/kustomization.yaml"));

    Run run = run("kustomize-set-image", "-C", overlay.toString(), IMAGE + ":2.0");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(overlay.resolve("kustomization.yaml")).isSymbolicLink();
    assertThat(repo.resolve("apps/web/kustomization.yaml")).content().contains("newTag: \"2.0\"");
  }

  @Test
  void theInMemoryModeNeverReadsOrReplacesALink() throws Exception {
    Path bare = tmp.resolve("config.git");
    git(tmp, "clone", "-q", "--bare", repo.toString(), bare.toString());
    String url = bare.toUri().toString();

    Run run = run("bump-manifest", "--repo", url, "--push", "-i", IMAGE + ":2.0");
    Run up = run("bump-manifest", "--repo", url, "--push", "-i", IMAGE + ":2.0", "../outside");
    Run absolute = run("bump-manifest", "--repo", url, "--push", "-i", IMAGE + ":2.0", "/etc");

    assertThat(run.code()).as(run.toString()).isZero();
    String tree = git(tmp, "--git-dir=" + bare, "ls-tree", "-r", "main");
    assertThat(tree).contains("120000 blob").contains("apps/links/into-git.yaml").contains("apps/links/out.yaml");
    assertThat(git(tmp, "--git-dir=" + bare, "show", "main:apps/web/pod.yaml")).contains(IMAGE + ":2.0");
    assertThat(git(tmp, "--git-dir=" + bare, "diff", "--name-only", "main~1", "main"))
        .isEqualTo("apps/web/kustomization.yaml\napps/web/pod.yaml\n");
    assertThat(up.code()).as(up.toString()).isEqualTo(2);
    assertThat(absolute.code()).as(absolute.toString()).isEqualTo(2);
  }

  @Test
  void commitPushRefusesPathspecsOutsideTheCheckoutAndNeverStagesGit() throws Exception {
    Path bare = tmp.resolve("config.git");
    git(tmp, "clone", "-q", "--bare", repo.toString(), bare.toString());
    git(repo, "remote", "add", "origin", bare.toString());
    Files.writeString(repo.resolve("apps/web/pod.yaml"), POD.replace("1.0", "3.0"));

    Run up = run("commit-push", "-C", repo.toString(), "../outside");
    Run absolute = run("commit-push", "-C", repo.toString(), outside.toString());
    Run git = run("commit-push", "-C", repo.toString(), ".git");

    assertThat(up.code()).as(up.toString()).isEqualTo(2);
    assertThat(absolute.code()).as(absolute.toString()).isEqualTo(2);
    assertThat(git.code()).as(git.toString()).isEqualTo(2);
    assertThat(git.err()).contains("inside .git");
    Run all = run("commit-push", "-C", repo.toString());
    assertThat(all.code()).as(all.toString()).isZero();
    assertThat(TestProcesses.git(tmp, "--git-dir=" + bare, "ls-tree", "-r", "--name-only", "main")).doesNotContain(".git/");
  }

  /** SHA-256 of every file outside the root and inside .git (but .git/bumper), by path. */
  private Map<String, String> protectedFiles() throws IOException {
    Map<String, String> hashes = new TreeMap<>();
    for (Path dir : new Path[] {outside, repo.resolve(".git")}) {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path file : all.filter(Files::isRegularFile).toList()) {
          if (file.startsWith(repo.resolve(".git/bumper"))) {
            continue;
          }
          hashes.put(file.toString(), sha256(Files.readAllBytes(file)));
        }
      }
    }
    return hashes;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
