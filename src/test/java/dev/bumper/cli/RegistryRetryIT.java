package dev.bumper.cli;

import static dev.bumper.cli.FaultProxy.Fault.BLOB_UPLOAD_UNKNOWN;
import static dev.bumper.cli.FaultProxy.Fault.DROP_CONNECTION;
import static dev.bumper.cli.FaultProxy.Fault.SERVICE_UNAVAILABLE;
import static dev.bumper.cli.FaultProxy.Fault.TOO_MANY_REQUESTS;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must hold 5: a loopback proxy in front of the registry answers 503 and 429, loses uploads and
 * drops connections a few times before passing requests on. Pushes and builds succeed with the
 * digest intact; a registry that stays down ends with exit 1 after a bounded number of attempts.
 */
@RequiresTools({"docker-registry", "htpasswd", "openssl", "skopeo"})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RegistryRetryIT {
  @TempDir static Path shared;
  private static TestRegistry registry;
  private static Path tarball;
  private static Path source;
  private static String tarDigest;

  @TempDir Path tmp;
  private FaultProxy proxy;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = TestRegistry.start(shared.resolve("registry"));
    source = Files.createDirectories(shared.resolve("src"));
    for (int i = 0; i < 3; i++) {
      Path dir = Files.createDirectories(source.resolve("part" + i));
      Files.writeString(dir.resolve("data.txt"), ("part " + i + " ").repeat(5000));
    }
    tarball = shared.resolve("app.tar");
    Run built =
        bumperOk(shared, cleanEnv(shared, Map.of()), "build-image", "--to", "acme/app:1",
            "--layer", source.resolve("part0") + ":/a", "--layer", source.resolve("part1") + ":/b",
            "--layer", source.resolve("part2") + ":/c", "--tar", tarball.toString(), "--output", "json");
    tarDigest = digestIn(built.out());
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @BeforeEach
  void startProxy() throws Exception {
    proxy = new FaultProxy(registry.port());
  }

  @AfterEach
  void stopProxy() throws Exception {
    proxy.close();
  }

  private Map<String, String> env() {
    return cleanEnv(tmp, Map.of("BUMPER_INSECURE_REGISTRIES", proxy.host()));
  }

  @Test
  void pushSurvives503And429LostUploadsAndDroppedConnections() throws Exception {
    proxy.fail(FaultProxy.uploadPut(), SERVICE_UNAVAILABLE, 2)
        .fail(FaultProxy.uploadPut(), TOO_MANY_REQUESTS, 1)
        .fail(FaultProxy.uploadPut(), DROP_CONNECTION, 2)
        .fail(FaultProxy.uploadPut(), BLOB_UPLOAD_UNKNOWN, 1)
        .fail(FaultProxy.manifestPut(), SERVICE_UNAVAILABLE, 1)
        .fail(FaultProxy.manifestPut(), DROP_CONNECTION, 1);
    String ref = proxy.host() + "/flaky/push:1";

    Run run = bumperOk(tmp, env(), "push", tarball.toString(), "--to", ref, "--output", "json");

    assertThat(proxy.faultsLeft()).as("every fault was injected").isZero();
    assertThat(digestIn(run.out())).isEqualTo(tarDigest);
    assertThat(registryDigest(tmp, registry.host() + "/flaky/push:1")).as("the digest is intact").isEqualTo(tarDigest);
    assertThat(run.err()).contains("answered 503", "answered 429", "lost the upload", "retry 1 of 5");
  }

  @Test
  void buildImageSurvivesTheSameFaults() throws Exception {
    String direct = registry.host() + "/flaky/reference:1";
    String expected =
        digestIn(bumperOk(tmp, cleanEnv(tmp, Map.of("BUMPER_INSECURE_REGISTRIES", registry.host())),
            "build-image", "--to", direct, "--layer", source + ":/src", "--output", "json").out());
    proxy.fail(FaultProxy.uploadData(), SERVICE_UNAVAILABLE, 1)
        .fail(FaultProxy.uploadData(), TOO_MANY_REQUESTS, 1)
        .fail(FaultProxy.uploadData(), DROP_CONNECTION, 1)
        .fail(FaultProxy.uploadPut(), BLOB_UPLOAD_UNKNOWN, 1)
        .fail(FaultProxy.manifestPut(), SERVICE_UNAVAILABLE, 1);
    String ref = proxy.host() + "/flaky/build:1";

    Run run = bumperOk(tmp, env(), "build-image", "--to", ref, "--layer", source + ":/src", "--output", "json");

    assertThat(proxy.faultsLeft()).as("every fault was injected").isZero();
    assertThat(digestIn(run.out())).as("same inputs, same digest, faults or not").isEqualTo(expected);
    assertThat(registryDigest(tmp, registry.host() + "/flaky/build:1")).isEqualTo(expected);
    assertThat(run.err()).contains("retry 1 of 5");
  }

  @Test
  void copySurvivesFaultsOnBothSides() throws Exception {
    bumperOk(tmp, cleanEnv(tmp, Map.of("BUMPER_INSECURE_REGISTRIES", registry.host())),
        "push", tarball.toString(), "--to", registry.host() + "/flaky/source:1");
    proxy.fail(r -> r.method().equals("GET") && r.path().contains("/manifests/"), SERVICE_UNAVAILABLE, 1)
        .fail(r -> r.method().equals("HEAD") && r.path().contains("/blobs/"), DROP_CONNECTION, 1)
        .fail(r -> r.method().equals("POST") && r.path().contains("/blobs/uploads/"), TOO_MANY_REQUESTS, 1);

    Run run = bumperOk(tmp, env(), "push", "--from", proxy.host() + "/flaky/source:1", "--to",
        proxy.host() + "/flaky/copy:1", "--output", "json");

    assertThat(proxy.faultsLeft()).isZero();
    assertThat(digestIn(run.out())).isEqualTo(tarDigest);
    assertThat(registryDigest(tmp, registry.host() + "/flaky/copy:1")).isEqualTo(tarDigest);
  }

  @Test
  void aRegistryThatStaysDownIsExitOneAfterBoundedRetries() throws Exception {
    proxy.fail(FaultProxy.any(), SERVICE_UNAVAILABLE, Integer.MAX_VALUE);

    Run pushed = bumper(tmp, env(), "push", tarball.toString(), "--to", proxy.host() + "/down/push:1", "--retries", "3");
    assertThat(pushed.code()).as(pushed.toString()).isEqualTo(1);
    assertThat(pushed.err()).contains("answered 503", "gave up after 4 attempts");
    assertThat(proxy.requests()).as("one request per attempt, then it stops").hasSize(4);

    proxy.clearRequests();
    Run built = bumper(tmp, env(), "build-image", "--to", proxy.host() + "/down/build:1", "--layer", source + ":/src", "--retries", "2");
    assertThat(built.code()).as(built.toString()).isEqualTo(1);
    assertThat(built.err()).contains("503", "gave up after 3 attempts");
    assertThat(proxy.requests()).hasSize(3);
  }

  @Test
  void aRegistryThatIsNotThereIsExitOneAfterBoundedRetries() throws Exception {
    int closed = TestProcesses.freePort();
    Run run = bumper(tmp, cleanEnv(tmp, Map.of()), "push", tarball.toString(), "--to", "127.0.0.1:" + closed + "/gone/app:1",
        "--insecure-registry", "127.0.0.1:" + closed, "--retries", "2");
    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("connection refused", "gave up after 3 attempts");
  }
}
