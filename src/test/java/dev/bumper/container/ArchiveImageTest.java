package dev.bumper.container;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image tarballs made with the tar program: docker-archive and OCI layouts, and broken ones. */
class ArchiveImageTest {
  @TempDir Path tmp;

  private void tar(Path archive, Path dir, String... names) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("tar", "--format=gnu", "-cf", archive.toString(), "-C", dir.toString()));
    command.addAll(List.of(names));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }

  private static byte[] gzip(byte[] bytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private static String hex(String digest) {
    return digest.substring("sha256:".length());
  }

  @Test
  void aDockerArchiveWithCompressedLayersGetsTheManifestJibWouldPush() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("a"));
    byte[] layer = gzip("layer bytes".getBytes(UTF_8));
    String layerDigest = Digests.of(layer);
    byte[] config = "{\"architecture\":\"amd64\"}".getBytes(UTF_8);
    Files.write(dir.resolve(hex(layerDigest) + ".tar.gz"), layer);
    Files.write(dir.resolve("config.json"), config);
    Files.writeString(dir.resolve("manifest.json"),
        "[{\"Config\":\"config.json\",\"RepoTags\":[\"acme/web:1\"],\"Layers\":[\"" + hex(layerDigest) + ".tar.gz\"]}]");
    Path archive = tmp.resolve("image.tar");
    tar(archive, dir, hex(layerDigest) + ".tar.gz", "config.json", "manifest.json");

    try (ArchiveImage image = ArchiveImage.read(archive)) {
      byte[] expected =
          ManifestJson.dockerManifest(
              new Blob(Digests.of(config), config.length, ManifestJson.DOCKER_CONFIG),
              List.of(new Blob(layerDigest, layer.length, ManifestJson.DOCKER_LAYER_GZIP)));
      assertThat(image.manifest()).isEqualTo(expected);
      assertThat(image.digest()).isEqualTo(Digests.of(expected));
      assertThat(image.imageId()).isEqualTo(Digests.of(config));
      assertThat(image.repoTags()).containsExactly("acme/web:1");
      try (InputStream in = image.store().source(new Blob(layerDigest, layer.length, "")).open()) {
        assertThat(in.readAllBytes()).isEqualTo(layer);
      }
    }
  }

  @Test
  void uncompressedLayersAreGzippedAndNamedByTheirNewDigest() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("a/0123abcd"));
    byte[] raw = "an uncompressed layer, as docker save writes it".repeat(100).getBytes(UTF_8);
    Files.write(dir.resolve("layer.tar"), raw);
    Files.writeString(tmp.resolve("a/img.json"), "{}");
    Files.writeString(tmp.resolve("a/manifest.json"), "[{\"Config\":\"img.json\",\"Layers\":[\"0123abcd/layer.tar\"]}]");
    Path archive = tmp.resolve("saved.tar");
    tar(archive, tmp.resolve("a"), "manifest.json", "img.json", "0123abcd");

    Path[] temporary = new Path[1];
    try (ArchiveImage image = ArchiveImage.read(archive)) {
      ManifestJson.Parsed manifest = ManifestJson.parse(image.manifest(), "", "m");
      Blob layer = manifest.layers().get(0);
      assertThat(layer.mediaType()).isEqualTo(ManifestJson.DOCKER_LAYER_GZIP);
      byte[] compressed;
      try (InputStream in = image.store().source(layer).open()) {
        compressed = in.readAllBytes();
      }
      assertThat(Digests.of(compressed)).isEqualTo(layer.digest());
      assertThat(compressed.length).isEqualTo(layer.size());
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(compressed))) {
        assertThat(in.readAllBytes()).isEqualTo(raw);
      }
      try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
        temporary[0] = files.filter(p -> p.getFileName().toString().startsWith("bumper-layer-")).findFirst().orElse(null);
      }
      assertThat(temporary[0]).isNotNull();
    }
  }

  @Test
  void anOciLayoutIsPushedAsItIs() throws Exception {
    Path blobs = Files.createDirectories(tmp.resolve("o/blobs/sha256"));
    byte[] layer = gzip("x".getBytes(UTF_8));
    byte[] config = "{\"os\":\"linux\"}".getBytes(UTF_8);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.of(config) + "\",\"size\":" + config.length
        + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + Digests.of(layer)
        + "\",\"size\":" + layer.length + "}]}").getBytes(UTF_8);
    for (byte[] blob : List.of(layer, config, manifest)) {
      Files.write(blobs.resolve(hex(Digests.of(blob))), blob);
    }
    Files.writeString(tmp.resolve("o/oci-layout"), "{\"imageLayoutVersion\": \"1.0.0\"}");
    Files.writeString(tmp.resolve("o/index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + RegistryClient.OCI_MANIFEST
        + "\",\"digest\":\"" + Digests.of(manifest) + "\",\"size\":" + manifest.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"acme/web:2\"}}]}");
    Path archive = tmp.resolve("oci.tar");
    tar(archive, tmp.resolve("o"), "./oci-layout", "./index.json", "./blobs");

    try (ArchiveImage image = ArchiveImage.read(archive)) {
      assertThat(image.manifest()).isEqualTo(manifest);
      assertThat(image.mediaType()).isEqualTo(RegistryClient.OCI_MANIFEST);
      assertThat(image.imageId()).isEqualTo(Digests.of(config));
      assertThat(image.repoTags()).containsExactly("acme/web:2");
    }
  }

  @Test
  void longNamesFromGnuAndPaxTarsAreRead() throws Exception {
    String longName = "d".repeat(120) + "/" + "f".repeat(110) + ".txt";
    Path file = tmp.resolve("t/" + longName);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "content");
    for (String format : List.of("gnu", "pax")) {
      Path archive = tmp.resolve(format + ".tar");
      Process p = new ProcessBuilder("tar", "--format=" + format, "-cf", archive.toString(), "-C", tmp.resolve("t").toString(), ".")
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      TarIndex index = TarIndex.read(archive);
      assertThat(index.read(index.get(longName))).as(format).isEqualTo("content".getBytes(UTF_8));
    }
  }

  @Test
  void whatIsNotAnImageTarballIsSaidSo() throws Exception {
    Path notTar = Files.writeString(tmp.resolve("x.tar"), "plain text, not a tar file at all".repeat(30));
    assertThatThrownBy(() -> ArchiveImage.read(notTar)).hasMessageContaining("not a tar file")
        .extracting(e -> ((ContainerException) e).kind()).isEqualTo(ContainerException.Kind.INVALID_INPUT);
    Path gz = tmp.resolve("x.tar.gz");
    Files.write(gz, gzip(new byte[2048]));
    assertThatThrownBy(() -> ArchiveImage.read(gz)).hasMessageContaining("gzip-compressed tarball");
    assertThatThrownBy(() -> ArchiveImage.read(tmp.resolve("missing.tar")))
        .extracting(e -> ((ContainerException) e).kind()).isEqualTo(ContainerException.Kind.USAGE);

    Path dir = Files.createDirectories(tmp.resolve("two"));
    Files.writeString(dir.resolve("manifest.json"), "[{\"Config\":\"c\",\"Layers\":[]},{\"Config\":\"c\",\"Layers\":[]}]");
    Path two = tmp.resolve("two.tar");
    tar(two, dir, "manifest.json");
    assertThatThrownBy(() -> ArchiveImage.read(two)).hasMessageContaining("lists 2 images");

    Files.writeString(dir.resolve("manifest.json"), "[{\"Config\":\"c.json\",\"Layers\":[\"gone.tar\"]}]");
    Files.writeString(dir.resolve("c.json"), "{}");
    Path missingLayer = tmp.resolve("missing-layer.tar");
    tar(missingLayer, dir, "manifest.json", "c.json");
    assertThatThrownBy(() -> ArchiveImage.read(missingLayer)).hasMessageContaining("gone.tar is named in its manifest but not in the tarball");
  }

  @Test
  void hostileTarballsAreInvalidInputWithinASecondEach() throws Exception {
    Map<String, HostileTarballs.Case> tarballs = HostileTarballs.write(tmp);
    for (Map.Entry<String, HostileTarballs.Case> hostile : tarballs.entrySet()) {
      Path tarball = hostile.getValue().tarball();
      Throwable thrown = catchThrowable(() ->
          assertTimeoutPreemptively(Duration.ofSeconds(1), () -> ArchiveImage.read(tarball).close()));
      assertThat(thrown).as(hostile.getKey()).isInstanceOf(ContainerException.class);
      assertThat(((ContainerException) thrown).kind()).as(hostile.getKey()).isEqualTo(ContainerException.Kind.INVALID_INPUT);
      assertThat(thrown.getMessage()).as(hostile.getKey()).startsWith(tarball.toString())
          .contains(hostile.getValue().problem());
    }
  }

  @Test
  void aBlobThatDoesNotMatchItsDigestOrSizeIsRefusedBeforeAnythingIsPushed() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("corrupt"));
    byte[] layer = gzip("layer bytes".repeat(50).getBytes(UTF_8));
    String layerDigest = Digests.of(layer);
    layer[layer.length / 2] ^= 0x01; // one flipped bit, after the digest was taken
    Files.write(dir.resolve(hex(layerDigest) + ".tar.gz"), layer);
    Files.writeString(dir.resolve("config.json"), "{}");
    Files.writeString(dir.resolve("manifest.json"),
        "[{\"Config\":\"config.json\",\"Layers\":[\"" + hex(layerDigest) + ".tar.gz\"]}]");
    Path archive = tmp.resolve("corrupt.tar");
    tar(archive, dir, hex(layerDigest) + ".tar.gz", "config.json", "manifest.json");

    assertThatThrownBy(() -> ArchiveImage.read(archive))
        .hasMessageContaining("blob " + layerDigest + " does not match its digest")
        .hasMessageContaining("nothing was pushed")
        .extracting(e -> ((ContainerException) e).kind()).isEqualTo(ContainerException.Kind.INVALID_INPUT);
  }
}
