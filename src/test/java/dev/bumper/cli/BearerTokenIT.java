package dev.bumper.cli;

import static dev.bumper.cli.ImageTools.bumper;
import static dev.bumper.cli.ImageTools.bumperOk;
import static dev.bumper.cli.ImageTools.cleanEnv;
import static dev.bumper.cli.ImageTools.digestIn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Bearer token flow most public registries use (Docker Hub, GHCR, GitLab): the registry
 * answers 401 with a realm, and the client gets a token there with its credentials (or an
 * identity token from config.json). A token service written in the test signs the tokens.
 */
@RequiresTools({"docker-registry", "htpasswd", "openssl", "skopeo"})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BearerTokenIT {
  private static final String USER = "robot";
  private static final String PASSWORD = "token-service-Pa55word";
  private static final String REFRESH = "identity-token-0123456789";

  @TempDir static Path shared;
  private static TokenServer tokens;
  private static TestRegistry registry;
  private static Path source;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createDirectories(shared.resolve("registry"));
    tokens = new TokenServer(dir, USER, PASSWORD, REFRESH);
    registry = TestRegistry.startWithTokens(dir, tokens);
    source = Files.createDirectories(shared.resolve("app"));
    Files.writeString(source.resolve("app.txt"), "app\n");
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  private Map<String, String> env(String user, String password) {
    return cleanEnv(tmp, Map.of("BUMPER_INSECURE_REGISTRIES", registry.host(),
        "BUMPER_REGISTRY_USERNAME", user, "BUMPER_REGISTRY_PASSWORD", password));
  }

  @Test
  void pushAndCopyGetTokensForTheScopesTheyNeed() throws Exception {
    Path tar = tmp.resolve("app.tar");
    bumperOk(tmp, cleanEnv(tmp, Map.of()), "build-image", "--to", "acme/app:1", "--layer", source + ":/app", "--tar", tar.toString(), "-q");
    String pushed = digestIn(bumperOk(tmp, env(USER, PASSWORD), "push", tar.toString(), "--to", registry.host() + "/acme/app:1", "--output", "json").out());
    String copied =
        digestIn(bumperOk(tmp, env(USER, PASSWORD), "push", "--from", registry.host() + "/acme/app:1",
            "--to", registry.host() + "/prod/app:1", "--output", "json").out());
    assertThat(copied).isEqualTo(pushed);
    assertThat(tokens.scopesAsked()).contains("repository:acme/app:pull,push", "repository:prod/app:pull,push", "repository:acme/app:pull");
  }

  @Test
  void buildImageGetsItsTokensThroughJib() throws Exception {
    Run built = bumperOk(tmp, env(USER, PASSWORD), "build-image", "--to", registry.host() + "/acme/built:1", "--layer", source + ":/app", "--output", "json");
    assertThat(digestIn(built.out())).startsWith("sha256:");
  }

  @Test
  void anIdentityTokenFromConfigJsonIsExchangedAsARefreshToken() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(config.resolve("config.json"), "{\"auths\":{\"" + registry.host() + "\":{\"identitytoken\":\"" + REFRESH + "\"}}}");
    Path tar = tmp.resolve("app.tar");
    bumperOk(tmp, cleanEnv(tmp, Map.of()), "build-image", "--to", "acme/app:1", "--layer", source + ":/app", "--tar", tar.toString(), "-q");
    Run run = bumperOk(tmp, cleanEnv(tmp, Map.of("BUMPER_INSECURE_REGISTRIES", registry.host(), "DOCKER_CONFIG", config.toString())),
        "push", tar.toString(), "--to", registry.host() + "/acme/identity:1", "-v");
    assertThat(run.out() + run.err()).doesNotContain(REFRESH);
  }

  @Test
  void aRefusedTokenIsExitOneWithoutTheSecret() throws Exception {
    Path tar = tmp.resolve("app.tar");
    bumperOk(tmp, cleanEnv(tmp, Map.of()), "build-image", "--to", "acme/app:1", "--layer", source + ":/app", "--tar", tar.toString(), "-q");
    Run run = bumper(tmp, env(USER, "wrong-Pa55word-here"), "push", tar.toString(), "--to", registry.host() + "/acme/app:2", "-v");
    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("refused the credentials from BUMPER_REGISTRY_USERNAME/BUMPER_REGISTRY_PASSWORD");
    assertThat(run.out() + run.err()).doesNotContain("wrong-Pa55word-here");
  }
}
