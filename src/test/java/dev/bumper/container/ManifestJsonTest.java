package dev.bumper.container;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestJsonTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  @Test
  void theDockerManifestIsWrittenAsJibWritesIt() {
    byte[] bytes =
        ManifestJson.dockerManifest(
            new Blob(A, 388, ManifestJson.DOCKER_CONFIG), List.of(new Blob(B, 238, ManifestJson.DOCKER_LAYER_GZIP)));
    assertThat(new String(bytes, UTF_8))
        .isEqualTo("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" + A + "\",\"size\":388},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\"" + B + "\",\"size\":238}]}");
  }

  @Test
  void readsManifestsAndIndexes() {
    ManifestJson.Parsed manifest =
        ManifestJson.parse(ManifestJson.dockerManifest(new Blob(A, 1, ManifestJson.DOCKER_CONFIG), List.of()), "", "m");
    assertThat(manifest.isIndex()).isFalse();
    assertThat(manifest.mediaType()).isEqualTo(RegistryClient.DOCKER_MANIFEST);
    assertThat(manifest.config().digest()).isEqualTo(A);

    String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"digest\":\"" + B
        + "\",\"size\":5,\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}}]}";
    ManifestJson.Parsed parsed = ManifestJson.parse(index.getBytes(UTF_8), RegistryClient.OCI_INDEX, "i");
    assertThat(parsed.isIndex()).isTrue();
    assertThat(parsed.mediaType()).isEqualTo(RegistryClient.OCI_INDEX);
    assertThat(parsed.manifests()).containsExactly(new ManifestJson.Child(new Blob(B, 5, RegistryClient.OCI_MANIFEST), "linux/arm/v7"));
  }

  @Test
  void refusesWhatCannotBePushed() {
    assertThatThrownBy(() -> ManifestJson.parse("{\"schemaVersion\":1}".getBytes(UTF_8), "", "old"))
        .hasMessageContaining("schemaVersion 1 is not supported");
    assertThatThrownBy(() -> ManifestJson.parse("{\"schemaVersion\":2,\"config\":{\"digest\":\"md5:x\",\"size\":1},\"layers\":[]}".getBytes(UTF_8), "", "m"))
        .hasMessageContaining("no sha256 digest");
    assertThatThrownBy(() -> ManifestJson.parse("nope".getBytes(UTF_8), "", "m")).hasMessageContaining("not a JSON manifest");
  }
}
