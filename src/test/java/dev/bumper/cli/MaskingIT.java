package dev.bumper.cli;

import static dev.bumper.cli.TestProcesses.git;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers that print the credentials they were sent, in the forms that slip past a mask of the
 * secret as written: a server-side hook that quotes the token percent-encoded (RFC 3986 and form
 * encoding, upper- and lowercase hex), JSON-escaped and cut across two lines; a git server that
 * echoes the Basic header of a percent-encoded password in its status line; a registry whose
 * error puts the password across its 300-character cut or across a line break. Each through the
 * jar, as text and JSON, with and without {@code -v}: the secret appears in no form, and no part
 * of eight characters of any form.
 */
class MaskingIT {
  /** Characters each encoding treats differently: / + = " space ~ *. */
  static final String TOKEN = "ghp_s3cr3t/T0k+en=Z9yX8w\"V7 ~q*4";

  static final String PASSWORD = "Regi5try-Pa55/word+Z9yX8wV7uT6s";

  /** The output options every case runs with. */
  private static final List<List<String>> OUTPUTS =
      List.of(List.of(), List.of("-v"), List.of("--output", "json"), List.of("-v", "--output", "json"));

  @TempDir Path tmp;
  private final List<AutoCloseable> servers = new ArrayList<>();

  @BeforeEach
  void noServersYet() {
    servers.clear();
  }

  @AfterEach
  void stopServers() throws Exception {
    for (AutoCloseable server : servers) {
      server.close();
    }
  }

  @Test
  void aHookThatQuotesTheTokenInEveryEncodingAndAcrossLines() throws Exception {
    Path served = Files.createDirectories(tmp.resolve("served"));
    Path bare = seededRepository(served.resolve("config.git"));
    String[] quoted = {
      "rfc3986: " + percent(TOKEN, false, false),
      "lowercase: " + percent(TOKEN, false, true),
      "form: " + percent(TOKEN, true, false),
      "json: {\"token\": \"" + TOKEN.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/") + "\"}",
      "cut: " + TOKEN.substring(0, 12),
      TOKEN.substring(12) + " is not allowed here",
    };
    StringBuilder hook = new StringBuilder("#!/bin/sh\necho 'policy refused the push' >&2\n");
    for (String line : quoted) {
      hook.append("printf '%s\\n' '").append(line).append("' >&2\n");
    }
    hook.append("exit 1\n");
    Path script = bare.resolve("hooks/pre-receive");
    Files.writeString(script, hook);
    script.toFile().setExecutable(true);
    GitHttpServer server = new GitHttpServer(served, TOKEN);
    servers.add(server);
    String url = server.url("config.git");

    int round = 0;
    for (List<String> output : OUTPUTS) {
      List<String> args = new ArrayList<>(output);
      args.addAll(List.of("bump-manifest", "--repo", url, "--push", "-i", "ghcr.io/acme/web:2.0." + round++));
      JarProcess.Result run = new JarProcess(tmp).env("GIT_TOKEN", TOKEN).run(tmp, args);
      assertThat(run.code()).as(run.toString()).isEqualTo(1);
      // the hook's words are printed: the mask took out the token, not the message
      assertThat(run.out() + run.err()).as(run.toString()).contains("policy refused the push").contains("is not allowed here");
      assertNoForm(run, TOKEN, List.of("x-access-token"));
    }
    // and in clone mode, where the push comes from a directory
    JarProcess.Result clone = new JarProcess(tmp).env("GIT_TOKEN", TOKEN)
        .run(tmp, "-v", "kustomize-set-image", "--repo", url, "-C", tmp.resolve("clone").toString(), "--push", "web:3");
    assertThat(clone.code()).as(clone.toString()).isEqualTo(1);
    assertNoForm(clone, TOKEN, List.of("x-access-token"));
  }

  @Test
  void aGitServerThatEchoesTheBasicHeaderOfAPercentEncodedPassword() throws Exception {
    EchoingServer server = new EchoingServer();
    servers.add(server);
    String password = "p@ss/w0rd-Z9yX8wV7";
    String url = "http://deploy:" + percent(password, false, false) + "@127.0.0.1:" + server.port() + "/config.git";

    for (List<String> output : OUTPUTS) {
      List<String> args = new ArrayList<>(output);
      args.addAll(List.of("bump-manifest", "--repo", url, "--push", "-i", "ghcr.io/acme/web:2"));
      JarProcess.Result run = new JarProcess(tmp).run(tmp, args);
      assertThat(run.code()).as(run.toString()).isEqualTo(1);
      assertThat(run.out() + run.err()).as(run.toString()).contains("denied Basic ***");
      assertNoForm(run, password, List.of("deploy"));
    }
    assertThat(server.echoed.get()).as("the server saw the credentials and echoed them").isEqualTo(OUTPUTS.size());
  }

