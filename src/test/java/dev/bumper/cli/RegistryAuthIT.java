package dev.bumper.cli;

import static dev.bumper.cli.ImageTools.bumper;
import static dev.bumper.cli.ImageTools.bumperOk;
import static dev.bumper.cli.ImageTools.cleanEnv;
import static dev.bumper.cli.ImageTools.digestIn;
import static dev.bumper.cli.ImageTools.sha256;
import static dev.bumper.cli.ImageTools.skopeo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must hold 4: a registry with htpasswd authentication over TLS with a self-signed certificate
 * made by the test. Credentials come from Docker's config.json, from a credential helper program
 * the test provides, and from the environment, for both build-image (Jib) and push (bumper's own
 * client); a wrong password is exit 1 with a clear message and no secret in any output.
 */
@RequiresTools({"docker-registry", "htpasswd", "openssl", "skopeo"})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RegistryAuthIT {
  private static final String USER = "ci-robot";
  private static final String PASSWORD = "s3cret-Pa55word-for-the-registry";
  private static final String WRONG = "not-the-Pa55word-at-all";

  @TempDir static Path shared;
  private static TestRegistry registry;
  private static Path tarball;
  private static Path source;

  @TempDir Path tmp;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = TestRegistry.start(shared.resolve("registry"), USER, PASSWORD);
    source = Files.createDirectories(shared.resolve("src/app"));
    Files.writeString(source.resolve("hello.txt"), "hello\n");
    tarball = shared.resolve("app.tar");
    bumperOk(shared, cleanEnv(shared, Map.of()), "build-image", "--to", "acme/app:1", "--layer",
        source + ":/app", "--tar", tarball.toString(), "-q");
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private String[] build(String ref, String... more) {
    String[] args = {"build-image", "--to", ref, "--layer", source + ":/app", "--insecure-registry", registry.host(), "--output", "json"};
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  private String[] push(String ref, String... more) {
    String[] args = {"push", tarball.toString(), "--to", ref, "--insecure-registry", registry.host(), "--output", "json"};
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  /** What is in the registry for {@code ref}, read with skopeo and the right credentials. */
  private String registryDigest(String ref) throws Exception {
    return sha256(skopeo(tmp, "inspect", "--raw", "--tls-verify=false", "--creds", USER + ":" + PASSWORD, "docker://" + ref));
  }

  private Path dockerConfig(String json) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(dir.resolve("config.json"), json);
    return dir;
  }

  private static String auth(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
  }

  @Test
  void credentialsFromDockerConfigAuths() throws Exception {
    Path config = dockerConfig("{\"auths\": {\"https://" + registry.host() + "\": {\"auth\": \"" + auth(USER, PASSWORD) + "\"}}}");
    Map<String, String> env = cleanEnv(tmp, Map.of("DOCKER_CONFIG", config.toString()));

    String built = digestIn(bumperOk(tmp, env, build(registry.host() + "/auth/config:1")).out());
    assertThat(registryDigest(registry.host() + "/auth/config:1")).isEqualTo(built);
    String pushed = digestIn(bumperOk(tmp, env, push(registry.host() + "/auth/config-tar:1")).out());
    assertThat(registryDigest(registry.host() + "/auth/config-tar:1")).isEqualTo(pushed);
    String copied =
        digestIn(bumperOk(tmp, env, "push", "--from", registry.host() + "/auth/config:1", "--to",
            registry.host() + "/auth/config-copy:1", "--insecure-registry", registry.host(), "--output", "json").out());
    assertThat(copied).isEqualTo(built);
    assertThat(registryDigest(registry.host() + "/auth/config-copy:1")).isEqualTo(built);
  }

  @Test
  void credentialsFromACredentialHelperProgram() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path asked = tmp.resolve("asked.txt");
    Path helper = bin.resolve("docker-credential-bumpertest");
    Files.writeString(helper,
        "#!/bin/sh\n"
            + "[ \"$1\" = get ] || exit 2\n"
            + "read -r server\n"
            + "echo \"$server\" >> '" + asked + "'\n"
            + "if [ \"$server\" = '" + registry.host() + "' ]; then\n"
            + "  printf '{\"ServerURL\":\"%s\",\"Username\":\"" + USER + "\",\"Secret\":\"" + PASSWORD + "\"}\\n' \"$server\"\n"
            + "else\n"
            + "  echo 'credentials not found in native keychain'; exit 1\n"
            + "fi\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path config = dockerConfig("{\"auths\": {}, \"credHelpers\": {\"" + registry.host() + "\": \"bumpertest\"}}");
    Map<String, String> env = new LinkedHashMap<>(cleanEnv(tmp, Map.of("DOCKER_CONFIG", config.toString())));
    env.put("PATH", bin + ":" + env.get("PATH"));

    String built = digestIn(bumperOk(tmp, env, build(registry.host() + "/auth/helper:1")).out());
    assertThat(registryDigest(registry.host() + "/auth/helper:1")).isEqualTo(built);
    String pushed = digestIn(bumperOk(tmp, env, push(registry.host() + "/auth/helper-tar:1")).out());
    assertThat(registryDigest(registry.host() + "/auth/helper-tar:1")).isEqualTo(pushed);
    assertThat(Files.readAllLines(asked)).isNotEmpty().allMatch(line -> line.equals(registry.host()));
  }

  @Test
  void credentialsFromTheEnvironment() throws Exception {
    Map<String, String> env =
        cleanEnv(tmp, Map.of("BUMPER_REGISTRY_USERNAME", USER, "BUMPER_REGISTRY_PASSWORD", PASSWORD));

    String built = digestIn(bumperOk(tmp, env, build(registry.host() + "/auth/env:1")).out());
    assertThat(registryDigest(registry.host() + "/auth/env:1")).isEqualTo(built);
    Run pushed = bumperOk(tmp, env, push(registry.host() + "/auth/env-tar:1", "-v"));
    assertThat(registryDigest(registry.host() + "/auth/env-tar:1")).isEqualTo(digestIn(pushed.out()));
    assertNoSecret(pushed, PASSWORD);
  }

  @Test
  void aWrongPasswordIsExitOneWithAClearMessageAndNoSecretInTheOutput() throws Exception {
    Map<String, String> env =
        cleanEnv(tmp, Map.of("BUMPER_REGISTRY_USERNAME", USER, "BUMPER_REGISTRY_PASSWORD", WRONG));
    for (String[] args : new String[][] {
        build(registry.host() + "/auth/wrong:1", "-v"), push(registry.host() + "/auth/wrong-tar:1", "-v")}) {
      Run run = bumper(tmp, env, args);
      assertThat(run.code()).as(run.toString()).isEqualTo(1);
      assertThat(run.err())
          .as(run.toString())
          .contains("refused the credentials from BUMPER_REGISTRY_USERNAME/BUMPER_REGISTRY_PASSWORD")
          .contains("401 Unauthorized")
          .doesNotContain("Exception\n\tat ");
      assertThat(StrictJson.parseObject(run.out())).containsEntry("exitCode", 1L);
      assertNoSecret(run, WRONG);
    }

    Path config = dockerConfig("{\"auths\": {\"" + registry.host() + "\": {\"auth\": \"" + auth(USER, WRONG) + "\"}}}");
    Run fromConfig = bumper(tmp, cleanEnv(tmp, Map.of("DOCKER_CONFIG", config.toString())), push(registry.host() + "/auth/wrong-config:1", "-v"));
    assertThat(fromConfig.code()).as(fromConfig.toString()).isEqualTo(1);
    assertThat(fromConfig.err()).contains("refused the credentials from " + config.resolve("config.json"));
    assertNoSecret(fromConfig, WRONG);
  }

  @Test
  void noCredentialsAtAllIsExitOneNamingWhereTheyWereLookedFor() throws Exception {
    Run run = bumper(tmp, cleanEnv(tmp, Map.of()), push(registry.host() + "/auth/none:1"));
    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("requires credentials", "BUMPER_REGISTRY_USERNAME", "config.json");
  }

  @Test
  void aSelfSignedCertificateIsRefusedWithoutInsecureRegistry() throws Exception {
    Map<String, String> env =
        cleanEnv(tmp, Map.of("BUMPER_REGISTRY_USERNAME", USER, "BUMPER_REGISTRY_PASSWORD", PASSWORD));
    Run pushed = bumper(tmp, env, "push", tarball.toString(), "--to", registry.host() + "/auth/tls:1", "--retries", "1");
    assertThat(pushed.code()).as(pushed.toString()).isEqualTo(1);
    assertThat(pushed.err()).contains("not trusted", "--insecure-registry " + registry.host());
    Run built = bumper(tmp, env, "build-image", "--to", registry.host() + "/auth/tls:1", "--layer", source + ":/app", "--retries", "1");
    assertThat(built.code()).as(built.toString()).isEqualTo(1);
    assertThat(built.err()).contains("--insecure-registry");
    assertNoSecret(built, PASSWORD);
  }

  /** Neither the password nor the Basic credentials made of it appear anywhere. */
  private static void assertNoSecret(Run run, String password) {
    String all = run.out() + run.err();
    assertThat(all).as("no secret in the output").doesNotContain(password).doesNotContain(auth(USER, password));
  }
}
