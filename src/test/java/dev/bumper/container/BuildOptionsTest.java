package dev.bumper.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parsers of build-image's option values: layers, commands, ports, platforms, times, bases. */
class BuildOptionsTest {
  @Test
  void layerDestinations() {
    assertThat(LayerSpec.parse("build/app.jar").target(false)).isEqualTo("/app.jar");
    assertThat(LayerSpec.parse("dist").target(true)).isEqualTo("/dist");
    assertThat(LayerSpec.parse("dist/").target(true)).isEqualTo("/dist");
    assertThat(LayerSpec.parse("dist:/srv/www").target(true)).isEqualTo("/srv/www");
    assertThat(LayerSpec.parse("dist:/srv/www/").target(true)).isEqualTo("/srv/www");
    assertThat(LayerSpec.parse("web.conf:/etc/nginx/").target(false)).isEqualTo("/etc/nginx/web.conf");
    assertThat(LayerSpec.parse("web.conf:/etc/nginx/site.conf").target(false)).isEqualTo("/etc/nginx/site.conf");
    assertThat(LayerSpec.parse("C:odd:name:/x")).isEqualTo(new LayerSpec(Path.of("C:odd:name"), "/x"));
    assertThat(LayerSpec.parse("a:b").source()).isEqualTo(Path.of("a:b"));
  }

  @Test
  void badLayers() {
    assertThatThrownBy(() -> LayerSpec.parse(":/x")).hasMessage("--layer :/x: SRC is empty");
    assertThatThrownBy(() -> LayerSpec.parse("app:")).hasMessage("--layer app:: DEST after ':' is empty");
    assertThatThrownBy(() -> LayerSpec.parse("app:/srv/../etc")).hasMessageContaining("'..'");
  }

  @Test
  void execFormsAsJsonOrWords() {
    assertThat(ExecForm.parse("[\"/app\", \"--name\", \"my app\"]", "--entrypoint")).containsExactly("/app", "--name", "my app");
    assertThat(ExecForm.parse("/app --name 'my app' \"say \\\"hi\\\"\" a\\ b", "--cmd"))
        .containsExactly("/app", "--name", "my app", "say \"hi\"", "a b");
    assertThat(ExecForm.parse("", "--cmd")).isEmpty();
    assertThat(ExecForm.parse("[]", "--cmd")).isEmpty();
    assertThat(ExecForm.parse("''", "--cmd")).containsExactly("");
  }

  @Test
  void badExecForms() {
    assertThatThrownBy(() -> ExecForm.parse("[\"/app\", 1]", "--entrypoint")).hasMessageContaining("must be a string");
    assertThatThrownBy(() -> ExecForm.parse("[\"/app\"", "--entrypoint")).hasMessageStartingWith("--entrypoint [\"/app\": invalid JSON");
    assertThatThrownBy(() -> ExecForm.parse("/app 'oops", "--cmd")).hasMessageContaining("unclosed '");
  }

  @Test
  void ports() {
    assertThat(PortSpec.parse("8080")).isEqualTo(new PortSpec(8080, "tcp"));
    assertThat(PortSpec.parse("53/UDP")).isEqualTo(new PortSpec(53, "udp"));
    for (String bad : new String[] {"0", "65536", "http", "80/sctp", "80-90"}) {
      assertThatThrownBy(() -> PortSpec.parse(bad)).as(bad).isInstanceOf(ContainerException.class).hasMessageStartingWith("--port " + bad);
    }
  }

  @Test
  void platforms() {
    assertThat(PlatformSpec.parseList("linux/amd64, linux/arm64,linux/amd64"))
        .containsExactly(new PlatformSpec("linux", "amd64"), new PlatformSpec("linux", "arm64"));
    assertThatThrownBy(() -> PlatformSpec.parseList("linux/arm/v7")).hasMessageContaining("variants");
    assertThatThrownBy(() -> PlatformSpec.parseList("amd64")).hasMessageContaining("expected os/arch");
    assertThatThrownBy(() -> PlatformSpec.parseList(",")).hasMessageContaining("no platform");
  }

  @Test
  void creationTimes() {
    Instant now = Instant.parse("2030-05-06T07:08:09Z");
    assertThat(CreationTime.parse("1700000000", "--creation-time", now)).isEqualTo(Instant.ofEpochSecond(1700000000));
    assertThat(CreationTime.parse("2024-01-15T10:00:00Z", "--creation-time", now)).isEqualTo(Instant.parse("2024-01-15T10:00:00Z"));
    assertThat(CreationTime.parse("now", "--creation-time", now)).isEqualTo(now);
    assertThatThrownBy(() -> CreationTime.parse("yesterday", "--creation-time", now)).hasMessageStartingWith("--creation-time yesterday:");
  }

