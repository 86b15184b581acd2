package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bumper.container.HostileTarballs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --pin-digest} and {@code push} against registries and tarballs that lie or never end,
 * through the packaged jar: a registry whose Docker-Content-Digest is not its manifest's, answers
 * that never end (a manifest, an error, a token), redirects (followed, bounded, only to http and
 * https, credentials only to the registry itself); tarballs built to hang a reader or with a blob
 * that is not what its manifest says. Nothing is written on a lie, memory stays bounded, and no
 * output is an internal error or a stack trace.
 */
class HostileRegistryIT {
  private static final String CONFIG = TestManifests.CONFIG;
  private static final String CONFIG_DIGEST = TestManifests.CONFIG_DIGEST;
  private static final String MANIFEST = TestManifests.MANIFEST;
  private static final String DIGEST = TestManifests.DIGEST;
  private static final String USER = "ci";
  private static final String PASSWORD = "s3cret-registry-password";
  private static final String BASIC =
      "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(UTF_8));
  /** What a client that stops at the 4 MB cap lets an endless server write: the cap and socket buffers. */
  private static final long MAX_SENT_TO_A_BOUNDED_CLIENT = 32L * 1024 * 1024;

  @TempDir Path tmp;
  private HttpServer registry;
  private HttpServer storage;
  private HttpServer bearer;
  private final List<String> storageAuthorizations = new CopyOnWriteArrayList<>();
  private final List<String> storageRequests = new CopyOnWriteArrayList<>();
  private final List<String> registryRequests = new CopyOnWriteArrayList<>();
  /** The registry's requests that came with the credentials. */
  private final List<String> authorizedRequests = new CopyOnWriteArrayList<>();
  private final List<String> uploaded = new CopyOnWriteArrayList<>();
  /** Bytes each endless answer got out before the client hung up, by path. */
  private final Map<String, CompletableFuture<Long>> endlessSent = new ConcurrentHashMap<>();
  private final ExecutorService handlers = Executors.newCachedThreadPool();

  @BeforeEach
  void servers() throws Exception {
    storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    storage.createContext("/", exchange -> {
      storageRequests.add(exchange.getRequestURI().getPath());
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      storageAuthorizations.add(authorization == null ? "" : authorization);
      if (exchange.getRequestURI().getPath().startsWith("/blobs/")) {
        reply(exchange, 200, CONFIG);
      } else {
        manifest(exchange, DIGEST);
      }
    });
    storage.start();

    registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry.createContext("/", this::registry);
    // a copy reads the source's blob while its upload to the target, the same server, is open
    registry.setExecutor(handlers);
    registry.start();
  }

  @AfterEach
  void stop() {
    registry.stop(0);
    storage.stop(0);
    if (bearer != null) {
      bearer.stop(0);
    }
    handlers.shutdownNow();
  }

