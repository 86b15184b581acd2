package dev.bumper.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageNameTest {
  @Test
  void dockerHubShortNamesAreExpandedAsDockerDoes() {
    assertThat(ImageName.parse("nginx", "--from"))
        .isEqualTo(new ImageName("registry-1.docker.io", "library/nginx", null, null, "nginx"));
    assertThat(ImageName.parse("docker.io/acme/web:1", "--to"))
        .isEqualTo(new ImageName("registry-1.docker.io", "acme/web", "1", null, "docker.io/acme/web"));
    assertThat(ImageName.parse("index.docker.io/library/nginx@sha256:" + "a".repeat(64), "--from").repository())
        .isEqualTo("library/nginx");
  }

  @Test
  void otherRegistriesKeepTheirPathAndPort() {
    ImageName name = ImageName.parse("Localhost:5000/team/app:v1", "--to");
    assertThat(name.registry()).isEqualTo("localhost:5000");
    assertThat(name.repository()).isEqualTo("team/app");
    assertThat(name.reference()).isEqualTo("v1");
    assertThat(name.toString()).isEqualTo("Localhost:5000/team/app:v1");
  }

  @Test
  void referenceAndTagDefaults() {
    assertThat(ImageName.parse("ghcr.io/a/b", "--to").reference()).isEqualTo("latest");
    assertThat(ImageName.parse("ghcr.io/a/b", "--to").tagOrLatest()).isEqualTo("latest");
    String digest = "sha256:" + "b".repeat(64);
    ImageName pinned = ImageName.parse("ghcr.io/a/b@" + digest, "--from");
    assertThat(pinned.reference()).isEqualTo(digest);
    assertThat(pinned.tagOrLatest()).isNull();
    assertThat(ImageName.parse("ghcr.io/a/b:1@" + digest, "--from").reference()).isEqualTo(digest);
  }

  @Test
  void aBadReferenceIsAUsageErrorNamingTheOption() {
    assertThatThrownBy(() -> ImageName.parse("ghcr.io/Acme/Web", "--to"))
        .isInstanceOf(ContainerException.class)
        .hasMessageStartingWith("--to: ")
        .hasMessageContaining("lowercase")
        .extracting(e -> ((ContainerException) e).kind())
        .isEqualTo(ContainerException.Kind.USAGE);
  }

  @Test
  void tagsAreChecked() {
    assertThat(ImageName.checkTag("v1.2_3-rc", "--tag")).isEqualTo("v1.2_3-rc");
    for (String bad : new String[] {"", "-x", ".x", "a/b", "a@b", "a:b", "x".repeat(129)}) {
      assertThatThrownBy(() -> ImageName.checkTag(bad, "--tag")).as(bad).isInstanceOf(ContainerException.class);
    }
  }
}
