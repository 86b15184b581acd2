package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/bumper, the launcher, and its class-data-sharing archive: used when it fits, ignored
 * without a word when it does not, and made again with BUMPER_CDS=create where bumper now runs.
 */
class LauncherIT {
  private static final Path TARGET = TestProcesses.packagedJar().toAbsolutePath().getParent();
  private static final String FROM_ARCHIVE = "dev.bumper.cli.Main source: shared objects file";

  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  private static Result run(Path launcher, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("BUMPER_JAVA_OPTS");
    pb.environment().remove("BUMPER_CDS");
    pb.environment().putAll(env);
    Path err = Files.createTempFile("launcher", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(err, UTF_8);
    Files.delete(err);
    return new Result(p.exitValue(), out, stderr);
  }

  /** The launcher's usual JVM settings plus a log of where each class came from. */
  private Map<String, String> classLoadLog(Path log) {
    return Map.of(
        "BUMPER_JAVA_OPTS",
        "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:class+load=info:file=" + log);
  }

  private static String expectedVersion() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", TestProcesses.packagedJar().toString(), "--version")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  /** A copy of the launcher and the jar (same time stamp) in a directory of its own. */
  private Path install(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.copy(TARGET.resolve("bumper"), dir.resolve("bumper"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(TARGET.resolve("bumper.jar"), dir.resolve("bumper.jar"), StandardCopyOption.COPY_ATTRIBUTES);
    return dir;
  }

  @Test
  void theBuildsArchiveIsUsedOrTheBuildSaidWhyNot() throws Exception {
    Path archive = TARGET.resolve("bumper.jsa");
    if (Files.isRegularFile(archive)) {
      Path log = tmp.resolve("classes.log");
      Result r = run(TARGET.resolve("bumper"), classLoadLog(log), "--version");
      assertThat(r.code()).isZero();
      assertThat(r.out()).isEqualTo(expectedVersion());
      assertThat(Files.readString(log, UTF_8)).contains(FROM_ARCHIVE);
    } else {
      assertThat(TARGET.resolve("cds-training.log")).as("why the build made no archive").isNotEmptyFile();
    }
  }

  @Test
  void anArchiveThatDoesNotFitIsIgnoredWithoutAWord() throws Exception {
    String version = expectedVersion();

    Path damaged = install("damaged");
    Files.write(damaged.resolve("bumper.jsa"), "not an archive".getBytes(UTF_8));
    assertThat(run(damaged.resolve("bumper"), Map.of(), "--version")).isEqualTo(new Result(0, version, ""));

    Path moved = install("moved");
    Path built = TARGET.resolve("bumper.jsa");
    if (Files.isRegularFile(built)) {
      // made for the jar in target/: the JVM refuses it for this path
      Files.copy(built, moved.resolve("bumper.jsa"));
    } else {
      Files.write(moved.resolve("bumper.jsa"), new byte[4096]);
    }
    Path log = tmp.resolve("moved.log");
    Map<String, String> env = new HashMap<>(classLoadLog(log));
    Result r = run(moved.resolve("bumper"), env, "--version");
    assertThat(r).isEqualTo(new Result(0, version, ""));
    assertThat(Files.readString(log, UTF_8)).doesNotContain(FROM_ARCHIVE);
  }

  @Test
  void aJarNewerThanItsArchiveRunsWithTheJdksOwn() throws Exception {
    Path dir = install("replaced");
    Result create = run(dir.resolve("bumper"), Map.of("BUMPER_CDS", "create"), "--version");
    assertThat(create.code()).as(create.toString()).isZero();
    // the jar replaced by another build: a static archive that does not fit would leave the JVM
    // with no archive at all
    Path jar = dir.resolve("bumper.jar");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(
        Files.getLastModifiedTime(dir.resolve("bumper.jsa")).toMillis() + 10_000));

    Path log = tmp.resolve("replaced.log");
    assertThat(run(dir.resolve("bumper"), classLoadLog(log), "--version"))
        .isEqualTo(new Result(0, expectedVersion(), ""));
    assertThat(Files.readString(log, UTF_8)).doesNotContain(FROM_ARCHIVE)
        .contains("java.lang.Object source: shared objects file");
  }

  @Test
  void createWithoutACommandRunsTheTrainingAPipelineRuns() throws Exception {
    Path dir = install("trained");
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));

    Result create = run(dir.resolve("bumper"),
        Map.of("BUMPER_CDS", "create", "TMPDIR", scratch.toString()));
    assertThat(create).as(create.toString()).isEqualTo(new Result(0, "", ""));
    assertThat(dir.resolve("bumper.jsa")).isNotEmptyFile();
    try (var left = Files.list(scratch)) {
      assertThat(left).as("the training's repositories are removed").isEmpty();
    }

    // what a pipeline's run loads is in it: the command line (picocli, compiled for Java 5, which
    // a dynamic archive leaves out), the YAML editor, JGit's fetch and push, a bump in memory
    Process listed = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:SharedArchiveFile=" + dir.resolve("bumper.jsa"), "-XX:+PrintSharedArchiveAndExit",
            "-XX:+PrintSharedDictionary", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-jar", dir.resolve("bumper.jar").toString())
        .redirectErrorStream(true)
        .start();
    String archived = new String(listed.getInputStream().readAllBytes(), UTF_8);
    assertThat(listed.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(archived)
        .contains("picocli.CommandLine app_loader")
        .contains("dev.bumper.cli.Converters$Image app_loader")
        .contains("dev.bumper.yaml.ComposedYaml")
        .contains("org.eclipse.jgit.internal.storage.file.ObjectDirectoryPackParser")
        .contains("org.eclipse.jgit.transport.PushProcess")
        .contains("dev.bumper.git.InMemoryCommitPush app_loader");
  }

  @Test
  void createRecordsAnArchiveForWhereBumperNowRuns() throws Exception {
    Path dir = install("fresh");
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(
        config.resolve("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: web\n      image: ghcr.io/acme/web:1.0\n");

    Result create =
        run(dir.resolve("bumper"), Map.of("BUMPER_CDS", "create"),
            "bump-manifest", "-C", config.toString(), "-i", "ghcr.io/acme/web:2.0");
    assertThat(create.code()).as(create.toString()).isZero();
    assertThat(create.out()).isEqualTo("pod.yaml:6: ghcr.io/acme/web:1.0 -> ghcr.io/acme/web:2.0\n"
        + "1 image updated in 1 file (1 file scanned)\n");
    assertThat(dir.resolve("bumper.jsa")).isNotEmptyFile();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("bumper", "bumper.jar", "bumper.jsa");
    }

    Path log = tmp.resolve("fresh.log");
    Result used = run(dir.resolve("bumper"), classLoadLog(log), "--version");
    assertThat(used).isEqualTo(new Result(0, expectedVersion(), ""));
    assertThat(Files.readString(log, UTF_8)).contains(FROM_ARCHIVE);

    // through a symbolic link from elsewhere, as when installed on the PATH
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("bumper"), dir.resolve("bumper"));
    Path linkLog = tmp.resolve("link.log");
    assertThat(run(bin.resolve("bumper"), classLoadLog(linkLog), "--version").code()).isZero();
    assertThat(Files.readString(linkLog, UTF_8)).contains(FROM_ARCHIVE);

    Path offLog = tmp.resolve("off.log");
    Map<String, String> off = new HashMap<>(classLoadLog(offLog));
    off.put("BUMPER_CDS", "off");
    assertThat(run(dir.resolve("bumper"), off, "--version").code()).isZero();
    assertThat(Files.readString(offLog, UTF_8)).doesNotContain(FROM_ARCHIVE).contains("dev.bumper.cli.Main source: ");
  }

  @Test
  void createWithAJavaThatCannotRunSaysSoAndWritesNothing() throws Exception {
    Path dir = install("broken");
    Result r = run(dir.resolve("bumper"), Map.of("BUMPER_CDS", "create", "JAVA_HOME", tmp.resolve("no-java").toString()), "--version");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("no class-data-sharing archive was written");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("bumper", "bumper.jar");
    }
  }
}
