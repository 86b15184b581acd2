package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bumper.RequiresTools;
import dev.bumper.TestData;
import dev.bumper.Tools;
import dev.bumper.release.ReleaseFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bumper's own image, as src/release/image.sh builds it from the release archive with the
 * archive's bumper (its trimmed runtime: Jib, Jackson and TLS with a login): pushed to a registry on
 * loopback over TLS, pulled back with skopeo, its layers unpacked into a directory, and its
 * entrypoint run there in a chroot as the image's user.
 */
@RequiresTools({"docker-registry", "skopeo", "htpasswd", "openssl", "unshare", "chroot"})
class ReleaseImageIT {
  private static final Path PROJECT = TestData.projectDir();
  private static final String USER = "release";
  private static final String PASSWORD = "s3cret-for-the-image-test";

  @TempDir Path tmp;

  @Test
  void theImageRunsBumperAsItsOwnUserFromItsOwnFiles() throws Exception {
    Path release = ReleaseFiles.dir();
    String version = versionOf(release);
    Path home = Files.createDirectories(tmp.resolve("home"));
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), USER, PASSWORD)) {
      String ref = registry.host() + "/bumper-dev/bumper:" + version;

      // built and pushed by the release archive's own bumper, over TLS with a login
      Map<String, String> env = ImageTools.cleanEnv(home, Map.of(
          "BUMPER_REGISTRY_USERNAME", USER, "BUMPER_REGISTRY_PASSWORD", PASSWORD, "TMPDIR", tmp.toString()));
      Result build = run(env, PROJECT.resolve("src/release/image.sh").toString(), release.toString(),
          "--to", ref, "--insecure-registry", registry.host(), "--metadata-file", tmp.resolve("image.json").toString());
      assertThat(build.code()).as(build.toString()).isZero();
      assertThat(build.err()).doesNotContain("no class-data-sharing archive");
      String digest = (String) StrictJson.parseObject(Files.readString(tmp.resolve("image.json"))).get("digest");
      String creds = "--creds=" + USER + ":" + PASSWORD;
      assertThat(ImageTools.registryDigest(home, ref, creds)).isEqualTo(digest);

      // its config: the user, the entrypoint, the labels
      Map<String, Object> config = ImageTools.config(home, ref, creds);
      @SuppressWarnings("unchecked")
      Map<String, Object> container = (Map<String, Object>) config.get("config");
      assertThat(container).containsEntry("User", "65532:65532").containsEntry("WorkingDir", "/work");
      @SuppressWarnings("unchecked")
      List<String> entrypoint = (List<String>) container.get("Entrypoint");
      assertThat(entrypoint).startsWith("/opt/bumper/runtime/bin/java")
          .contains("-XX:SharedArchiveFile=/opt/bumper/bumper.jsa").endsWith("-jar", "/opt/bumper/bumper.jar");
      @SuppressWarnings("unchecked")
      Map<String, Object> labels = (Map<String, Object>) container.get("Labels");
      assertThat(labels)
          .containsEntry("org.opencontainers.image.title", "bumper")
          .containsEntry("org.opencontainers.image.version", version)
          .containsEntry("org.opencontainers.image.licenses", "Apache-2.0")
          .containsEntry("org.opencontainers.image.source", "https://github.com/bumper-dev/bumper")
          .containsKey("org.opencontainers.image.description");
      @SuppressWarnings("unchecked")
      List<String> imageEnv = (List<String>) container.get("Env");

      // pulled back and unpacked, layer by layer
      Path pulled = tmp.resolve("pulled");
      ImageTools.skopeo(home, "copy", "--src-tls-verify=false", "--src-creds=" + USER + ":" + PASSWORD,
          "docker://" + ref, "dir:" + pulled);
      Map<String, Object> manifest = StrictJson.parseObject(Files.readString(pulled.resolve("manifest.json")));
      Path root = Files.createDirectories(tmp.resolve("root"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> layers = (List<Map<String, Object>>) manifest.get("layers");
      assertThat(layers).hasSize(3);
      for (Map<String, Object> layer : layers) {
        Path blob = pulled.resolve(((String) layer.get("digest")).substring("sha256:".length()));
        TestProcesses.run(tmp, "tar", "-xzf", blob.toString(), "-C", root.toString());
      }
      assertThat(root.resolve("opt/bumper/bumper.jsa")).isNotEmptyFile();
      Path config2 = root.resolve("work/config");
      copyTree(PROJECT.resolve("examples/config"), config2);

      // its bumper, run in a chroot of those files as the image's user, with the image's environment
      Result version1 = chroot(root, imageEnv, List.of("-Xlog:class+load=info"), entrypoint, "--version");
      assertThat(version1.code()).as(version1.toString()).isZero();
      assertThat(version1.out()).contains("bumper " + version + "\n")
          .as("bumper's classes come from the image's archive").contains("dev.bumper.cli.Main source: shared objects file");
      Result bump = chroot(root, imageEnv, List.of(), entrypoint,
          "bump-manifest", "-C", "/work/config", "-i", "ghcr.io/acme/web:1.4.2", "--dry-run");
      assertThat(bump.code()).as(bump.toString()).isZero();
      assertThat(bump.out()).startsWith("--- a/").contains("+    newTag: 1.4.2");
      Result whoami = chroot(root, imageEnv, List.of(), entrypoint, "bump-manifest", "-C", "/work/config", "-i",
          "ghcr.io/acme/web:1.4.2");
      assertThat(whoami.code()).as("the image's user may not write files root owns").isEqualTo(1);
    }
  }

  record Result(int code, String out, String err) {}

  private static String versionOf(Path release) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        release.resolve("bumper.jar").toString(), "--version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out.lines().findFirst().orElseThrow().substring("bumper ".length());
  }

  /**
   * The entrypoint and ARGS in a chroot of {@code root} with a /proc of its own, as user
   * 65532:65532 and with exactly the image's environment; {@code jvm} options go in through
   * JAVA_TOOL_OPTIONS.
   */
  private Result chroot(Path root, List<String> imageEnv, List<String> jvm, List<String> entrypoint, String... args)
      throws IOException, InterruptedException {
    Files.createDirectories(root.resolve("proc"));
    List<String> command = new ArrayList<>();
    if (!"0".equals(TestProcesses.run(tmp, "id", "-u").strip())) {
      command.addAll(List.of("sudo", "-n"));
    }
    command.addAll(List.of(Tools.path("unshare"), "--mount", "--pid", "--fork", "--mount-proc=" + root.resolve("proc"),
        Tools.path("chroot"), "--userspec=65532:65532", root.toString(), "/opt/bumper/runtime/bin/java"));
    command.addAll(entrypoint.subList(1, entrypoint.size()));
    command.addAll(List.of(args));
    // env -i: the image's variables and no others
    List<String> withEnv = new ArrayList<>(List.of("env", "-i"));
    withEnv.addAll(imageEnv == null ? List.of() : imageEnv);
    if (!jvm.isEmpty()) {
      withEnv.add("JAVA_TOOL_OPTIONS=" + String.join(" ", jvm));
    }
    int at = command.indexOf(Tools.path("chroot"));
    command.addAll(at, withEnv);
    return run(Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), command.toArray(String[]::new));
  }

  private Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail(String.join(" ", command) + " did not finish:\n" + Files.readString(err, UTF_8));
    }
    Result result = new Result(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    Files.delete(out);
    Files.delete(err);
    return result;
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
