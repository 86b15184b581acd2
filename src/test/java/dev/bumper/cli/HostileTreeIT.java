package dev.bumper.cli;

import static dev.bumper.cli.TestProcesses.git;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trees that try to make bumper write where it must not, or fail where it should not: links out
 * of the root (in a checkout, and committed so in a config repo used in clone mode), names a C
 * locale cannot decode, a directory that cannot be read, a dangling link. Through the packaged
 * jar, and the launcher, since the locale, the user and the file system are the process's.
 */
@RequiresTools("setpriv")
class HostileTreeIT {
  private static final String IMAGE = "ghcr.io/acme/web";
  private static final String POD = "kind: Pod\nspec:\n  containers:\n    - name: web\n      image: " + IMAGE + ":1.0\n";
  private static final String KUSTOMIZATION = "resources: []\nimages:\n  - name: " + IMAGE + "\n    newTag: \"1.0\"\n";
  private static final String UNLINKED = "resources: []\n";
  private static final Map<String, String> C_LOCALE = Map.of("LANG", "C", "LC_ALL", "C", "LC_CTYPE", "C");

  @TempDir Path tmp;
  private Path outside;

  /** Files outside every root of these tests, that links lead to. */
  @BeforeEach
  void outside() throws Exception {
    outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
    Files.writeString(outside.resolve("kustomization.yaml"), UNLINKED);
    Files.writeString(outside.resolve("pod.yaml"), POD);
  }

  @Test
  void linksOutOfACheckoutAreNeverWrittenThroughByEitherCommand() throws Exception {
    for (String kind : List.of("absolute", "relative")) {
      Path checkout = Files.createDirectories(tmp.resolve("checkout-" + kind));
      git(checkout, "init", "-q", "-b", "main");
      Files.createDirectories(checkout.resolve("overlays/prod"));
      Files.createDirectories(checkout.resolve("apps/web"));
      Files.writeString(checkout.resolve("apps/web/deploy.yaml"), POD); // would change, but all or nothing
      link(checkout.resolve("overlays/prod/kustomization.yaml"), kind, "../../../outside/kustomization.yaml");
      link(checkout.resolve("apps/web/linked.yaml"), kind, "../../../outside/pod.yaml");
      commitAll(checkout);
      Map<String, String> before = contents(outside);

      JarProcess.Result kustomize = jar().run(checkout,
          "kustomize-set-image", "-C", "overlays/prod", IMAGE + ":2.0");
      JarProcess.Result bump = jar().run(checkout, "bump-manifest", "-i", IMAGE + ":2.0");

      assertThat(kustomize.code()).as(kind + ": " + kustomize).isEqualTo(1);
      assertThat(kustomize.err()).as(kind).contains("overlays/prod/kustomization.yaml leads through a symlink to "
          + outside.resolve("kustomization.yaml") + ", outside the root " + checkout.toRealPath());
      assertThat(bump.code()).as(kind + ": " + bump).isEqualTo(1);
      assertThat(bump.err()).as(kind)
          .contains("apps/web/linked.yaml leads through a symlink to " + outside.resolve("pod.yaml"))
          .contains("overlays/prod/kustomization.yaml leads through a symlink to " + outside.resolve("kustomization.yaml"))
          .contains("nothing written");
      assertPlain(kustomize, bump);
      assertThat(contents(outside)).as(kind + ": every byte outside").isEqualTo(before);
      assertThat(git(checkout, "status", "--porcelain")).as(kind + ": nothing written in the checkout").isEmpty();
      assertThat(checkout.resolve("overlays/prod/kustomization.yaml")).isSymbolicLink();
    }
  }

