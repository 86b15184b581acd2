package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bumper.container.HostileTarballs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --pin-digest} and {@code push} against registries and tarballs that lie or never end,
 * through the packaged jar: a registry whose Docker-Content-Digest is not its manifest's, one
 * whose answer never ends, one that redirects; tarballs built to hang a reader. Nothing is
 * written on a lie, memory stays bounded, and no output is an internal error.
 */
class HostileRegistryIT {
  private static final String MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":2,"
          + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\"},\"layers\":[]}";
  private static final String DIGEST = "sha256:" + sha256(MANIFEST);
  private static final String USER = "ci";
  private static final String PASSWORD = "s3cret-registry-password";

  @TempDir Path tmp;
  private HttpServer registry;
  private HttpServer storage;
  private final List<String> storageAuthorizations = new CopyOnWriteArrayList<>();
  private final List<String> storageRequests = new CopyOnWriteArrayList<>();
  private final List<String> registryRequests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void servers() throws Exception {
    storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    storage.createContext("/", exchange -> {
      storageRequests.add(exchange.getRequestURI().getPath());
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      storageAuthorizations.add(authorization == null ? "" : authorization);
      manifest(exchange, DIGEST);
    });
    storage.start();

    registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry.createContext("/", this::registry);
    registry.start();
  }

  @AfterEach
  void stop() {
    registry.stop(0);
    storage.stop(0);
  }