  @Test
  void creationTimeComesFromTheFlagThenSourceDateEpochThenTheCommit() {
    Instant now = Instant.now();
    Optional<Instant> commit = Optional.of(Instant.parse("2025-02-03T04:05:06Z"));
    Map<String, String> epoch = Map.of("SOURCE_DATE_EPOCH", "1600000000");
    assertThat(CreationTime.resolve("0", epoch, commit, now)).contains(Instant.EPOCH);
    assertThat(CreationTime.resolve(null, epoch, commit, now)).contains(Instant.ofEpochSecond(1600000000));
    assertThat(CreationTime.resolve(null, Map.of(), commit, now)).isEqualTo(commit);
    assertThat(CreationTime.resolve(null, Map.of(), Optional.empty(), now)).isEmpty();
    assertThatThrownBy(() -> CreationTime.resolve(null, Map.of("SOURCE_DATE_EPOCH", "soon"), commit, now))
        .hasMessageStartingWith("SOURCE_DATE_EPOCH=soon");
  }

  @Test
  void bases() {
    assertThat(BaseImage.parse("scratch")).isEqualTo(new BaseImage.Scratch());
    assertThat(BaseImage.parse("docker-archive:build/base.tar")).isEqualTo(new BaseImage.Archive(Path.of("build/base.tar")));
    assertThat(BaseImage.parse("eclipse-temurin:21-jre"))
        .isEqualTo(new BaseImage.Registry(ImageName.parse("eclipse-temurin:21-jre", "--from")));
    assertThatThrownBy(() -> BaseImage.parse("docker-archive:")).hasMessageContaining("no PATH");
    assertThatThrownBy(() -> BaseImage.parse("Not A Ref")).hasMessageStartingWith("--from: ");
  }

  @Test
  void ociLabelsFromTheCiEnvironment() {
    var ci = new dev.bumper.ci.CiEnvironment("semaphore", "abc123", "main", "v1.2.0", "git@github.com:/acme/web.git", "https://ci/1");
    assertThat(OciLabels.of(ci, Optional.of(Instant.parse("2025-01-02T03:04:05Z"))))
        .containsExactly(
            Map.entry("org.opencontainers.image.revision", "abc123"),
            Map.entry("org.opencontainers.image.source", "https://github.com/acme/web"),
            Map.entry("org.opencontainers.image.version", "v1.2.0"),
            Map.entry("org.opencontainers.image.created", "2025-01-02T03:04:05Z"));
    assertThat(OciLabels.of(dev.bumper.ci.CiEnvironment.NONE, Optional.empty())).isEmpty();
  }

  @Test
  void sourceUrlsBecomeBrowsableWithoutCredentials() {
    assertThat(OciLabels.sourceUrl("git@github.com:acme/web.git")).isEqualTo("https://github.com/acme/web");
    assertThat(OciLabels.sourceUrl("https://x-access-token:ghs_secret@github.com/acme/web.git")).isEqualTo("https://github.com/acme/web");
    assertThat(OciLabels.sourceUrl("ssh://git@gitlab.example.com:2222/group/sub/app.git")).isEqualTo("https://gitlab.example.com/group/sub/app");
    assertThat(OciLabels.sourceUrl("https://gitlab.example.com/group/app")).isEqualTo("https://gitlab.example.com/group/app");
    assertThat(OciLabels.sourceUrl("")).isEmpty();
  }

  @Test
  void pushTagsStartWithTheTargetsOwn() {
    ImageName to = ImageName.parse("ghcr.io/acme/web:1.4.2", "--to");
    assertThat(ImagePushes.tags(to, List.of("latest", "1.4.2", "stable"), "sha256:" + "a".repeat(64)))
        .containsExactly("1.4.2", "latest", "stable");
    assertThat(ImagePushes.tags(ImageName.parse("ghcr.io/acme/web", "--to"), List.of(), null)).containsExactly("latest");
    String digest = "sha256:" + "c".repeat(64);
    assertThat(ImagePushes.tags(ImageName.parse("ghcr.io/acme/web@" + digest, "--to"), List.of(), digest)).isEmpty();
    assertThatThrownBy(() -> ImagePushes.tags(ImageName.parse("ghcr.io/acme/web@" + digest, "--to"), List.of(), "sha256:" + "d".repeat(64)))
        .hasMessageContaining("the image's digest is sha256:dddd");
  }
}
