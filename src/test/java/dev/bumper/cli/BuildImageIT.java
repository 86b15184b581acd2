package dev.bumper.cli;

import static dev.bumper.cli.ImageTools.bumperOk;
import static dev.bumper.cli.ImageTools.cleanEnv;
import static dev.bumper.cli.ImageTools.config;
import static dev.bumper.cli.ImageTools.digestIn;
import static dev.bumper.cli.ImageTools.json;
import static dev.bumper.cli.ImageTools.rawManifest;
import static dev.bumper.cli.ImageTools.registryDigest;
import static dev.bumper.cli.ImageTools.skopeo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build-image} from the packaged jar against Debian's docker-registry on loopback, checked
 * with skopeo: what the image holds, reproducible digests, and uploads of a rebuild counted
 * through a proxy.
 */
@RequiresTools({"docker-registry", "htpasswd", "openssl", "skopeo"})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BuildImageIT {
  @TempDir static Path shared;
  private static TestRegistry registry;
  private static FaultProxy proxy;

  @TempDir Path tmp;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = TestRegistry.start(shared.resolve("registry"));
    proxy = new FaultProxy(registry.port());
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private Map<String, String> env() {
    return cleanEnv(tmp, Map.of("BUMPER_INSECURE_REGISTRIES", registry.host() + "," + proxy.host()));
  }

  /** Must hold 1: the built image has what was asked for, and the metadata digest is the registry's. */
  @Test
  @SuppressWarnings("unchecked")
  void imageHasTheLayersEntrypointCmdEnvLabelsPortsUserAndWorkingDirectoryAskedFor() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("src/app"));
    Files.writeString(app.resolve("index.html"), "<h1>hello</h1>\n");
    Path run = Files.writeString(app.resolve("run.sh"), "#!/bin/sh\nexec echo hi\n");
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path conf = Files.writeString(tmp.resolve("src/web.conf"), "listen 8080;\n");
    // a git repository as CI checks it out: the commit's time becomes the creation time
    Path repo = tmp.resolve("src");
    TestProcesses.git(repo, "init", "-q", "-b", "main");
    TestProcesses.git(repo, "add", "-A");
    TestProcesses.git(repo, "-c", "user.name=ci", "-c", "user.email=ci@example.com", "commit", "-q", "-m", "app");
    String sha = TestProcesses.git(repo, "rev-parse", "HEAD").strip();
    String committed = TestProcesses.git(repo, "log", "-1", "--format=%ct").strip();
    Instant commitTime = Instant.ofEpochSecond(Long.parseLong(committed));
    String ref = registry.host() + "/acme/web:1.4.2";
    Path metadata = tmp.resolve("out/image.json");
    Map<String, String> env = new java.util.LinkedHashMap<>(env());
    env.putAll(Map.of(
        "SEMAPHORE", "true",
        "SEMAPHORE_GIT_SHA", sha,
        "SEMAPHORE_GIT_URL", "git@github.com:acme/web.git",
        "SEMAPHORE_GIT_TAG_NAME", "v1.4.2"));

    Run built =
        bumperOk(repo, env, "build-image", "--to", ref, "--tag", "stable",
            "--layer", "app:/srv/app", "--layer", "web.conf:/etc/web/",
            "--entrypoint", "[\"/srv/app/run.sh\", \"--serve\"]", "--cmd", "--port 8080 --name 'my app'",
            "--env", "MODE=production", "--env", "EMPTY=", "--label", "team=web",
            "--label", "org.opencontainers.image.version=1.4.2",
            "--port", "8080", "--port", "53/udp", "--user", "1000:1000", "--working-directory", "/srv/app",
            "--volume", "/var/cache/web", "--metadata-file", metadata.toString(), "--output", "json");

    Map<String, Object> result = StrictJson.parseObject(built.out());
    assertThat(Files.readString(metadata).strip()).isEqualTo(built.out().strip());
    String digest = (String) result.get("digest");
    assertThat(registryDigest(tmp, ref)).as("the metadata digest is the registry's").isEqualTo(digest);
    assertThat(registryDigest(tmp, registry.host() + "/acme/web:stable")).isEqualTo(digest);
    assertThat(result)
        .containsEntry("image", ref + "@" + digest)
        .containsEntry("repository", registry.host() + "/acme/web")
        .containsEntry("tags", List.of("1.4.2", "stable"))
        .containsEntry("pushed", true);

    Map<String, Object> image = config(tmp, ref);
    assertThat(result.get("imageId")).isEqualTo(ImageTools.sha256(skopeo(tmp, "inspect", "--raw", "--config", "--tls-verify=false", "docker://" + ref)));
    assertThat(image).containsEntry("created", commitTime.toString()).containsEntry("architecture", "amd64").containsEntry("os", "linux");
    @SuppressWarnings("unchecked")
    Map<String, Object> c = (Map<String, Object>) image.get("config");
    assertThat(c.get("Entrypoint")).isEqualTo(List.of("/srv/app/run.sh", "--serve"));
    assertThat(c.get("Cmd")).isEqualTo(List.of("--port", "8080", "--name", "my app"));
    assertThat((List<Object>) c.get("Env")).containsExactlyInAnyOrder("MODE=production", "EMPTY=");
    assertThat(c.get("User")).isEqualTo("1000:1000");
    assertThat(c.get("WorkingDir")).isEqualTo("/srv/app");
    assertThat(c.get("ExposedPorts")).isEqualTo(Map.of("8080/tcp", Map.of(), "53/udp", Map.of()));
    assertThat(c.get("Volumes")).isEqualTo(Map.of("/var/cache/web", Map.of()));
    assertThat(c.get("Labels"))
        .isEqualTo(Map.of(
            "team", "web",
            "org.opencontainers.image.revision", sha,
            "org.opencontainers.image.source", "https://github.com/acme/web",
            "org.opencontainers.image.version", "1.4.2",
            "org.opencontainers.image.created", commitTime.toString()));

    // the layers, in order, with their files where asked, permissions kept for executables
    Map<String, Object> manifest = json(rawManifest(tmp, ref));
    List<?> layers = (List<?>) manifest.get("layers");
    assertThat(layers).hasSize(2);
    Path copy = tmp.resolve("copy");
    skopeo(tmp, "copy", "-q", "--src-tls-verify=false", "docker://" + ref, "dir:" + copy);
    String first = listLayer(copy, layers.get(0));
    String second = listLayer(copy, layers.get(1));
    assertThat(first)
        .contains("drwxr-xr-x 0/0", "srv/app/\n")
        .containsPattern("-rwxr-xr-x 0/0 +[0-9]+ 1970-01-01 00:00 srv/app/run.sh")
        .containsPattern("-rw-r--r-- 0/0 +[0-9]+ 1970-01-01 00:00 srv/app/index.html")
        .doesNotContain("web.conf");
    assertThat(second).containsPattern("-rw-r--r-- 0/0 +[0-9]+ 1970-01-01 00:00 etc/web/web.conf").doesNotContain("index.html");
  }

  private String listLayer(Path dir, Object descriptor) throws Exception {
    String digest = (String) ((Map<?, ?>) descriptor).get("digest");
    Path blob = dir.resolve(digest.substring("sha256:".length()));
    return TestRegistry.run(tmp, "tar", "-tvzf", blob.toString(), "--full-time", "--numeric-owner")
        .replaceAll("1970-01-01 00:00:01", "1970-01-01 00:00");
  }

  /**
   * Must hold 2: the same inputs twice give the same digest (even from a copy with other file
   * times), and a change to one file changes one layer; the rebuild uploads that layer and the
   * new config, nothing else. Uploads are counted through a proxy.
   */
  @Test
  void sameInputsGiveTheSameDigestAndAOneFileChangeUploadsOnlyItsLayer() throws Exception {
    Path src = tmp.resolve("src");
    writeTree(src);
    String ref = proxy.host() + "/acme/api:1";
    String[] build = {"build-image", "--to", ref, "--layer", "lib:/app/lib", "--layer", "app:/app/bin",
        "--entrypoint", "/app/bin/api", "--output", "json"};

    proxy.clearRequests();
    String digest = digestIn(bumperOk(src, env(), build).out());
    List<String> firstUploads = proxy.uploadedDigests();
    Map<String, Object> firstManifest = json(rawManifest(tmp, ref));
    assertThat(firstUploads).as("the first build uploads both layers and the config").hasSize(3);

    // the same inputs from another checkout, with other file times
    Path copy = tmp.resolve("copy");
    writeTree(copy);
    try (var files = Files.walk(copy)) {
      for (Path file : files.toList()) {
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
      }
    }
    proxy.clearRequests();
    assertThat(digestIn(bumperOk(copy, env(), build).out())).as("same inputs, same digest").isEqualTo(digest);
    assertThat(proxy.uploadedDigests()).as("nothing to upload when nothing changed").isEmpty();

    Files.writeString(copy.resolve("app/api"), "#!/bin/sh\necho api 2\n");
    proxy.clearRequests();
    String changed = digestIn(bumperOk(copy, env(), build).out());
    assertThat(changed).isNotEqualTo(digest);
    Map<String, Object> manifest = json(rawManifest(tmp, ref));
    List<?> before = (List<?>) firstManifest.get("layers");
    List<?> after = (List<?>) manifest.get("layers");
    assertThat(after.get(0)).as("the untouched layer").isEqualTo(before.get(0));
    assertThat(after.get(1)).as("the layer with the changed file").isNotEqualTo(before.get(1));
    String newLayer = (String) ((Map<?, ?>) after.get(1)).get("digest");
    String newConfig = (String) ((Map<?, ?>) manifest.get("config")).get("digest");
    assertThat(proxy.uploadedDigests())
        .as("only the changed layer and the new config are uploaded")
        .containsExactlyInAnyOrder(newLayer, newConfig);
  }

  private static void writeTree(Path root) throws Exception {
    Path lib = Files.createDirectories(root.resolve("lib"));
    for (int i = 0; i < 5; i++) {
      Files.writeString(lib.resolve("lib" + i + ".txt"), ("library " + i + "\n").repeat(200));
    }
    Path app = Files.createDirectories(root.resolve("app"));
    Path api = Files.writeString(app.resolve("api"), "#!/bin/sh\necho api 1\n");
    Files.setPosixFilePermissions(api, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(app.resolve("config.yaml"), "port: 8080\n");
  }

  /** Must hold 3 (first half): --tar, then push: the registry's digest is the one recorded. */
  @Test
  void tarThenPushGivesTheRegistryTheDigestTheBuildRecorded() throws Exception {
    Path src = tmp.resolve("src");
    writeTree(src);
    for (String format : List.of("docker", "oci")) {
      String ref = registry.host() + "/acme/tarred-" + format + ":2.0";
      Path tar = tmp.resolve("image-" + format + ".tar");
      Path metadata = tmp.resolve("built-" + format + ".json");
      bumperOk(src, env(), "build-image", "--to", ref, "--layer", "app:/app", "--entrypoint", "/app/api",
          "--format", format, "--tar", tar.toString(), "--metadata-file", metadata.toString(), "-q");
      Map<String, Object> built = StrictJson.parseObject(Files.readString(metadata, UTF_8));
      assertThat(built).containsEntry("pushed", false).containsEntry("tags", List.of("2.0"));
      assertThat(registryExists(ref)).isFalse();

      Run pushed = bumperOk(src, env(), "push", tar.toString(), "--to", ref, "--output", "json");
      String recorded = (String) built.get("digest");
      assertThat(registryDigest(tmp, ref)).as(format + ": the registry's digest is the recorded one").isEqualTo(recorded);
      assertThat(digestIn(pushed.out())).isEqualTo(recorded);
      assertThat(StrictJson.parseObject(pushed.out())).containsEntry("imageId", built.get("imageId"));

      // and a direct build of the same inputs gives the same digest as the tarball
      String direct = registry.host() + "/acme/direct-" + format + ":2.0";
      Run straight = bumperOk(src, env(), "build-image", "--to", direct, "--layer", "app:/app",
          "--entrypoint", "/app/api", "--format", format, "--output", "json");
      assertThat(digestIn(straight.out())).isEqualTo(recorded);
    }
  }

  private boolean registryExists(String ref) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref);
    pb.environment().put("HOME", tmp.toString());
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0;
  }

  /** The shaded jar carries Jib and its help. */
  @Test
  void helpOfBothCommandsComesFromThePackagedJar() throws Exception {
    Run build = bumperOk(tmp, env(), "build-image", "--help");
    assertThat(build.out()).contains("--layer=SRC[:DEST]", "--insecure-registry", "Examples:", "--tar=PATH");
    Run push = bumperOk(tmp, env(), "push", "--help");
    assertThat(push.out()).contains("TARBALL", "--from=REF", "Examples:");
  }
}
