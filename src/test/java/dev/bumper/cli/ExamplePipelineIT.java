package dev.bumper.cli;

import static dev.bumper.cli.TestProcesses.git;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bumper.RequiresTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example app's pipeline steps, run as they are ({@code examples/app/ci/*.sh}) with the
 * packaged jar, against Debian's registry on loopback and a config repo made from
 * {@code examples/config}: build and push the image, deploy it to staging, promote it to
 * production; the config repo is checked after each step, the registry with skopeo.
 */
@RequiresTools({"docker-registry", "htpasswd", "openssl", "skopeo", "diff"})
class ExamplePipelineIT {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("examples");

  @TempDir Path tmp;
  private TestRegistry registry;
  private Path home;
  private Path app;
  private Path bare;
  private String image;

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.start(Files.createDirectories(tmp.resolve("registry")));
    home = Files.createDirectories(tmp.resolve("home"));
    image = registry.host() + "/acme/web";

    // the config repo: examples/config, with the app's image in the test registry
    Path config = tmp.resolve("config");
    copy(EXAMPLES.resolve("config"), config);
    try (Stream<Path> files = Files.walk(config)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(file, UTF_8);
        if (text.contains("ghcr.io/acme/web")) {
          Files.writeString(file, text.replace("ghcr.io/acme/web", image), UTF_8);
        }
      }
    }
    bare = tmp.resolve("config.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    git(config, "init", "-q", "-b", "main");
    git(config, "add", "-A");
    git(config, "-c", "user.name=Platform", "-c", "user.email=platform@example.com", "commit", "-q", "-m", "Config repo");
    git(config, "push", "-q", bare.toString(), "main");

    // the app repo: its ci/ scripts and a binary to ship
    app = tmp.resolve("app");
    copy(EXAMPLES.resolve("app"), app);
    Files.createDirectories(app.resolve("dist"));
    Files.writeString(app.resolve("dist/web"), "#!/bin/sh\necho web 1\n");
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  @Test
  void buildDeployToStagingAndPromoteToProduction() throws Exception {
    Map<String, String> ci =
        Map.of(
            "SEMAPHORE", "true",
            "SEMAPHORE_GIT_SHA", "5e1f0c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f",
            "SEMAPHORE_GIT_BRANCH", "main",
            "SEMAPHORE_ORGANIZATION_URL", "https://acme.semaphoreci.com",
            "SEMAPHORE_WORKFLOW_ID", "wf-1");

    // CI: build-image --tar, then push, recording what was pushed
    step("build-image.sh", ci, Map.of("TAG", "5e1f0c2a9b8d"));
    Map<String, Object> built = StrictJson.parseObject(Files.readString(app.resolve("image.json")));
    String digest = (String) built.get("digest");
    assertThat(built).containsEntry("repository", image).containsEntry("pushed", true);
    assertThat(ImageTools.registryDigest(home, image + ":5e1f0c2a9b8d"))
        .as("the registry serves the digest the build recorded").isEqualTo(digest);

    // deploy to staging: the staging overlay pinned to that digest, one commit
    String seed = tip();
    step("deploy-staging.sh", ci, Map.of());
    assertThat(remote("diff", "--name-only", seed, "main").strip()).isEqualTo("overlays/staging/kustomization.yaml");
    assertThat(show("overlays/staging/kustomization.yaml"))
        .contains("  - name: " + image + "\n    newTag: 5e1f0c2a9b8d\n    digest: " + digest + "\n")
        .contains("# The app itself: CI records every build of main here");
    assertThat(remote("log", "-1", "--format=%s", "main").strip())
        .startsWith("Deploy " + image + " 1.4.1@sha256:4f2c").endsWith(" -> 5e1f0c2a9b8d@" + digest.substring(0, "sha256:".length() + 12) + " to staging (5e1f0c2)");
    assertThat(remote("log", "-1", "--format=%(trailers)", "main").strip())
        .isEqualTo("Source-Commit: 5e1f0c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f\nBuild-URL: https://acme.semaphoreci.com/workflows/wf-1");

    // the same deploy again: nothing to commit
    String staged = tip();
    step("deploy-staging.sh", ci, Map.of());
    assertThat(tip()).isEqualTo(staged);

    // promote: production set to exactly what staging runs, by digest
    step("promote-production.sh", ci, Map.of("IMAGE", image, "IMAGE_METADATA", "image.json"));
    assertThat(remote("diff", "--name-only", staged, "main").strip()).isEqualTo("overlays/production/kustomization.yaml");
    assertThat(show("overlays/production/kustomization.yaml"))
        .contains("  - name: " + image + "\n    newTag: 5e1f0c2a9b8d\n    digest: " + digest + "\n")
        .contains("    newTag: \"1.36\"");
    assertThat(remote("log", "-1", "--format=%s", "main").strip())
        .startsWith("Promote overlays/staging to overlays/production: " + image + " 1.4.0 -> ");
    assertThat(remote("log", "-1", "--format=%(trailers)", "main").strip())
        .isEqualTo("Source-Commit: 5e1f0c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f\n"
            + "Build-URL: https://acme.semaphoreci.com/workflows/wf-1\n"
            + "Promoted-From: overlays/staging\nPromoted-From-Commit: " + staged);

    // promoting again: production already runs what staging runs, nothing to commit
    String promoted = tip();
    step("promote-production.sh", ci, Map.of("IMAGE", image, "IMAGE_METADATA", "image.json"));
    assertThat(tip()).isEqualTo(promoted);

    // a newer build reaches staging; promoting the older pipeline is refused at the gate
    Path firstMetadata = app.resolve("first-image.json");
    Files.copy(app.resolve("image.json"), firstMetadata);
    Files.writeString(app.resolve("dist/web"), "#!/bin/sh\necho web 2\n");
    step("build-image.sh", ci, Map.of("TAG", "9a8b7c6d5e4f"));
    step("deploy-staging.sh", ci, Map.of());
    String newer = (String) StrictJson.parseObject(Files.readString(app.resolve("image.json"))).get("digest");
    assertThat(newer).isNotEqualTo(digest);
    assertThat(show("overlays/staging/kustomization.yaml")).contains("digest: " + newer);
    String beforeGate = tip();
    Run refused = script("promote-production.sh", ci, Map.of("IMAGE", image, "IMAGE_METADATA", firstMetadata.toString()));
    assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err()).contains("promote from the pipeline whose build staging runs");
    assertThat(tip()).isEqualTo(beforeGate);

    git(tmp, "--git-dir=" + bare, "fsck", "--strict");
    assertThat(remote("rev-list", "--count", "main").strip()).isEqualTo("4");
  }

  private void step(String name, Map<String, String> ci, Map<String, String> extra) throws Exception {
    Run run = script(name, ci, extra);
    assertThat(run.code()).as(name + "\n" + run).isZero();
  }

  /** Runs {@code sh ci/NAME} in the app repo, as a CI job would, with bumper as the packaged jar. */
  private Run script(String name, Map<String, String> ci, Map<String, String> extra) throws Exception {
    Map<String, String> env =
        ImageTools.cleanEnv(
            home,
            Map.of(
                "BUMPER", javaCommand(),
                "CONFIG_REPO", bare.toUri().toString(),
                "IMAGE", image,
                "BASE_IMAGE", "scratch",
                "IMAGE_METADATA", "image.json",
                "INSECURE_REGISTRY", registry.host()));
    env.putAll(ci);
    env.putAll(extra);
    ProcessBuilder pb = new ProcessBuilder("sh", "ci/" + name).directory(app.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Path out = Files.createTempFile(tmp, "out-", ".txt");
    Path err = Files.createTempFile(tmp, "err-", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(name + " did not finish: " + Files.readString(err));
    }
    return new Run(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
  }

  private static String javaCommand() {
    return String.join(" ", List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", TestProcesses.packagedJar().toString()));
  }

  private String remote(String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = "--git-dir=" + bare;
    System.arraycopy(args, 0, all, 1, args.length);
    return git(tmp, all);
  }

  private String show(String path) throws Exception {
    return remote("show", "main:" + path);
  }

  private String tip() throws Exception {
    return remote("rev-parse", "main").strip();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