  @Test
  void linksOutCommittedInAConfigRepoAreNeverWrittenThroughInCloneMode() throws Exception {
    for (String kind : List.of("absolute", "relative")) {
      Path bare = tmp.resolve("config-" + kind + ".git");
      git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
      Path seed = tmp.resolve("seed-" + kind);
      git(tmp, "clone", "-q", bare.toString(), seed.toString());
      Files.createDirectories(seed.resolve("apps"));
      Files.writeString(seed.resolve("apps/deploy.yaml"), POD);
      // The clones are made beside "outside": tmp/clone-.../kustomization.yaml, tmp/clone-.../apps/pod.yaml
      link(seed.resolve("kustomization.yaml"), kind, "../outside/kustomization.yaml");
      link(seed.resolve("apps/pod.yaml"), kind, "../../outside/pod.yaml");
      commitAll(seed);
      git(seed, "push", "-q", "origin", "main");
      String url = bare.toUri().toString();
      Map<String, String> before = contents(outside);

      JarProcess.Result kustomize = jar().run(tmp, "kustomize-set-image", "--repo", url,
          "-C", tmp.resolve("clone-k-" + kind).toString(), "--push", IMAGE + ":2.0");
      JarProcess.Result kustomizeNoPush = jar().run(tmp, "kustomize-set-image", "--repo", url,
          "-C", tmp.resolve("clone-k-" + kind).toString(), IMAGE + ":2.0");
      JarProcess.Result bump = jar().run(tmp, "bump-manifest", "--repo", url,
          "-C", tmp.resolve("clone-b-" + kind).toString(), "-i", IMAGE + ":2.0", "--push");

      for (JarProcess.Result run : List.of(kustomize, kustomizeNoPush)) {
        assertThat(run.code()).as(kind + ": " + run).isEqualTo(1);
        assertThat(run.err()).as(kind).contains("kustomization.yaml leads through a symlink to "
            + outside.resolve("kustomization.yaml") + ", outside the root " + tmp.toRealPath().resolve("clone-k-" + kind));
      }
      assertThat(bump.code()).as(kind + ": " + bump).isEqualTo(1);
      assertThat(bump.err()).as(kind)
          .contains("apps/pod.yaml leads through a symlink to " + outside.resolve("pod.yaml"))
          .contains("kustomization.yaml leads through a symlink to " + outside.resolve("kustomization.yaml"));
      assertPlain(kustomize, kustomizeNoPush, bump);
      assertThat(contents(outside)).as(kind + ": every byte outside").isEqualTo(before);
      assertThat(git(tmp, "--git-dir=" + bare, "rev-list", "--count", "main").strip()).as("nothing pushed").isEqualTo("1");
      assertThat(git(tmp.resolve("clone-b-" + kind), "status", "--porcelain")).as("nothing written in the clone").isEmpty();
    }
  }

  @Test
  void namesACLocaleCannotDecodeAreBumpedByTheJarAndTheLauncher() throws Exception {
    for (String how : List.of("jar", "launcher")) {
      Path root = Files.createDirectories(tmp.resolve("names-" + how));
      Files.writeString(root.resolve("café.yaml"), POD);
      Files.writeString(root.resolve("ascii.yaml"), POD);
      // Not UTF-8 at all: a name only bytes can hold.
      Files.writeString(root.resolve("plain.yaml"), POD);
      sh(root, "mv plain.yaml \"$(printf 'bad\\377.yaml')\"");

      JarProcess.Result run = how.equals("jar")
          ? jar().env(C_LOCALE).run(root, "bump-manifest", "-i", IMAGE + ":2.0")
          : launcher(root, "bump-manifest", "-i", IMAGE + ":2.0");

      assertThat(run.code()).as(how + ": " + run).isZero();
      assertThat(run.out()).as(how + ": names shown as their UTF-8 bytes read")
          .contains("café.yaml:5: ").contains("bad\uFFFD.yaml:5: ").contains("3 images updated in 3 files");
      assertPlain(run);
      try (Stream<Path> files = Files.list(root)) {
        List<Path> all = files.toList();
        assertThat(all).as(how + ": no temp file left, nothing added").hasSize(3);
        for (Path file : all) {
          assertThat(Files.readString(file, UTF_8)).as(how + ": " + file).contains(IMAGE + ":2.0");
        }
      }
    }
  }

