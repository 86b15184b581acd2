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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promote --pin-digest}: staging deploys a tag, and production gets that tag pinned to the
 * digest Debian's registry on loopback has for it, as the packaged jar run in a process asks it.
 */
@RequiresTools({"docker-registry", "htpasswd", "openssl", "skopeo"})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PromotePinDigestIT {
  @TempDir Path tmp;
  private TestRegistry registry;

  @BeforeEach
  void startRegistry() throws Exception {
    registry = TestRegistry.start(tmp.resolve("registry"));
  }

  @AfterEach
  void stopRegistry() throws Exception {
    registry.close();
  }

  @Test
  void aTagStagingRunsIsPromotedPinnedToTheRegistrysDigest() throws Exception {
    Map<String, String> env = cleanEnv(tmp, Map.of("BUMPER_INSECURE_REGISTRIES", registry.host()));
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("index.html"), "<h1>web</h1>\n");
    String image = registry.host() + "/acme/web";
    String built = digestIn(bumperOk(tmp, env, "build-image", "--to", image + ":1.1", "--layer",
        app + ":/srv", "--output", "json").out());
    Path config = tmp.resolve("config");
    Files.createDirectories(config.resolve("staging"));
    Files.createDirectories(config.resolve("production"));
    Files.writeString(config.resolve("staging/kustomization.yaml"),
        "images:\n  - name: " + image + "\n    newTag: \"1.1\"\n");
    String production = "images:\n  - name: " + image + " # by digest only\n    newTag: \"1.0\"\n"
        + "    digest: sha256:" + "0".repeat(64) + "\n";
    Files.writeString(config.resolve("production/kustomization.yaml"), production);

    Run refused = bumper(tmp, env, "promote", "-C", config.toString(), "--from", "staging", "--to",
        "production");
    Run pinned = bumperOk(tmp, env, "promote", "-C", config.toString(), "--from", "staging",
        "--to", "production", "--pin-digest", "--output", "json");

    assertThat(refused.code()).as(refused.toString()).isEqualTo(4);
    assertThat(refused.err()).contains("without a digest").contains("--pin-digest");
    assertThat(Files.readString(config.resolve("production/kustomization.yaml")))
        .isEqualTo(production.replace("\"1.0\"", "\"1.1\"").replace("sha256:" + "0".repeat(64),
            built));
    Map<String, Object> json = StrictJson.parseObject(pinned.out());
    assertThat((java.util.List<?>) json.get("images")).singleElement().isEqualTo(Map.of(
        "repository", image, "reference", image + ":1.1@" + built, "pinned", true,
        "places", java.util.List.of("staging/kustomization.yaml:2")));
  }
}