  private void registry(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    registryRequests.add(method + " " + path);
    boolean authorized = BASIC.equals(exchange.getRequestHeaders().getFirst("Authorization"));
    if (authorized) {
      authorizedRequests.add(method + " " + path);
    }
    // a chain of redirects: hops-N redirects N times, through /hop/N-1 ... /hop/1 to /hop/0
    Matcher chain = Pattern.compile("/v2/acme/hops-(\\d+)/manifests/1.0|/hop/(\\d+)").matcher(path);
    if (chain.matches()) {
      int left = chain.group(1) != null ? Integer.parseInt(chain.group(1)) : Integer.parseInt(chain.group(2));
      if (chain.group(2) != null && left == 0) {
        manifest(exchange, DIGEST);
      } else {
        redirect(exchange, "/hop/" + (left - 1));
      }
      return;
    }
    if (path.startsWith("/v2/acme/bad-length/blobs/") && method.equals("HEAD")) {
      exchange.getResponseHeaders().add("Content-Length", "lots"); // "it exists", in no number
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      return;
    }
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
      case "/token/endless" -> endless(exchange, 200);
      case "/v2/acme/moved/manifests/1.0" -> redirect(exchange, "/v2/acme/honest/manifests/1.0");
      case "/v2/acme/honest/manifests/1.0" -> manifest(exchange, DIGEST);
      case "/v2/acme/elsewhere/manifests/1.0" ->
          redirect(exchange, "http://127.0.0.1:" + storage.getAddress().getPort() + "/manifests/acme/elsewhere/1.0");
      case "/v2/acme/loop/manifests/1.0" -> redirect(exchange, "/v2/acme/loop/manifests/1.0");
      case "/v2/acme/to-file/manifests/1.0" -> redirect(exchange, "file:///etc/passwd");
      case "/v2/acme/to-nowhere/manifests/1.0" -> redirect(exchange, "http://[::1");
      // a copy: the source's blob download goes to storage on another port, as most registries do
      case "/v2/acme/honest/blobs/" + CONFIG_DIGEST ->
          redirect(exchange, "http://127.0.0.1:" + storage.getAddress().getPort() + "/blobs/" + CONFIG_DIGEST);
      case "/v2/acme/copy/blobs/uploads/" -> {
        exchange.getResponseHeaders().add("Location", "/upload/1");
        reply(exchange, 202, "");
      }
      case "/upload/1" -> {
        uploaded.add(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
        reply(exchange, 201, "");
      }
      case "/v2/acme/copy/manifests/1.0", "/v2/acme/bad-length/manifests/1" -> {
        byte[] body = exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Docker-Content-Digest", "sha256:" + sha256(new String(body, UTF_8)));
        reply(exchange, 201, "");
      }
      default -> reply(exchange, 404, method.equals("HEAD") ? "" : "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
    }
  }

  @Test
  void aDigestHeaderThatIsNotTheManifestsIsRefusedAndNothingWritten() throws Exception {
    Path config = config("lying");
    Map<String, String> before = files(config);

    JarProcess.Result run = pin(config, "lying");

    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("says manifest 1.0 is sha256:" + "0".repeat(64)).contains(DIGEST);
    assertClean(run.err());
    assertThat(files(config)).isEqualTo(before);
  }

  @Test
  void anAnswerThatNeverEndsIsRefusedInBoundedMemory() throws Exception {
    bearer = bearerRegistry("http://127.0.0.1:" + registry.getAddress().getPort() + "/token/endless");
    String bearerHost = "127.0.0.1:" + bearer.getAddress().getPort();
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(host() + "/acme/endless", "/v2/acme/endless/manifests/1.0");
    cases.put(host() + "/acme/endless-error", "/v2/acme/endless-error/manifests/1.0");
    cases.put(bearerHost + "/acme/endless-token", "/token/endless");
    for (Map.Entry<String, String> endless : cases.entrySet()) {
      String image = endless.getKey();
      Path config = config(image.replaceAll("[^a-z-]", ""), image);
      Map<String, String> before = files(config);
      Path err = tmp.resolve("stderr.txt");
      Process process = new JarProcess(tmp).env(env(bearerHost))
          .builder(config, List.of("bump-manifest", "-i", image + ":1.0", "--pin-digest"))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(err.toFile())
          .start();
      // Peak RSS as the kernel records it (VmHWM never goes down), read until the process is
      // gone. Polling can miss only the last moments of a process that is already refusing;
      // what proves the bound is what the server got out (below): a client that buffered the
      // answer would have read gigabytes of it, one that stops at the cap lets out the cap plus
      // what the sockets hold.
      long peakKib = 0;
      Path status = Path.of("/proc", Long.toString(process.pid()), "status");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (process.isAlive() && System.nanoTime() < deadline) {
        peakKib = Math.max(peakKib, highWaterMark(status));
        Thread.sleep(10);
      }
      boolean ended = process.waitFor(1, TimeUnit.SECONDS);
      if (!ended) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String stderr = Files.readString(err);
      assertThat(ended).as(image + " ended within 60 s: " + stderr).isTrue();
      long sent = endlessSent.computeIfAbsent(endless.getValue(), p -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);

      assertThat(process.exitValue()).as(image + ": " + stderr).isEqualTo(1);
      assertClean(stderr);
      assertThat(stderr).as(image).doesNotContain("out of memory");
      // an error answer is cut at 16 KB and reported by its status; the others are refused whole
      assertThat(stderr).as(image).contains(image.endsWith("endless-error") ? "(404" : "with more than 4 MB");
      assertThat(sent).as(image + ": bytes the endless answer got out").isLessThan(MAX_SENT_TO_A_BOUNDED_CLIENT);
      assertThat(peakKib).as(image + ": peak RSS in KiB").isLessThan(512 * 1024);
      assertThat(files(config)).as(image).isEqualTo(before);
      System.out.printf("[HostileRegistryIT] %s: exit %d, %d KiB sent, peak RSS %d MiB%n",
          image, process.exitValue(), sent / 1024, peakKib / 1024);
      endlessSent.clear();
    }
  }

  @Test
  void aRedirectedManifestIsFollowedAndCredentialsStayWithTheRegistry() throws Exception {
    for (String repository : List.of("moved", "elsewhere", "hops-10")) {
      Path config = config(repository);

      JarProcess.Result run = pin(config, repository);

      assertThat(run.code()).as(run.toString()).isZero();
      assertClean(run.err());
      assertThat(config.resolve("deploy.yaml")).content().contains(host() + "/acme/" + repository + ":1.0@" + DIGEST);
    }
    // the registry's own redirect takes the credentials along; another port does not get them
    assertThat(authorizedRequests).contains("GET /v2/acme/honest/manifests/1.0", "GET /hop/0");
    assertThat(storageRequests).containsExactly("/manifests/acme/elsewhere/1.0");
    assertThat(storageAuthorizations).containsOnly("");
  }

  @Test
  void redirectsPastTenOrToWhatIsNoHttpUrlAreRefusedAndNothingWritten() throws Exception {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("hops-11", "redirected GET /v2/acme/hops-11/manifests/1.0 more than 10 times");
    cases.put("loop", "redirected GET /v2/acme/loop/manifests/1.0 more than 10 times");
    cases.put("to-file", "to something that is not an http or https URL");
    cases.put("to-nowhere", "to something that is not an http or https URL");
    for (Map.Entry<String, String> redirect : cases.entrySet()) {
      Path config = config(redirect.getKey());
      Map<String, String> before = files(config);

      JarProcess.Result run = pin(config, redirect.getKey());

      assertThat(run.code()).as(run.toString()).isEqualTo(1);
      assertThat(run.err()).contains(redirect.getValue());
      assertClean(run.err());
      assertThat(files(config)).isEqualTo(before);
    }
    assertThat(registryRequests.stream().filter(r -> r.equals("GET /v2/acme/loop/manifests/1.0")))
        .as("the request and the ten redirects followed; the eleventh is not").hasSize(11);
  }

  @Test
  void aTokenRealmThatIsNoHttpUrlIsRefused() throws Exception {
    bearer = bearerRegistry("file:///etc/passwd");
    String bearerHost = "127.0.0.1:" + bearer.getAddress().getPort();
    Path config = config("file-realm", bearerHost + "/acme/app");

    JarProcess.Result run = new JarProcess(tmp).env(env(bearerHost))
        .run(config, "bump-manifest", "-i", bearerHost + "/acme/app:1.0", "--pin-digest");

    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("names a token realm that is not an http or https URL");
    assertClean(run.err());
  }

  @Test
  void aCopyFollowsTheSourcesBlobRedirectWithoutItsCredentials() throws Exception {
    JarProcess.Result run = new JarProcess(tmp).env(env())
        .run(tmp, "push", "--from", host() + "/acme/honest:1.0", "--to", host() + "/acme/copy:1.0");

    assertThat(run.code()).as(run.toString()).isZero();
    assertClean(run.err());
    assertThat(CONFIG_DIGEST).isEqualTo("sha256:" + sha256(CONFIG));
    assertThat(uploaded).containsExactly(CONFIG);
    assertThat(storageRequests).containsExactly("/blobs/" + CONFIG_DIGEST);
    assertThat(storageAuthorizations).containsOnly("");
    assertThat(authorizedRequests).contains("GET /v2/acme/honest/blobs/" + CONFIG_DIGEST, "PUT /v2/acme/copy/manifests/1.0");
  }

  @Test
  void aBlobCheckAnsweredWithALengthThatIsNoNumberIsNoInternalError() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("index.html"), "hello\n");
    Path tarball = tmp.resolve("image.tar");
    String image = host() + "/acme/bad-length:1";
    assertThat(new JarProcess(tmp).env(env()).run(tmp, "build-image", "--to", image, "--layer", app + ":/srv",
        "--tar", tarball.toString()).code()).isZero();

