package dev.bumper.container;

import dev.bumper.secret.SecretMask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Credentials resolved from the environment, config.json and real helper programs. */
class RegistryCredentialsTest {
  @TempDir Path tmp;

  private Map<String, String> env(String configJson, String... pairs) throws Exception {
    Files.writeString(tmp.resolve("config.json"), configJson);
    Map<String, String> env = new HashMap<>();
    env.put("DOCKER_CONFIG", tmp.toString());
    env.put("PATH", tmp.resolve("bin") + ":/usr/bin:/bin");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private Path helper(String name, String script) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path program = bin.resolve("docker-credential-" + name);
    Files.writeString(program, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    return program;
  }

  @Test
  void theEnvironmentGoesOnlyToTheRegistriesGivenIt() throws Exception {
    String auth = Base64.getEncoder().encodeToString("hub:hubpass".getBytes(UTF_8));
    SecretMask secrets = new SecretMask();
    RegistryCredentials credentials =
        new RegistryCredentials(
            env("{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"" + auth + "\"}}}",
                "BUMPER_REGISTRY_USERNAME", "ci", "BUMPER_REGISTRY_PASSWORD", "push-token"),
            "ghcr.io"::equals,
            secrets);
    assertThat(credentials.forRegistry("ghcr.io")).get().extracting(Credential::username, Credential::secret, Credential::source)
        .containsExactly("ci", "push-token", "BUMPER_REGISTRY_USERNAME/BUMPER_REGISTRY_PASSWORD");
    assertThat(credentials.forRegistry("registry-1.docker.io")).get().extracting(Credential::username).isEqualTo("hub");
    assertThat(credentials.forRegistry("quay.io")).isEmpty();
    assertThat(secrets.mask("push-token hubpass")).isEqualTo("*** ***");
  }

  @Test
  void halfOfTheEnvironmentIsAUsageError() {
    assertThatThrownBy(() -> new RegistryCredentials(Map.of("BUMPER_REGISTRY_USERNAME", "ci"), r -> true, new SecretMask()))
        .hasMessage("BUMPER_REGISTRY_PASSWORD is not set, but BUMPER_REGISTRY_USERNAME is: set both or neither");
    assertThatThrownBy(() -> new RegistryCredentials(Map.of("BUMPER_REGISTRY_PASSWORD", "secret-value"), r -> true, new SecretMask()))
        .hasMessageStartingWith("BUMPER_REGISTRY_USERNAME is not set")
        .hasMessageNotContaining("secret-value");
  }

  @Test
  void aHelperProgramIsAskedWithTheServerOnStdinOnceAndItsAnswerUsed() throws Exception {
    Path asked = tmp.resolve("asked");
    helper("test", "read -r server\necho \"$1 $server\" >> " + asked + "\n"
        + "echo '{\"ServerURL\":\"'\"$server\"'\",\"Username\":\"robot\",\"Secret\":\"helper-secret\"}'\n");
    RegistryCredentials credentials =
        new RegistryCredentials(env("{\"credHelpers\": {\"registry.example.com\": \"test\"}}"), r -> false, new SecretMask());
    assertThat(credentials.forRegistry("registry.example.com")).get()
        .extracting(Credential::username, Credential::secret, Credential::source)
        .containsExactly("robot", "helper-secret", "docker-credential-test");
    credentials.forRegistry("registry.example.com");
    assertThat(Files.readAllLines(asked)).containsExactly("get registry.example.com");
    assertThat(credentials.secrets().mask("helper-secret")).isEqualTo("***");
  }

  @Test
  void dockerHubIsAskedForByItsConfigKey() throws Exception {
    Path asked = tmp.resolve("asked");
    helper("store", "read -r server\necho \"$server\" > " + asked + "\necho 'credentials not found in native keychain'\nexit 1\n");
    RegistryCredentials credentials = new RegistryCredentials(env("{\"credsStore\": \"store\"}"), r -> false, new SecretMask());
    assertThat(credentials.forRegistry("registry-1.docker.io")).isEmpty();
    assertThat(Files.readString(asked).strip()).isEqualTo("https://index.docker.io/v1/");
  }

  @Test
  void aFailingOrMissingHelperIsAFailureNamingIt() throws Exception {
    helper("broken", "echo 'keychain locked' >&2\nexit 3\n");
    RegistryCredentials broken = new RegistryCredentials(env("{\"credsStore\": \"broken\"}"), r -> false, new SecretMask());
    assertThatThrownBy(() -> broken.forRegistry("ghcr.io"))
        .hasMessage("docker-credential-broken get failed for ghcr.io (exit 3): keychain locked");
    RegistryCredentials missing = new RegistryCredentials(env("{\"credsStore\": \"absent\"}"), r -> false, new SecretMask());
    assertThatThrownBy(() -> missing.forRegistry("ghcr.io")).hasMessageContaining("docker-credential-absent").hasMessageContaining("not on the PATH");
  }

  @Test
  void aHelperThatPrintsGarbageIsNotQuoted() throws Exception {
    helper("leaky", "echo 'Secret: super-secret-value'\n");
    RegistryCredentials leaky = new RegistryCredentials(env("{\"credsStore\": \"leaky\"}"), r -> false, new SecretMask());
    assertThatThrownBy(() -> leaky.forRegistry("ghcr.io")).hasMessageNotContaining("super-secret-value");
  }
}
