package dev.bumper.release;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bumper.RequiresTools;
import dev.bumper.TestData;
import dev.bumper.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install.sh against a release served on loopback, on a machine without Java: the release
 * directory made by src/release/release.sh, an empty HOME, PATH=/usr/bin:/bin, and every JDK of the
 * machine hidden under an empty file system (a mount namespace of its own, made with unshare), so
 * that {@code command -v java} fails. The installed bumper runs there on its own runtime.
 */
@RequiresTools({"unshare"})
class InstallIT {
  private static final Path PROJECT = TestData.projectDir();
  private static final long TIMEOUT_SECONDS = 300;
  private static final String FROM_ARCHIVE = "dev.bumper.cli.Main source: shared objects file";

  private static Path release;

  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  @BeforeAll
  static void makeRelease() throws Exception {
    release = ReleaseFiles.dir();
  }

  @Test
  void installsIntoAnEmptyHomeWithoutJavaAndBumps() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path config = tmp.resolve("config");
    copyTree(PROJECT.resolve("examples/config"), config);
    String version = packaged("--version").out();

    try (ReleaseServer server = new ReleaseServer(release)) {
      Result install = withoutJava(home, "sh", PROJECT.resolve("install.sh").toString(), "--url", server.url());
      assertThat(install.code()).as(install.toString()).isZero();
      assertThat(install.out()).isEqualTo(version);
      assertThat(server.requests())
          .containsExactly("/releases/download/v1/SHA256SUMS", "/releases/download/v1/" + ReleaseFiles.archiveName());

      Path bumper = home.resolve(".local/bin/bumper");
      assertThat(Files.isSymbolicLink(bumper)).as("~/.local/bin/bumper is a link").isTrue();
      Path installed = bumper.toRealPath().getParent();
      assertThat(installed).startsWith(home.resolve(".local/share/bumper"));
      assertThat(installed.resolve("runtime/bin/java")).isRegularFile();
      assertThat(installed.resolve("bumper.jsa")).as("bumper's classes archived where it was installed").isNotEmptyFile();

      // its own runtime, its archive: bumper --version and a dry-run bump answer as the jar does
      Path log = tmp.resolve("classes.log");
      Result run = withoutJava(home, "env",
          "BUMPER_JAVA_OPTS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:class+load=info:file=" + log,
          bumper.toString(), "--version");
      assertThat(run).isEqualTo(new Result(0, version, ""));
      assertThat(Files.readString(log, UTF_8)).contains(FROM_ARCHIVE);

      Result bump = withoutJava(home, bumper.toString(), "bump-manifest", "-C", config.toString(),
          "-i", "ghcr.io/acme/web:1.4.2", "--dry-run");
      Result expected = packaged("bump-manifest", "-C", config.toString(), "-i", "ghcr.io/acme/web:1.4.2", "--dry-run");
      assertThat(bump.code()).as(bump.toString()).isZero();
      assertThat(bump.out()).startsWith("--- a/").isEqualTo(expected.out());
      assertThat(bump.err()).isEqualTo(expected.err());

      // again: nothing changes, the same files, the link in place
      Map<String, String> before = listing(home);
      Result again = withoutJava(home, "sh", PROJECT.resolve("install.sh").toString(), "--url", server.url());
      assertThat(again.code()).as(again.toString()).isZero();
      assertThat(again.out()).isEqualTo(version);
      assertThat(again.err()).contains("is already installed in " + installed);
      assertThat(listing(home)).isEqualTo(before);
    }
  }

  @Test
  void aCorruptedArchiveIsRefusedAndNothingIsInstalled() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path corrupted = Files.createDirectories(tmp.resolve("corrupted"));
    for (String name : List.of("SHA256SUMS", ReleaseFiles.archiveName())) {
      Files.copy(release.resolve(name), corrupted.resolve(name));
    }
    // one byte changed in the middle: a download damaged on its way, or a file swapped on a mirror
    Path archive = corrupted.resolve(ReleaseFiles.archiveName());
    byte[] bytes = Files.readAllBytes(archive);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(archive, bytes);

    try (ReleaseServer server = new ReleaseServer(corrupted)) {
      Result install = withoutJava(home, "sh", PROJECT.resolve("install.sh").toString(), "--url", server.url());
      assertThat(install.code()).isEqualTo(1);
      assertThat(install.out()).isEmpty();
      assertThat(install.err())
          .startsWith("install.sh: checksum mismatch for " + server.url() + "/" + ReleaseFiles.archiveName())
          .contains("nothing was installed");
    }
    assertThat(listing(home)).as("nothing in HOME").isEmpty();
    try (Stream<Path> left = Files.list(tmp.resolve("tmp"))) {
      assertThat(left).as("no temporary files left").isEmpty();
    }
  }

  /**
   * Runs {@code command} with HOME, PATH=/usr/bin:/bin and TMPDIR only, in a mount namespace where
   * every JDK of this machine is hidden; fails when {@code java} can still be found there.
   */
  private Result withoutJava(Path home, String... command) throws IOException, InterruptedException {
    Path tmpdir = Files.createDirectories(tmp.resolve("tmp"));
    List<String> hide = new ArrayList<>(List.of("/usr/lib/jvm"));
    hide.add(Path.of(System.getProperty("java.home")).toRealPath().toString());
    String prelude = """
        for dir in "$@"; do
          case $dir in --) break ;; esac
          if [ -d "$dir" ]; then mount -t tmpfs none "$dir" || exit 98; fi
        done
        while [ "$1" != -- ]; do shift; done
        shift
        if command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ]; then
          echo "java is still there: $(command -v java) ${JAVA_HOME:-}" >&2
          exit 97
        fi
        exec "$@"
        """;
    List<String> argv = new ArrayList<>(List.of(Tools.path("unshare"), "--map-root-user", "--mount", "/bin/sh", "-c", prelude, "sh"));
    argv.addAll(hide);
    argv.add("--");
    argv.addAll(List.of(command));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(tmp.toFile());
    pb.environment().clear();
    pb.environment().put("HOME", home.toString());
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().put("TMPDIR", tmpdir.toString());
    Result result = run(pb);
    assertThat(result.code()).as("java was hidden: " + result.err()).isNotIn(97, 98);
    return result;
  }

  /** {@code java -jar target/bumper.jar ARGS}, with the JVM running the tests. */
  private Result packaged(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Path.of(System.getProperty("bumper.jar")).toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().put("LC_ALL", "C.UTF-8");
    return run(pb);
  }

  private static Result run(ProcessBuilder pb) throws IOException, InterruptedException {
    Path out = Files.createTempFile("install-out", ".txt");
    Path err = Files.createTempFile("install-err", ".txt");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail(String.join(" ", pb.command()) + " did not finish:\n" + Files.readString(err, UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Every path under {@code dir} with its size and time (a link: its target). */
  private static Map<String, String> listing(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(p -> !p.equals(dir)).toList()) {
        String what = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
            : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
            : Files.size(p) + " " + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        files.put(dir.relativize(p).toString(), what);
      }
    }
    return files;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
