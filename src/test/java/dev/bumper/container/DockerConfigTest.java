package dev.bumper.container;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
  @TempDir Path tmp;

  private DockerConfig config(String json) throws Exception {
    Path file = tmp.resolve("config.json");
    Files.writeString(file, json);
    return DockerConfig.load(file);
  }

  private static String auth(String userAndPassword) {
    return Base64.getEncoder().encodeToString(userAndPassword.getBytes(UTF_8));
  }

  @Test
  void theLocationFollowsDockerConfigThenHome() {
    assertThat(DockerConfig.location(Map.of("DOCKER_CONFIG", "/etc/docker-ci", "HOME", "/home/ci")))
        .isEqualTo(Path.of("/etc/docker-ci/config.json"));
    assertThat(DockerConfig.location(Map.of("HOME", "/home/ci"))).isEqualTo(Path.of("/home/ci/.docker/config.json"));
    assertThat(DockerConfig.location(Map.of())).isNull();
  }

  @Test
  void authsInEveryFormAndKeySpelling() throws Exception {
    DockerConfig config =
        config("{\"auths\": {"
            + "\"https://ghcr.io\": {\"auth\": \"" + auth("octo:ghp_token:with:colons") + "\"},"
            + "\"registry.example.com:5000/v1/\": {\"username\": \"u\", \"password\": \"p\"},"
            + "\"https://index.docker.io/v1/\": {\"auth\": \"" + auth("hubuser:hubpass") + "\"},"
            + "\"quay.io\": {\"identitytoken\": \"refresh-me\"}}}");
    assertThat(config.authFor("ghcr.io")).get().extracting(Credential::username, Credential::secret)
        .containsExactly("octo", "ghp_token:with:colons");
    assertThat(config.authFor("registry.example.com:5000")).get().extracting(Credential::secret).isEqualTo("p");
    assertThat(config.authFor("registry-1.docker.io")).get().extracting(Credential::username).isEqualTo("hubuser");
    Credential token = config.authFor("quay.io").orElseThrow();
    assertThat(token.isIdentityToken()).isTrue();
    assertThat(token.secret()).isEqualTo("refresh-me");
    assertThat(config.authFor("registry.example.com")).as("another port is another registry").isEmpty();
    assertThat(config.authFor("ghcr.io").orElseThrow().source()).contains("config.json");
  }

  @Test
  void aRegistrysHelperComesBeforeTheStore() throws Exception {
    DockerConfig config = config("{\"credsStore\": \"desktop\", \"credHelpers\": {\"123.dkr.ecr.eu-west-1.amazonaws.com\": \"ecr-login\"}}");
    assertThat(config.helperFor("123.dkr.ecr.eu-west-1.amazonaws.com")).contains("ecr-login");
    assertThat(config.helperFor("ghcr.io")).contains("desktop");
    assertThat(config("{}").helperFor("ghcr.io")).isEmpty();
  }

  @Test
  void aMissingFileIsAnEmptyConfig() {
    DockerConfig config = DockerConfig.load(tmp.resolve("nope.json"));
    assertThat(config.authFor("ghcr.io")).isEqualTo(Optional.empty());
    assertThat(DockerConfig.load(null).helperFor("ghcr.io")).isEmpty();
  }

  @Test
  void brokenFilesAreInvalidInputNamingTheFile() throws Exception {
    assertThatThrownBy(() -> config("{\"auths\": "))
        .isInstanceOf(ContainerException.class)
        .hasMessageContaining("config.json")
        .extracting(e -> ((ContainerException) e).kind())
        .isEqualTo(ContainerException.Kind.INVALID_INPUT);
    DockerConfig notBase64 = config("{\"auths\": {\"ghcr.io\": {\"auth\": \"%%%\"}}}");
    assertThatThrownBy(() -> notBase64.authFor("ghcr.io")).hasMessageContaining("not Base64");
    DockerConfig noColon = config("{\"auths\": {\"ghcr.io\": {\"auth\": \"" + auth("nocolon") + "\"}}}");
    assertThatThrownBy(() -> noColon.authFor("ghcr.io")).hasMessageContaining("not USER:PASSWORD").hasMessageNotContaining("nocolon");
  }
}
