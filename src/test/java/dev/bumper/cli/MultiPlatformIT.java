package dev.bumper.cli;

import static dev.bumper.cli.ImageTools.bumper;
import static dev.bumper.cli.ImageTools.bumperOk;
import static dev.bumper.cli.ImageTools.cleanEnv;
import static dev.bumper.cli.ImageTools.config;
import static dev.bumper.cli.ImageTools.digestIn;
import static dev.bumper.cli.ImageTools.json;
import static dev.bumper.cli.ImageTools.rawManifest;
import static dev.bumper.cli.ImageTools.sha256;
import static dev.bumper.cli.ImageTools.skopeo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must hold 6: a two-platform base, made here as an OCI layout by hand and pushed with skopeo;
 * {@code build-image --platform linux/amd64,linux/arm64} on it gives an image index with both,
 * each on its own platform's base layer. And the index is copied with its digest.
 */
@RequiresTools({"docker-registry", "htpasswd", "openssl", "skopeo"})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MultiPlatformIT {
  private static final List<String> ARCHITECTURES = List.of("amd64", "arm64");

  @TempDir static Path shared;
  private static TestRegistry registry;
  private static String base;
  private static final Map<String, String> baseDiffIds = new LinkedHashMap<>();

  @TempDir Path tmp;

  @BeforeAll
  static void pushTwoPlatformBase() throws Exception {
    registry = TestRegistry.start(shared.resolve("registry"));
    Path layout = Files.createDirectories(shared.resolve("layout/blobs/sha256"));
    List<Map<String, Object>> manifests = new ArrayList<>();
    for (String arch : ARCHITECTURES) {
      Path root = Files.createDirectories(shared.resolve("rootfs-" + arch + "/etc"));
      Files.writeString(root.resolve("platform"), "linux/" + arch + "\n");
      Path tar = shared.resolve("layer-" + arch + ".tar");
      TestRegistry.run(shared, "tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
          "-cf", tar.toString(), "-C", shared.resolve("rootfs-" + arch).toString(), "etc");
      byte[] layer = Files.readAllBytes(tar);
      baseDiffIds.put(arch, sha256(layer));
      byte[] compressed = gzip(layer);
      byte[] config =
          ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{\"Env\":[\"BASE=" + arch + "\"],"
              + "\"Entrypoint\":[\"/bin/base\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + sha256(layer) + "\"]},"
              + "\"history\":[{\"created_by\":\"the test\"}]}").getBytes(UTF_8);
      byte[] manifest =
          ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
              + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", config) + ","
              + "\"layers\":[" + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", compressed) + "]}").getBytes(UTF_8);
      for (byte[] blob : List.of(compressed, config, manifest)) {
        Files.write(layout.resolve(sha256(blob).substring("sha256:".length())), blob);
      }
      manifests.add(Map.of("arch", arch, "bytes", manifest));
    }
    StringBuilder index = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[");
    for (int i = 0; i < manifests.size(); i++) {
      byte[] bytes = (byte[]) manifests.get(i).get("bytes");
      index.append(i == 0 ? "" : ",")
          .append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"").append(sha256(bytes))
          .append("\",\"size\":").append(bytes.length)
          .append(",\"platform\":{\"architecture\":\"").append(manifests.get(i).get("arch")).append("\",\"os\":\"linux\"}}");
    }
    byte[] imageIndex = index.append("]}").toString().getBytes(UTF_8);
    Files.write(layout.resolve(sha256(imageIndex).substring("sha256:".length())), imageIndex);
    // the layout's own index names the image index, as "1"
    Files.writeString(
        shared.resolve("layout/index.json"),
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\""
            + sha256(imageIndex) + "\",\"size\":" + imageIndex.length
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"}}]}");
    Files.writeString(shared.resolve("layout/oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    base = registry.host() + "/base/multi:1";
    skopeo(shared, "copy", "-q", "--all", "--dest-tls-verify=false", "oci:" + shared.resolve("layout") + ":1", "docker://" + base);
  }

  private static String descriptor(String mediaType, byte[] blob) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + sha256(blob) + "\",\"size\":" + blob.length + "}";
  }

  private static byte[] gzip(byte[] bytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private Map<String, String> env() {
    return cleanEnv(tmp, Map.of("BUMPER_INSECURE_REGISTRIES", registry.host()));
  }

  @Test
  @SuppressWarnings("unchecked")
  void twoPlatformsGiveAnIndexWithBothEachOnItsOwnBase() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("app.txt"), "the app\n");
    String ref = registry.host() + "/acme/multi:1";

    Run run = bumperOk(tmp, env(), "build-image", "--from", base, "--platform", "linux/amd64,linux/arm64",
        "--layer", "app:/app", "--to", ref, "--output", "json");

    byte[] raw = rawManifest(tmp, ref);
    assertThat(digestIn(run.out())).as("the metadata digest is the index's").isEqualTo(sha256(raw));
    Map<String, Object> index = json(raw);
    List<?> entries = (List<?>) index.get("manifests");
    assertThat(entries).hasSize(2);
    List<String> platforms = new ArrayList<>();
    for (Object entry : entries) {
      Map<?, ?> platform = (Map<?, ?>) ((Map<?, ?>) entry).get("platform");
      platforms.add(platform.get("os") + "/" + platform.get("architecture"));
    }
    assertThat(platforms).containsExactlyInAnyOrder("linux/amd64", "linux/arm64");
    for (String arch : ARCHITECTURES) {
      Map<String, Object> config = config(tmp, ref, "--override-os", "linux", "--override-arch", arch);
      assertThat(config).containsEntry("architecture", arch);
      Map<?, ?> settings = (Map<?, ?>) config.get("config");
      assertThat((List<Object>) settings.get("Env")).contains("BASE=" + arch);
      assertThat(settings.get("Entrypoint")).isEqualTo(List.of("/bin/base"));
      List<?> diffIds = (List<?>) ((Map<?, ?>) config.get("rootfs")).get("diff_ids");
      assertThat(diffIds).hasSize(2);
      assertThat(diffIds.get(0)).as(arch + " sits on the " + arch + " base layer").isEqualTo(baseDiffIds.get(arch));
    }
  }

  @Test
  void onePlatformOfTheBaseGivesOneImage() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("app.txt"), "the app\n");
    String ref = registry.host() + "/acme/arm:1";

    Run run = bumperOk(tmp, env(), "build-image", "--from", base, "--platform", "linux/arm64", "--layer", "app:/app",
        "--to", ref, "--output", "json");

    Map<String, Object> manifest = json(rawManifest(tmp, ref));
    assertThat(manifest).containsKey("layers").doesNotContainKey("manifests");
    Map<String, Object> config = config(tmp, ref);
    assertThat(config).containsEntry("architecture", "arm64");
    assertThat(((List<?>) ((Map<?, ?>) config.get("rootfs")).get("diff_ids")).get(0)).isEqualTo(baseDiffIds.get("arm64"));
    assertThat(StrictJson.parseObject(run.out()).get("imageId")).isNotNull();
  }

  @Test
  void theIndexIsCopiedWithItsDigestAndBothImages() throws Exception {
    String promoted = registry.host() + "/prod/multi:stable";
    Run run = bumperOk(tmp, env(), "push", "--from", base, "--to", promoted, "--output", "json");

    byte[] original = rawManifest(tmp, base);
    assertThat(rawManifest(tmp, promoted)).as("the index, byte for byte").isEqualTo(original);
    assertThat(digestIn(run.out())).isEqualTo(sha256(original));
    assertThat(StrictJson.parseObject(run.out())).containsEntry("imageId", null);
    for (String arch : ARCHITECTURES) {
      assertThat(config(tmp, promoted, "--override-os", "linux", "--override-arch", arch)).containsEntry("architecture", arch);
    }
  }

  @Test
  void aTarballHoldsOnePlatform() throws Exception {
    Run run = bumper(tmp, env(), "build-image", "--from", base, "--platform", "linux/amd64,linux/arm64",
        "--to", "acme/multi:1", "--tar", tmp.resolve("multi.tar").toString());
    assertThat(run.code()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("--tar writes one image");
  }
}
