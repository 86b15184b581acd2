package dev.bumper.cli;

import static dev.bumper.cli.ImageTools.bumper;
import static dev.bumper.cli.ImageTools.bumperOk;
import static dev.bumper.cli.ImageTools.cleanEnv;
import static dev.bumper.cli.ImageTools.digestIn;
import static dev.bumper.cli.ImageTools.registryDigest;
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
 * Must hold 7: {@code bump-manifest --from-metadata} writes the reference build-image recorded,
 * and {@code --pin-digest} writes the registry's digest for a tag.
 */
@RequiresTools({"docker-registry", "htpasswd", "openssl", "skopeo"})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PinDigestIT {
  @TempDir static Path shared;
  private static TestRegistry registry;

  @TempDir Path tmp;
  private Path config;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = TestRegistry.start(shared.resolve("registry"));
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

  private Path configRepo() throws Exception {
    config = Files.createDirectories(tmp.resolve("config/apps/web"));
    Files.writeString(config.resolve("deployment.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
            + "      containers:\n        - name: web\n          image: " + registry.host() + "/acme/web:1.0 # bumped by CI\n"
            + "        - name: api\n          image: \"" + registry.host() + "/acme/api:1.0\"\n");
    return tmp.resolve("config");
  }

  private Path app() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("index.html"), "<h1>web</h1>\n");
    return app;
  }

  @Test
  void fromMetadataWritesTheBuiltImagePinnedByDigest() throws Exception {
    Path root = configRepo();
    Path metadata = tmp.resolve("image.json");
    String built =
        digestIn(bumperOk(tmp, env(), "build-image", "--to", registry.host() + "/acme/web:1.1", "--layer",
            app() + ":/srv", "--metadata-file", metadata.toString(), "--output", "json").out());

    Run bump = bumperOk(tmp, env(), "bump-manifest", "-C", root.toString(), "--from-metadata", metadata.toString());

    String expected = registry.host() + "/acme/web:1.1@" + built;
    assertThat(Files.readString(config.resolve("deployment.yaml")))
        .contains("image: " + expected + " # bumped by CI\n")
        .contains("image: \"" + registry.host() + "/acme/api:1.0\"\n");
    assertThat(bump.out()).contains(registry.host() + "/acme/web:1.0 -> " + expected);
    assertThat(registryDigest(tmp, registry.host() + "/acme/web:1.1")).isEqualTo(built);
  }

  @Test
  void pinDigestWritesTheRegistrysDigestForATag() throws Exception {
    Path root = configRepo();
    String ref = registry.host() + "/acme/api:2.0";
    bumperOk(tmp, env(), "build-image", "--to", ref, "--layer", app() + ":/srv", "-q");
    String digest = registryDigest(tmp, ref);

    Run bump = bumperOk(tmp, env(), "bump-manifest", "-C", root.toString(), "-i", ref, "--pin-digest", "--output", "json");

    assertThat(Files.readString(config.resolve("deployment.yaml")))
        .contains("image: \"" + ref + "@" + digest + "\"\n")
        .contains("image: " + registry.host() + "/acme/web:1.0 # bumped by CI\n");
    assertThat(StrictJson.parseObject(bump.out())).containsEntry("changed", true);
  }

  @Test
  void pinDigestOfATagTheRegistryLacksIsExitOneAndWritesNothing() throws Exception {
    Path root = configRepo();
    String before = Files.readString(config.resolve("deployment.yaml"));

    Run bump = bumper(tmp, env(), "bump-manifest", "-C", root.toString(), "-i", registry.host() + "/acme/api:9.9", "--pin-digest");

    assertThat(bump.code()).as(bump.toString()).isEqualTo(1);
    assertThat(bump.err()).contains("no tag or digest 9.9 in " + registry.host() + "/acme/api");
    assertThat(Files.readString(config.resolve("deployment.yaml"))).isEqualTo(before);
  }
}
