package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import dev.bumper.RequiresTools;
import dev.bumper.container.InsecureRegistries;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS registry that would have its credentials sent in clear: its Bearer challenge names a
 * token realm over plain HTTP on another port, or it redirects a manifest to plain HTTP. The
 * plain-HTTP side records every request whole, and never receives a credential in any form. A
 * plain-HTTP registry reached as a TLS one is refused at once, naming --insecure-registry, not
 * retried; one on loopback is reached over plain HTTP unasked, as Docker reaches it.
 */
@RequiresTools("openssl")
class CredentialDowngradeIT {
  private static final String USER = "robot";
  private static final String PASSWORD = "Tls0nly-Pa55word-Z9yX8wV7";
  private static final String MANIFEST = TestManifests.MANIFEST;

  @TempDir Path tmp;
  private final List<HttpServer> servers = new ArrayList<>();
  /** Every request the plain-HTTP server got: request line, headers and body. */
  private final List<String> plainRequests = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(server -> server.stop(0));
  }

  @Test
  void aTokenRealmOverPlainHttpGetsNoCredentials() throws Exception {
    HttpServer plain = plainServer(InetAddress.getLoopbackAddress(), (exchange, path) -> reply(exchange, 200, "{\"token\": \"t0ken-from-http\"}"));
    String realm = "http://127.0.0.1:" + plain.getAddress().getPort() + "/token";
    HttpsServer registry = tlsServer((exchange, path) -> {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"registry\"");
      reply(exchange, 401, "{\"errors\": [{\"code\": \"UNAUTHORIZED\"}]}");
    });
    String host = "127.0.0.1:" + registry.getAddress().getPort();
    Path config = manifests(host);
    Path tarball = tarball(host);

    List<List<String>> commands = List.of(
        List.of("bump-manifest", "-C", config.toString(), "-i", host + "/acme/web:2", "--pin-digest", "--insecure-registry", host),
        List.of("push", tarball.toString(), "--to", host + "/acme/web:2", "--insecure-registry", host, "--retries", "1"));
    for (List<String> command : commands) {
      for (List<String> output : List.of(List.<String>of(), List.of("-v", "--output", "json"))) {
        List<String> args = new ArrayList<>(output);
        args.addAll(command);
        JarProcess.Result run = new JarProcess(tmp).env(credentials()).run(tmp, args);
        assertThat(run.code()).as(run.toString()).isEqualTo(1);
        assertThat(run.err() + run.out()).as(run.toString())
            .contains("token realm over plain HTTP (http://127.0.0.1:" + plain.getAddress().getPort() + ")")
            .contains("were not sent")
            .doesNotContain(PASSWORD);
      }
    }
    assertNoCredentialIn(plainRequests);
    assertThat(Files.readString(config.resolve("web.yaml"))).doesNotContain("sha256:");
  }

  @Test
  void aRedirectToPlainHttpGetsNoCredentials() throws Exception {
    HttpServer plain = plainServer(InetAddress.getLoopbackAddress(), (exchange, path) -> manifest(exchange));
    String storage = "http://127.0.0.1:" + plain.getAddress().getPort();
    String basic = "Basic " + b64(USER + ":" + PASSWORD);
    List<String> authorized = new CopyOnWriteArrayList<>();
    HttpsServer registry = tlsServer((exchange, path) -> {
      if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
        reply(exchange, 401, "");
        return;
      }
      authorized.add(path);
      // same host, plain HTTP: a downgrade, which must not carry the Basic header
      exchange.getResponseHeaders().add("Location", storage + "/storage" + path);
      reply(exchange, 307, "");
    });
    String host = "127.0.0.1:" + registry.getAddress().getPort();
    Path config = manifests(host);

    JarProcess.Result run = new JarProcess(tmp).env(credentials())
        .run(tmp, "-v", "bump-manifest", "-C", config.toString(), "-i", host + "/acme/web:2", "--pin-digest",
            "--insecure-registry", host);

    assertThat(run.code()).as(run.toString()).isEqualTo(0);
    assertThat(authorized).as("the registry itself got the credentials").contains("/v2/acme/web/manifests/2");
    assertThat(plainRequests).as("the redirect was followed").anyMatch(r -> r.startsWith("GET /storage/v2/acme/web/manifests/2"));
    assertNoCredentialIn(plainRequests);
    assertThat(Files.readString(config.resolve("web.yaml"))).contains(host + "/acme/web:2@sha256:");
  }

  @Test
  void aPlainHttpRegistryReachedAsATlsOneIsNamedNotRetried() throws Exception {
    String name = nonLoopbackName();
    try (GoStylePlainRegistry plain = new GoStylePlainRegistry()) {
      String host = name + ":" + plain.port();
      Path config = manifests(host);

      JarProcess.Result refused = new JarProcess(tmp).env(credentials())
          .run(tmp, "bump-manifest", "-C", config.toString(), "-i", host + "/acme/web:2", "--pin-digest");

      assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
      assertThat(refused.err()).as(refused.toString()).contains("answered in plain HTTP where TLS was expected")
          .contains("--insecure-registry " + host).doesNotContain("retry").doesNotContain("attempt");
      System.out.printf("a plain-HTTP registry reached as TLS: exit %d in %d ms, %d handshake%n",
          refused.code(), refused.millis(), plain.handshakes.get());
      assertThat(plain.handshakes.get()).as("one TLS handshake, not retried").isEqualTo(1);
      assertThat(plain.requests).as("no HTTP request, so no credential").isEmpty();

      // on loopback, as Docker does, plain HTTP without the flag
      String local = "127.0.0.1:" + plain.port();
      Path localConfig = manifests(local);
      JarProcess.Result loopback = new JarProcess(tmp).env(credentials())
          .run(tmp, "-v", "bump-manifest", "-C", localConfig.toString(), "-i", local + "/acme/web:2", "--pin-digest");
      assertThat(loopback.code()).as(loopback.toString()).isEqualTo(0);
      assertThat(loopback.err()).contains("plain HTTP (a loopback registry)");
      assertThat(Files.readString(localConfig.resolve("web.yaml"))).contains(local + "/acme/web:2@sha256:");
      assertThat(plain.handshakes.get()).as("loopback is asked over plain HTTP first").isEqualTo(1);
    }
  }

  /**
   * A plain-HTTP registry on every address of this machine that, like Go's net/http (Docker's
   * registry), answers a TLS handshake with a plain-HTTP 400 at once. The JDK's HTTP server would
   * wait for a request line instead, and a client's handshake time out.
   */
  private static final class GoStylePlainRegistry implements AutoCloseable {
    final java.util.concurrent.atomic.AtomicInteger handshakes = new java.util.concurrent.atomic.AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final RawServer server = new RawServer(null, this::answer);

    GoStylePlainRegistry() throws IOException {}

    int port() {
      return server.port();
    }

    private void answer(java.io.InputStream in, java.io.OutputStream out) throws IOException {
      int first = in.read();
      if (first == 0x16) { // a TLS handshake record
        handshakes.incrementAndGet();
        out.write("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n".getBytes(UTF_8));
        return;
      }
      String head = (char) first + TestManifests.readHead(in);
      requests.add(head);
      String path = head.split(" ", 3)[1];
      byte[] body = (path.equals("/v2/") ? "{}" : MANIFEST).getBytes(UTF_8);
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + TestManifests.MEDIA_TYPE + "\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
      out.write(body);
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  private static void assertNoCredentialIn(List<String> requests) {
    String all = String.join("\n", requests);
    assertThat(all).doesNotContainIgnoringCase("Authorization:")
        .doesNotContain(PASSWORD)
        .doesNotContain(b64(USER + ":" + PASSWORD))
        .doesNotContain(b64(PASSWORD))
        .doesNotContain(MaskingIT.percent(PASSWORD, false, false))
        .doesNotContain(MaskingIT.percent(PASSWORD, true, false));
  }

  private Map<String, String> credentials() {
    return Map.of("BUMPER_REGISTRY_USERNAME", USER, "BUMPER_REGISTRY_PASSWORD", PASSWORD, "HOME", tmp.toString(),
        "DOCKER_CONFIG", tmp.resolve("no-docker").toString());
  }

  private Path manifests(String host) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("config-" + host.replace(':', '-')));
    Files.writeString(dir.resolve("web.yaml"), "image: " + host + "/acme/web:1\n");
    return dir;
  }

  /** An image tarball made by build-image, which needs no registry. */
  private Path tarball(String host) throws Exception {
    Path layer = Files.createDirectories(tmp.resolve("layer"));
    Files.writeString(layer.resolve("app.txt"), "app\n");
    Path tarball = tmp.resolve("image.tar");
    JarProcess.Result built = new JarProcess(tmp)
        .run(tmp, "build-image", "--to", host + "/acme/web:2", "--layer", layer + ":/app", "--tar", tarball.toString());
    assertThat(built.code()).as(built.toString()).isEqualTo(0);
    return tarball;
  }

  /** A plain-HTTP server that records each request whole before {@code handler} answers it. */
  private HttpServer plainServer(InetAddress address, BiConsumer<HttpExchange, String> handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        StringBuilder request = new StringBuilder(exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\n");
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> request.append(name).append(": ").append(v).append('\n')));
        request.append(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
        plainRequests.add(request.toString());
        handler.accept(exchange, exchange.getRequestURI().getPath());
      }
    });
    server.start();
    servers.add(server);
    return server;
  }

  /** A TLS server on loopback with a self-signed certificate made with openssl. */
  private HttpsServer tlsServer(BiConsumer<HttpExchange, String> handler) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("tls-" + servers.size()));
    Path key = dir.resolve("key.pem");
    Path cert = dir.resolve("cert.pem");
    LoopbackTls.selfSigned(dir, key, cert, "127.0.0.1");
    HttpsServer server = LoopbackTls.server(dir, key, cert);
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        handler.accept(exchange, exchange.getRequestURI().getPath());
      }
    });
    server.start();
    servers.add(server);
    return server;
  }

  /**
   * A name of this machine that is not a loopback name: its host name when that is not {@code
   * localhost}, else one of its non-loopback addresses.
   */
  private static String nonLoopbackName() throws IOException {
    String name = InetAddress.getLocalHost().getHostName();
    if (!InsecureRegistries.isLoopback(name)) {
      return name;
    }
    for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
      for (InetAddress address : network.inetAddresses().toList()) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return address.getHostAddress();
        }
      }
    }
    throw new AssertionError("this machine has no name or address other than loopback ones");
  }

  private static void manifest(HttpExchange exchange) {
    exchange.getResponseHeaders().add("Content-Type", "application/vnd.docker.distribution.manifest.v2+json");
    exchange.getResponseHeaders().add("Docker-Content-Digest", TestManifests.DIGEST);
    reply(exchange, 200, MANIFEST);
  }

  private static void reply(HttpExchange exchange, int status, String body) {
    try {
      byte[] bytes = body.getBytes(UTF_8);
      if (exchange.getRequestMethod().equals("HEAD") || bytes.length == 0) {
        exchange.sendResponseHeaders(status, -1);
      } else {
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    } catch (IOException e) {
      // the client went away
    }
  }


  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
  }
}