  @Test
  void aRegistryErrorWithThePasswordAcrossItsCutOrALineBreak() throws Exception {
    String filler = "the credentials of this robot account are not valid for pushing to this repository; ".repeat(4);
    // "DENIED: " and the filler up to 290 characters: the cut at 300 falls inside the password
    String straddling = filler.substring(0, 290 - "DENIED: ".length() - "password ".length()) + "password " + PASSWORD
        + " was refused";
    String split = "password " + PASSWORD.substring(0, 14) + "\n" + PASSWORD.substring(14) + " was refused";
    List<String> bodies = List.of(
        errors(straddling), errors(split), "password " + PASSWORD.substring(0, 10) + "\n" + PASSWORD.substring(10) + "\n");

    for (String body : bodies) {
      RefusingRegistry registry = new RefusingRegistry(body);
      servers.add(registry);
      Path config = Files.createDirectories(tmp.resolve("config-" + registry.port()));
      Files.writeString(config.resolve("web.yaml"), "image: " + registry.host() + "/acme/web:1\n");
      for (List<String> output : OUTPUTS) {
        List<String> args = new ArrayList<>(output);
        args.addAll(List.of("bump-manifest", "-C", config.toString(), "-i", registry.host() + "/acme/web:2", "--pin-digest"));
        JarProcess.Result run = new JarProcess(tmp)
            .env(Map.of("BUMPER_REGISTRY_USERNAME", "robot", "BUMPER_REGISTRY_PASSWORD", PASSWORD,
                "BUMPER_INSECURE_REGISTRIES", registry.host()))
            .run(tmp, args);
        assertThat(run.code()).as(run.toString()).isEqualTo(1);
        assertThat(run.out() + run.err()).as(run.toString()).contains("password ***").doesNotContain("internal error");
        assertNoForm(run, PASSWORD, List.of("robot"));
      }
      assertThat(registry.withCredentials.get()).as("the registry was sent the password").isPositive();
      assertThat(Files.readString(config.resolve("web.yaml"))).contains("/acme/web:1");
    }
  }

  /** No form of {@code secret}, and no run of 8 characters of a form printed as text. */
  static void assertNoForm(JarProcess.Result run, String secret, List<String> users) {
    String all = run.out() + run.err();
    List<String> forms = new ArrayList<>(List.of(
        secret, percent(secret, false, false), percent(secret, false, true), percent(secret, true, false),
        percent(secret, true, true), secret.replace("\\", "\\\\").replace("\"", "\\\""),
        secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/")));
    for (String form : forms) {
      for (int i = 0; i + 8 <= form.length(); i++) {
        assertThat(all).as("part '%s' of %s in\n%s", form.substring(i, i + 8), form, run).doesNotContain(form.substring(i, i + 8));
      }
    }
    List<String> encoded = new ArrayList<>(List.of(b64(secret)));
    users.forEach(user -> encoded.add(b64(user + ":" + secret)));
    for (String form : encoded) {
      assertThat(all).as(run.toString()).doesNotContain(form).doesNotContain(form.replace("=", ""));
    }
  }

  /** {@code text} percent-encoded, as RFC 3986 or HTML forms do, in upper- or lowercase hex. */
  static String percent(String text, boolean form, boolean lower) {
    String unreserved = form ? "-._*" : "-._~";
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) && c < 0x80 || unreserved.indexOf(c) >= 0) {
        out.append(c);
      } else if (c == ' ' && form) {
        out.append('+');
      } else {
        String hex = String.format("%%%02X", (int) c);
        out.append(lower ? hex.toLowerCase(java.util.Locale.ROOT) : hex);
      }
    }
    return out.toString();
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
  }

  private static String errors(String message) {
    return "{\"errors\": [{\"code\": \"DENIED\", \"message\": \""
        + message.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"}]}";
  }

  private static Path seededRepository(Path bare) throws Exception {
    return TestProcesses.bareRepository(bare, Map.of("web.yaml", "image: ghcr.io/acme/web:1.0.0\n",
        "kustomization.yaml", "resources:\n- web.yaml\nimages:\n- name: web\n  newTag: \"1\"\n"));
  }


  /**
   * Asks for Basic credentials, then answers every request that has them with a 500 whose status
   * line and body quote the Authorization header: the JDK's HTTP server cannot set a reason phrase.
   */
  private static final class EchoingServer implements AutoCloseable {
    final AtomicInteger echoed = new AtomicInteger();
    private final RawServer server = new RawServer(InetAddress.getLoopbackAddress(), this::answer);

    EchoingServer() throws IOException {}

    int port() {
      return server.port();
    }

    private void answer(InputStream in, OutputStream out) throws IOException {
      String authorization = null;
      for (String line : TestManifests.readHead(in).split("\r\n")) {
        if (line.regionMatches(true, 0, "Authorization:", 0, 14)) {
          authorization = line.substring(14).strip();
        }
      }
      if (authorization == null) {
        out.write("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nContent-Length: 0\r\n\r\n"
            .getBytes(UTF_8));
        return;
      }
      echoed.incrementAndGet();
      byte[] body = ("you sent Authorization: " + authorization + "\n").getBytes(UTF_8);
      out.write(("HTTP/1.1 500 denied " + authorization + "\r\nContent-Type: text/plain\r\nContent-Length: "
          + body.length + "\r\n\r\n").getBytes(UTF_8));
      out.write(body);
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** A registry on loopback that asks for Basic credentials and refuses them with {@code body}. */
  private static final class RefusingRegistry implements AutoCloseable {
    private final HttpServer server;
    final AtomicInteger withCredentials = new AtomicInteger();

    RefusingRegistry(String body) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> answer(exchange, body));
      server.start();
    }

    private void answer(HttpExchange exchange, String body) throws IOException {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        withCredentials.incrementAndGet();
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().add("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(403, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    }

    int port() {
      return server.getAddress().getPort();
    }

    String host() {
      return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
