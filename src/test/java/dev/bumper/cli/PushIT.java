package dev.bumper.cli;

import static dev.bumper.cli.ImageTools.bumper;
import static dev.bumper.cli.ImageTools.bumperOk;
import static dev.bumper.cli.ImageTools.cleanEnv;
import static dev.bumper.cli.ImageTools.config;
import static dev.bumper.cli.ImageTools.digestIn;
import static dev.bumper.cli.ImageTools.json;
import static dev.bumper.cli.ImageTools.rawManifest;
import static dev.bumper.cli.ImageTools.registryDigest;
import static dev.bumper.cli.ImageTools.sha256;
import static dev.bumper.cli.ImageTools.skopeo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must hold 3 (second half) and the rest of {@code push}: copies between repositories and
 * registries keep the digest; {@code docker save} tarballs with uncompressed layers are pushed
 * compressed; a file that is not an image tarball is exit 4.
 */
@RequiresTools({"docker-registry", "htpasswd", "openssl", "skopeo"})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PushIT {
  @TempDir static Path shared;
  private static TestRegistry registry;
  private static TestRegistry other;

  @TempDir Path tmp;

  @BeforeAll
  static void startRegistries() throws Exception {
    registry = TestRegistry.start(shared.resolve("registry"));
    other = TestRegistry.start(shared.resolve("other"));
  }

  @AfterAll
  static void stopRegistries() throws Exception {
    for (TestRegistry r : new TestRegistry[] {registry, other}) {
      if (r != null) {
        r.close();
      }
    }
  }

  private Map<String, String> env() {
    return cleanEnv(tmp, Map.of("BUMPER_INSECURE_REGISTRIES", registry.host() + "," + other.host()));
  }

  @Test
  void copyBetweenRepositoriesAndRegistriesKeepsTheDigest() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("data.txt"), "some data\n".repeat(1000));
    String staging = registry.host() + "/staging/web:1.4.2";
    String built = digestIn(bumperOk(tmp, env(), "build-image", "--to", staging, "--layer", "app:/app", "--output", "json").out());

    String production = registry.host() + "/production/web:1.4.2";
    Run sameRegistry = bumperOk(tmp, env(), "push", "--from", staging, "--to", production, "--tag", "stable", "--output", "json");
    assertThat(digestIn(sameRegistry.out())).isEqualTo(built);
    assertThat(registryDigest(tmp, production)).isEqualTo(built);
    assertThat(registryDigest(tmp, registry.host() + "/production/web:stable")).isEqualTo(built);
    assertThat(sameRegistry.err()).as("blobs are mounted, not sent again").contains("mounted from staging/web").doesNotContain("uploaded");

    String elsewhere = other.host() + "/mirror/web:1.4.2";
    Run otherRegistry = bumperOk(tmp, env(), "push", "--from", staging + "@" + built, "--to", elsewhere, "--output", "json");
    assertThat(digestIn(otherRegistry.out())).isEqualTo(built);
    assertThat(rawManifest(tmp, elsewhere)).isEqualTo(rawManifest(tmp, staging));
    assertThat(config(tmp, elsewhere)).isEqualTo(config(tmp, staging));

    Run again = bumperOk(tmp, env(), "push", "--from", staging, "--to", elsewhere);
    assertThat(again.err()).as("a second copy finds every blob there").contains("exists").doesNotContain("uploaded");
  }

  @Test
  void aDockerSaveTarballWithUncompressedLayersIsPushedCompressed() throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs/etc"));
    Files.writeString(rootfs.resolve("hostname"), "saved\n");
    Path archive = Files.createDirectories(tmp.resolve("archive/abc123"));
    Path layer = archive.resolve("layer.tar");
    TestRegistry.run(tmp, "tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "-cf",
        layer.toString(), "-C", tmp.resolve("rootfs").toString(), "etc");
    String diffId = sha256(Files.readAllBytes(layer));
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}";
    Files.writeString(tmp.resolve("archive/cfg.json"), config);
    Files.writeString(tmp.resolve("archive/manifest.json"),
        "[{\"Config\":\"cfg.json\",\"RepoTags\":[\"saved/app:1\"],\"Layers\":[\"abc123/layer.tar\"]}]");
    Path tarball = tmp.resolve("saved.tar");
    TestRegistry.run(tmp, "tar", "-cf", tarball.toString(), "-C", tmp.resolve("archive").toString(), "manifest.json", "cfg.json", "abc123");
    String ref = registry.host() + "/saved/app:1";

    Run run = bumperOk(tmp, env(), "push", tarball.toString(), "--to", ref, "--output", "json");

    assertThat(registryDigest(tmp, ref)).isEqualTo(digestIn(run.out()));
    Map<String, Object> manifest = json(rawManifest(tmp, ref));
    Map<?, ?> pushedLayer = (Map<?, ?>) ((List<?>) manifest.get("layers")).get(0);
    assertThat(pushedLayer.get("mediaType")).isEqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip");
    Path copy = tmp.resolve("copy");
    skopeo(tmp, "copy", "-q", "--src-tls-verify=false", "docker://" + ref, "dir:" + copy);
    Path blob = copy.resolve(((String) pushedLayer.get("digest")).substring("sha256:".length()));
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob))) {
      assertThat(sha256(in.readAllBytes())).as("the layer decompresses to the saved one").isEqualTo(diffId);
    }
    assertThat(StrictJson.parseObject(run.out())).containsEntry("imageId", sha256(config.getBytes(UTF_8)));
  }

  @Test
  void aFileThatIsNotAnImageTarballIsExitFourAndAMissingOneExitTwo() throws Exception {
    Path notTar = Files.writeString(tmp.resolve("notes.tar"), "these are notes, not a tarball\n".repeat(40));
    Run run = bumper(tmp, env(), "push", notTar.toString(), "--to", registry.host() + "/bad/app:1");
    assertThat(run.code()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains("not a tar file");

    Path emptyTar = tmp.resolve("empty.tar");
    Files.writeString(tmp.resolve("readme.txt"), "hello\n");
    TestRegistry.run(tmp, "tar", "-cf", emptyTar.toString(), "readme.txt");
    Run noImage = bumper(tmp, env(), "push", emptyTar.toString(), "--to", registry.host() + "/bad/app:1");
    assertThat(noImage.code()).as(noImage.toString()).isEqualTo(4);
    assertThat(noImage.err()).contains("not an image tarball");

    Run missing = bumper(tmp, env(), "push", tmp.resolve("missing.tar").toString(), "--to", registry.host() + "/bad/app:1");
    assertThat(missing.code()).as(missing.toString()).isEqualTo(2);
    assertThat(missing.err()).contains("missing.tar: no such file");
  }
}