  @Test
  void aNameTypedUnderACLocaleIsAClearErrorFromTheJarAndWorksThroughTheLauncher() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("typed"));
    Path pod = Files.writeString(root.resolve("café.yaml"), POD);
    Path overlay = Files.createDirectories(root.resolve("overlay-é"));
    Path kustomization = Files.writeString(overlay.resolve("kustomization.yaml"), KUSTOMIZATION);
    Files.writeString(root.resolve("plain.yaml"), POD);
    sh(root, "mv plain.yaml \"$(printf 'bad\\377.yaml')\"");

    JarProcess.Result jarPath = jar().env(C_LOCALE).run(root, "bump-manifest", "-i", IMAGE + ":2.0", "café.yaml");
    JarProcess.Result jarDir = jar().env(C_LOCALE).run(root, "kustomize-set-image", "-C", "overlay-é", IMAGE + ":2.0");
    JarProcess.Result jarCwd = jar().env(C_LOCALE).run(overlay, "kustomize-set-image", IMAGE + ":2.0");
    // Java decodes arguments too: bytes that are not UTF-8 reach it as U+FFFD under any locale.
    JarProcess.Result invalid = launcher(root, "sh", "-c",
        "exec \"$0\" bump-manifest -i " + IMAGE + ":2.0 \"$(printf 'bad\\377.yaml')\"");

    for (JarProcess.Result run : List.of(jarPath, jarDir, jarCwd)) {
      assertThat(run.code()).as(run.toString()).isEqualTo(2);
      assertThat(run.err()).as(run.toString())
          .contains("the locale's encoding (US-ASCII) cannot hold every byte of the name")
          .contains("run bumper with a UTF-8 locale (LC_ALL=C.UTF-8), as its launcher does");
    }
    assertThat(jarCwd.err()).contains("the current directory");
    assertThat(invalid.code()).as(invalid.toString()).isEqualTo(2);
    assertThat(invalid.err()).contains("bad\uFFFD.yaml: no such file or directory")
        .contains("the name is not valid UTF-8; name a directory above it instead");
    assertPlain(jarPath, jarDir, jarCwd, invalid);
    assertThat(pod).hasContent(POD);
    assertThat(kustomization).hasContent(KUSTOMIZATION);

    JarProcess.Result launchedPath = launcher(root, "bump-manifest", "-i", IMAGE + ":2.0", "café.yaml");
    JarProcess.Result launchedDir = launcher(root, "kustomize-set-image", "-C", "overlay-é", IMAGE + ":2.0");

    assertThat(launchedPath.code()).as(launchedPath.toString()).isZero();
    assertThat(launchedPath.out()).contains("café.yaml:5: " + IMAGE + ":1.0 -> " + IMAGE + ":2.0");
    assertThat(launchedDir.code()).as(launchedDir.toString()).isZero();
    assertThat(launchedDir.out()).contains("overlay-é/kustomization.yaml");
    assertPlain(launchedPath, launchedDir);
    assertThat(pod).content().contains(IMAGE + ":2.0");
    assertThat(kustomization).content().contains("newTag: \"2.0\"");
  }

  /**
   * A directory its user may not read, made with chmod 000. Root reads it anyway, so as root
   * (as on CI) bumper runs as the unprivileged user nobody, through setpriv, on a tree nobody
   * owns; as any other user it runs as that user.
   */
  @Test
  void anUnreadableDirectoryIsSkippedWhenWalkedAndAClearErrorWhenNamed() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(root.resolve("pod.yaml"), POD);
    Path locked = Files.createDirectories(root.resolve("locked"));
    Files.writeString(locked.resolve("pod.yaml"), POD);
    Files.writeString(locked.resolve("kustomization.yaml"), KUSTOMIZATION);
    Path secret = Files.writeString(Files.createDirectories(root.resolve("apps")).resolve("secret.yaml"), POD);
    boolean asRoot = "root".equals(System.getProperty("user.name"));
    if (asRoot) {
      sh(tmp, "chmod 711 . && chown -R 65534:65534 tree");
    }
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));

    JarProcess.Result unreadableFile;
    JarProcess.Result walked;
    JarProcess.Result named;
    JarProcess.Result kustomize;
    try {
      // A file that cannot be read is the run's failure, not a skip: it may be the one to bump.
      unreadableFile = unprivileged(asRoot).run(root, "bump-manifest", "-i", IMAGE + ":2.0");
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
      walked = unprivileged(asRoot).run(root, "-v", "bump-manifest", "-i", IMAGE + ":2.0");
      named = unprivileged(asRoot).run(root, "bump-manifest", "-i", IMAGE + ":3.0", "locked");
      kustomize = unprivileged(asRoot).run(root, "kustomize-set-image", "-C", "locked", IMAGE + ":2.0");
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }

    assertThat(unreadableFile.code()).as(unreadableFile.toString()).isEqualTo(1);
    assertThat(unreadableFile.err()).contains("apps/secret.yaml: cannot read: permission denied")
        .contains("nothing written");
    assertThat(walked.code()).as(walked.toString()).isZero();
    assertThat(walked.err()).contains("locked: permission denied; skipped");
    assertThat(secret).content().contains(IMAGE + ":2.0");
    assertThat(root.resolve("pod.yaml")).content().contains(IMAGE + ":2.0");
    assertThat(named.code()).as(named.toString()).isEqualTo(1);
    assertThat(named.err()).contains(root.toRealPath().resolve("locked") + ": permission denied");
    assertThat(kustomize.code()).as(kustomize.toString()).isEqualTo(1);
    assertThat(kustomize.err()).contains("locked/kustomization.yaml: permission denied");
    assertPlain(unreadableFile, walked, named, kustomize);
    assertThat(locked.resolve("pod.yaml")).hasContent(POD);
    assertThat(locked.resolve("kustomization.yaml")).hasContent(KUSTOMIZATION);
  }

  @Test
  void aDirectoryNoOneCanNameIsSkipped() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(root.resolve("pod.yaml"), POD);
    // A directory no one can list, root included: its path is longer than the system allows.
    Path deep = Files.createDirectories(root.resolve("deep"));
    String segment = "d".repeat(200);
    // bash's cd -P changes directory by the relative name, which stays under the limit
    run(deep, "bash", "-c", "for i in $(seq 25); do mkdir " + segment + " && cd -P " + segment + " || exit 1; done");

    JarProcess.Result run;
    try {
      run = jar().run(root, "-v", "bump-manifest", "-i", IMAGE + ":2.0");
    } finally {
      run(tmp, "rm", "-rf", deep.toString()); // JUnit's clean-up cannot reach that far down
    }

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(root.resolve("pod.yaml")).content().contains(IMAGE + ":2.0");
    assertThat(run.err()).containsPattern("deep/d+/.*: [a-zA-Z ]+; skipped");
    assertPlain(run);
  }

  @Test
  void aDanglingLinkOrAFifoIsSkippedWhenWalkedAndAClearErrorWhenNamed() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(root.resolve("pod.yaml"), POD);
    Files.createSymbolicLink(root.resolve("ghost.yaml"), Path.of("gone.yaml"));
    Path overlay = Files.createDirectories(root.resolve("overlay"));
    Files.createSymbolicLink(overlay.resolve("kustomization.yaml"), outside.resolve("gone.yaml"));

    sh(root, "mkfifo fifo.yaml"); // opened, it would block the run until a writer came

    JarProcess.Result walked = jar().run(root, "-v", "bump-manifest", "-i", IMAGE + ":2.0");
    JarProcess.Result named = jar().run(root, "bump-manifest", "-i", IMAGE + ":3.0", "ghost.yaml");
    JarProcess.Result fifo = jar().run(root, "bump-manifest", "-i", IMAGE + ":3.0", "fifo.yaml");
    JarProcess.Result found = jar().run(root, "kustomize-set-image", "-C", "overlay", IMAGE + ":2.0");
    JarProcess.Result file = jar().run(root, "kustomize-set-image", "-f", "ghost.yaml", IMAGE + ":2.0");

    assertThat(walked.code()).as(walked.toString()).isZero();
    assertThat(walked.err())
        .contains("ghost.yaml: a symlink to a missing file; not followed")
        .contains("overlay/kustomization.yaml: a symlink to a missing file; not followed")
        .contains("fifo.yaml: not a regular file; skipped");
    assertThat(root.resolve("pod.yaml")).content().contains(IMAGE + ":2.0");
    assertThat(named.code()).as(named.toString()).isEqualTo(2);
    assertThat(named.err()).contains("ghost.yaml: a symlink to a missing file");
    assertThat(found.code()).as(found.toString()).isEqualTo(2);
    assertThat(found.err()).contains("overlay/kustomization.yaml: a symlink to a missing file");
    assertThat(file.code()).as(file.toString()).isEqualTo(2);
    assertThat(file.err()).contains("-f ghost.yaml: a symlink to a missing file");
    assertThat(fifo.code()).as(fifo.toString()).isEqualTo(2);
    assertThat(fifo.err()).contains("fifo.yaml: not a regular file or a directory");
    assertPlain(walked, named, fifo, found, file);
    assertThat(outside.resolve("gone.yaml")).as("never created through the link").doesNotExist();
    assertThat(root.resolve("gone.yaml")).doesNotExist();
  }

  /** No run says "internal error" or shows a Java exception or a stack trace. */
  private static void assertPlain(JarProcess.Result... runs) {
    for (JarProcess.Result run : runs) {
      assertThat(run.out() + run.err()).as(run.toString())
          .doesNotContain("internal error")
          .doesNotContain("Exception")
          .doesNotContainPattern("\\tat [a-z]");
    }
  }

  private JarProcess jar() {
    return new JarProcess(tmp);
  }

  /** The jar as a user who cannot read a chmod-000 directory: nobody when the tests run as root. */
  private JarProcess unprivileged(boolean asRoot) {
    JarProcess jar = jar();
    return asRoot ? jar.prefix("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") : jar;
  }

  /** A symlink at {@code link} to {@code relative}, or to where it leads as an absolute path. */
  private static void link(Path link, String kind, String relative) throws IOException {
    Path target = Path.of(relative);
    if (kind.equals("absolute")) {
      target = link.getParent().resolve(relative).normalize();
    }
    Files.createSymbolicLink(link, target);
  }

  private static void commitAll(Path repo) throws Exception {
    git(repo, "add", "-A");
    git(repo, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-q", "-m", "links out");
  }

  /** Every file under {@code dir}, by path, with its bytes as Latin-1 text (so any bytes compare). */
  private static Map<String, String> contents(Path dir) throws IOException {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
        all.put(dir.relativize(file).toString(), new String(Files.readAllBytes(file), ISO_8859_1));
      }
    }
    return all;
  }

  /** target/bumper, the launcher, under a C locale. */
  private JarProcess.Result launcher(Path dir, String... args) throws Exception {
    Path launcher = TestProcesses.packagedJar().toAbsolutePath().getParent().resolve("bumper");
    List<String> command = new ArrayList<>();
    if (args[0].equals("sh")) {
      command.addAll(List.of(args));
      command.add(3, launcher.toString()); // sh -c SCRIPT $0
    } else {
      command.add(launcher.toString());
      command.addAll(List.of(args));
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(C_LOCALE);
    pb.environment().put("NO_COLOR", "1");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return new JarProcess.Result(p.exitValue(), Files.readString(out), Files.readString(err), 0);
  }

  private static void sh(Path dir, String script) throws Exception {
    run(dir, "sh", "-c", script);
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
  }
}