    JarProcess.Result run = new JarProcess(tmp).env(env()).run(tmp, "push", tarball.toString(), "--to", image);

    assertThat(run.code()).as(run.toString()).isZero();
    assertClean(run.err());
    assertThat(registryRequests).contains("PUT /v2/acme/bad-length/manifests/1");
  }

  @Test
  void hostileTarballsAreExit4AndNeverAnInternalError() throws Exception {
    Map<String, Path> tarballs = new LinkedHashMap<>();
    Map<String, String> problems = new LinkedHashMap<>();
    HostileTarballs.write(Files.createDirectories(tmp.resolve("tarballs"))).forEach((what, hostile) -> {
      tarballs.put(what, hostile.tarball());
      problems.put(what, hostile.problem());
    });
    tarballs.put("a docker-archive layer that does not match its digest", corruptedImage("docker"));
    tarballs.put("an OCI layer that does not match its digest", corruptedImage("oci"));
    List<String> times = new ArrayList<>();
    for (Map.Entry<String, Path> hostile : tarballs.entrySet()) {
      // Each ends within a second in process (BuildImageCommandTest); a whole JVM on a shared
      // 2-core machine gets 10 s, which still catches the reader that looped forever.
      JarProcess.Result run = new JarProcess(tmp).env(env()).timeoutSeconds(10)
          .run(tmp, "push", hostile.getValue().toString(), "--to", host() + "/acme/pushed:1");

      assertThat(run.code()).as(hostile.getKey() + ": " + run).isEqualTo(4);
      assertThat(run.err()).as(hostile.getKey()).startsWith("bumper: " + hostile.getValue() + ": ")
          .contains(problems.getOrDefault(hostile.getKey(), "does not match its digest"));
      assertClean(run.err());
      times.add(hostile.getKey() + " " + run.millis() + " ms");
    }
    assertThat(registryRequests).as("nothing reached the registry, no blob went up").isEmpty();
    System.out.println("[HostileRegistryIT] hostile tarballs, whole process each: " + times);
  }

  // ---- helpers

  /**
   * An image tarball build-image wrote ({@code docker} or {@code oci} format), with one bit of its
   * layer flipped afterwards.
   */
  private Path corruptedImage(String format) throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("index.html"), "hello\n".repeat(1000));
    Path tarball = tmp.resolve(format + ".tar");
    JarProcess.Result built = new JarProcess(tmp).env(env()).run(tmp, "build-image", "--to", host() + "/acme/pushed:1",
        "--layer", app + ":/srv", "--format", format, "--tar", tarball.toString());
    assertThat(built.code()).as(built.toString()).isZero();
    long layerAt = -1;
    long layerSize = 0;
    try (TarFile tar = new TarFile(tarball.toFile())) {
      for (TarArchiveEntry entry : tar.getEntries()) {
        try (InputStream in = tar.getInputStream(entry)) {
          if (entry.isFile() && in.read() == 0x1f && in.read() == 0x8b) { // the gzip-compressed layer
            layerAt = entry.getDataOffset();
            layerSize = entry.getSize();
          }
        }
      }
    }
    assertThat(layerAt).as("a layer in " + tarball).isPositive();
    byte[] bytes = Files.readAllBytes(tarball);
    bytes[(int) (layerAt + layerSize / 2)] ^= 0x01;
    return Files.write(tmp.resolve("corrupted-" + format + ".tar"), bytes);
  }

  /** A registry that asks for Bearer tokens from {@code realm}; it never gets as far as serving one. */
  private static HttpServer bearerRegistry(String realm) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"test\"");
      reply(exchange, 401, "{}");
    });
    server.start();
    return server;
  }

  /** No internal error and no stack trace: every case is one of bumper's own messages. */
  private static void assertClean(String err) {
    assertThat(err).doesNotContain("internal error").doesNotContainPattern("\\n\\s+at [\\w.$]+\\(")
        .doesNotContain(PASSWORD);
  }

  /** Every file under {@code dir} and its content: what "nothing written" is checked against. */
  private static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (var walk = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(dir.relativize(file).toString(), Files.readString(file));
      }
    }
    return files;
  }

  private JarProcess.Result pin(Path config, String repository) throws Exception {
    return new JarProcess(tmp).env(env()).run(config, "bump-manifest", "-i", host() + "/acme/" + repository + ":1.0", "--pin-digest");
  }

  private Path config(String repository) throws Exception {
    return config(repository, host() + "/acme/" + repository);
  }

  private Path config(String name, String image) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config-" + name));
    Files.writeString(dir.resolve("deploy.yaml"), deployment(image, "0.9"));
    return dir;
  }

  private static String deployment(String image, String tag) {
    return "kind: Pod\nspec:\n  containers:\n    - name: app\n      image: " + image + ":" + tag + "\n";
  }

  private String host() {
    return "127.0.0.1:" + registry.getAddress().getPort();
  }

  private Map<String, String> env(String... moreInsecure) {
    List<String> insecure = new ArrayList<>(List.of(host()));
    insecure.addAll(List.of(moreInsecure));
    return Map.of(
        "HOME", tmp.toString(),
        "BUMPER_INSECURE_REGISTRIES", String.join(",", insecure),
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

  /**
   * Starts an answer and never finishes it, as fast as the client reads; records how much got out
   * before the client hung up.
   */
  private void endless(HttpExchange exchange, int status) throws IOException {
    CompletableFuture<Long> sent = endlessSent.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new CompletableFuture<>());
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, 0); // chunked: no length, no end
    byte[] chunk = " ".repeat(64 * 1024).getBytes(UTF_8);
    long bytes = 0;
    try (OutputStream out = exchange.getResponseBody()) {
      while (true) {
        out.write(chunk);
        bytes += chunk.length;
      }
    } catch (IOException gone) {
      // the client stopped reading
    } finally {
      sent.complete(bytes);
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
    return TestManifests.sha256(text);
  }
}