  private void registry(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    registryRequests.add(exchange.getRequestMethod() + " " + path);
    boolean authorized = ("Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(UTF_8)))
        .equals(exchange.getRequestHeaders().getFirst("Authorization"));
    switch (path) {
      case "/v2/", "/v2" -> {
        if (!authorized) {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
          reply(exchange, 401, "{}");
        } else {
          reply(exchange, 200, "{}");
        }
      }
      case "/v2/acme/lying/manifests/1.0" ->
          manifest(exchange, "sha256:" + "0".repeat(64)); // not the digest of what it sends
      case "/v2/acme/endless/manifests/1.0" -> endless(exchange, 200);
      case "/v2/acme/endless-error/manifests/1.0" -> endless(exchange, 404);
      case "/v2/acme/moved/manifests/1.0" -> redirect(exchange, "/v2/acme/honest/manifests/1.0");
      case "/v2/acme/honest/manifests/1.0" -> manifest(exchange, DIGEST);
      case "/v2/acme/elsewhere/manifests/1.0" ->
          redirect(exchange, "http://127.0.0.1:" + storage.getAddress().getPort() + "/manifests/acme/elsewhere/1.0");
      default -> reply(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
    }
  }

  @Test
  void aDigestHeaderThatIsNotTheManifestsIsRefusedAndNothingWritten() throws Exception {
    Path config = config("lying");

    JarProcess.Result run = pin(config, "lying");

    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("says manifest 1.0 is sha256:" + "0".repeat(64)).contains(DIGEST)
        .doesNotContain("internal error");
    assertThat(config.resolve("deploy.yaml")).hasContent(deployment("lying", "0.9"));
  }

  @Test
  void anAnswerThatNeverEndsIsRefusedInBoundedMemory() throws Exception {
    for (String repository : List.of("endless", "endless-error")) {
      Path config = config(repository);
      Process process = new JarProcess(tmp).env(env()).builder(config,
              List.of("bump-manifest", "-i", host() + "/acme/" + repository + ":1.0", "--pin-digest"))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      long peakKib = 0;
      Path status = Path.of("/proc", Long.toString(process.pid()), "status");
      while (process.isAlive()) {
        peakKib = Math.max(peakKib, highWaterMark(status));
        Thread.sleep(10);
      }
      String err = new String(process.getErrorStream().readAllBytes(), UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(process.exitValue()).as(repository + ": " + err).isEqualTo(1);
      assertThat(err).as(repository).doesNotContain("internal error").doesNotContain("OutOfMemory");
      if (repository.equals("endless")) {
        assertThat(err).contains("with more than 4 MB");
      }
      assertThat(peakKib).as(repository + ": peak RSS in KiB").isLessThan(512 * 1024);
      assertThat(config.resolve("deploy.yaml")).hasContent(deployment(repository, "0.9"));
      System.out.printf("[HostileRegistryIT] %s: exit %d, peak RSS %d MiB%n", repository, process.exitValue(), peakKib / 1024);
    }
  }

  @Test
  void aRedirectedManifestIsFollowedAndCredentialsStayWithTheRegistry() throws Exception {
    for (String repository : List.of("moved", "elsewhere")) {
      Path config = config(repository);

      JarProcess.Result run = pin(config, repository);

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(config.resolve("deploy.yaml")).content().contains(host() + "/acme/" + repository + ":1.0@" + DIGEST);
    }
    assertThat(storageRequests).containsExactly("/manifests/acme/elsewhere/1.0");
    assertThat(storageAuthorizations).containsOnly("");
  }

  @Test
  void hostileTarballsAreExit4AndNeverAnInternalError() throws Exception {
    Map<String, Path> tarballs = new java.util.LinkedHashMap<>(HostileTarballs.write(Files.createDirectories(tmp.resolve("tarballs"))));
    tarballs.put("a layer that does not match its digest", corruptedImage());
    List<String> times = new ArrayList<>();
    for (Map.Entry<String, Path> hostile : tarballs.entrySet()) {
      JarProcess.Result run = new JarProcess(tmp).env(env()).timeoutSeconds(30)
          .run(tmp, "push", hostile.getValue().toString(), "--to", host() + "/acme/pushed:1");

      assertThat(run.code()).as(hostile.getKey() + ": " + run).isEqualTo(4);
      assertThat(run.err()).as(hostile.getKey()).contains(hostile.getValue().toString()).doesNotContain("internal error");
      times.add(hostile.getKey() + " " + run.millis() + " ms");
    }
    assertThat(registryRequests).as("nothing reached the registry, no blob went up").isEmpty();
    System.out.println("[HostileRegistryIT] hostile tarballs, whole process each: " + times);
  }

  // ---- helpers

  /** An image tarball build-image wrote, with one byte of its layer changed afterwards. */
  private Path corruptedImage() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("index.html"), "hello\n".repeat(1000));
    Path tarball = tmp.resolve("image.tar");
    JarProcess.Result built = new JarProcess(tmp).env(env())
        .run(tmp, "build-image", "--to", host() + "/acme/pushed:1", "--layer", app + ":/srv", "--tar", tarball.toString());
    assertThat(built.code()).as(built.toString()).isZero();
    byte[] bytes = Files.readAllBytes(tarball);
    // Jib writes the layer first: flip a byte in the middle of its data, which starts after the
    // first 512-byte header whose size field (octal, bytes 124 to 135) gives its length.
    assertThat(new String(bytes, 0, 100, UTF_8)).contains(".tar.gz");
    long size = Long.parseLong(new String(bytes, 124, 11, UTF_8).trim(), 8);
    bytes[(int) (512 + size / 2)] ^= 0x01;
    return Files.write(tmp.resolve("corrupted.tar"), bytes);
  }

  private JarProcess.Result pin(Path config, String repository) throws Exception {
    return new JarProcess(tmp).env(env()).run(config, "bump-manifest", "-i", host() + "/acme/" + repository + ":1.0", "--pin-digest");
  }

  private Path config(String repository) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config-" + repository));
    Files.writeString(dir.resolve("deploy.yaml"), deployment(repository, "0.9"));
    return dir;
  }

  private String deployment(String repository, String tag) {
    return "kind: Pod\nspec:\n  containers:\n    - name: app\n      image: " + host() + "/acme/" + repository + ":" + tag + "\n";
  }

  private String host() {
    return "127.0.0.1:" + registry.getAddress().getPort();
  }

  private Map<String, String> env() {
    return Map.of(
        "HOME", tmp.toString(),
        "BUMPER_INSECURE_REGISTRIES", host(),
        "BUMPER_REGISTRY_USERNAME", USER,
        "BUMPER_REGISTRY_PASSWORD", PASSWORD);
  }

  private static long highWaterMark(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the process ended between the check and the read
    }
    return 0;
  }

  private static void manifest(HttpExchange exchange, String digest) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/vnd.docker.distribution.manifest.v2+json");
    exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
    reply(exchange, 200, MANIFEST);
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().add("Location", location);
    reply(exchange, 307, "");
  }

  /** Starts an answer and never finishes it, as fast as the client reads. */
  private static void endless(HttpExchange exchange, int status) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, 0); // chunked: no length, no end
    byte[] chunk = " ".repeat(64 * 1024).getBytes(UTF_8);
    try (OutputStream out = exchange.getResponseBody()) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException gone) {
      // the client stopped reading
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
