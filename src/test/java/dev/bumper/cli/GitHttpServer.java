package dev.bumper.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A smart-HTTP git server on loopback: the JDK's HTTP server in front of git's own
 * {@code git http-backend}, run as CGI for each request, behind HTTP Basic authentication that
 * takes one password (a token, as GitHub and GitLab take one) with any user name.
 */
final class GitHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final Path projectRoot;
  private final String token;
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger withCredentials = new AtomicInteger();
  private volatile long delayMillis;
  private volatile boolean tokenAsUser;
  private volatile java.util.function.BiPredicate<String, String> credentials;

  GitHttpServer(Path projectRoot, String token) throws IOException {
    this.projectRoot = projectRoot;
    this.token = token;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** The URL of a repository under the project root. */
  String url(String repository) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + repository;
  }

  /** Holds each answer this long: a slow host, for a test that stops a run in the middle. */
  void setDelayMillis(long delayMillis) {
    this.delayMillis = delayMillis;
  }

  /**
   * Takes the user and password {@code check} accepts instead of the one token: the installation
   * tokens a GitHub App was issued, as GitHub takes them.
   */
  void acceptCredentials(java.util.function.BiPredicate<String, String> check) {
    this.credentials = check;
  }

  /** Also takes the token as the user name with no password, as GitHub does. */
  void acceptTokenAsUser() {
    this.tokenAsUser = true;
  }

  /** Requests that came with an Authorization header, right or wrong. */
  int withCredentials() {
    return withCredentials.get();
  }

  /** Requests turned away for missing or wrong credentials. */
  int refused() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (exchange.getRequestHeaders().getFirst("Authorization") != null) {
        withCredentials.incrementAndGet();
      }
      String user = authorizedUser(exchange.getRequestHeaders().getFirst("Authorization"));
      if (user == null) {
        refused.incrementAndGet();
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      ProcessBuilder cgi = new ProcessBuilder("git", "http-backend");
      Map<String, String> env = cgi.environment();
      env.put("GIT_PROJECT_ROOT", projectRoot.toString());
      env.put("GIT_HTTP_EXPORT_ALL", "1");
      env.put("GIT_CONFIG_NOSYSTEM", "1");
      env.put("GIT_CONFIG_GLOBAL", "/dev/null");
      env.put("REMOTE_USER", user);
      env.put("REMOTE_ADDR", "127.0.0.1");
      env.put("REQUEST_METHOD", exchange.getRequestMethod());
      env.put("PATH_INFO", exchange.getRequestURI().getPath());
      String query = exchange.getRequestURI().getRawQuery();
      env.put("QUERY_STRING", query == null ? "" : query);
      env.put("CONTENT_LENGTH", Integer.toString(body.length));
      putHeader(env, "CONTENT_TYPE", exchange.getRequestHeaders().getFirst("Content-Type"));
      putHeader(env, "HTTP_CONTENT_ENCODING", exchange.getRequestHeaders().getFirst("Content-Encoding"));
      putHeader(env, "GIT_PROTOCOL", exchange.getRequestHeaders().getFirst("Git-Protocol"));
      cgi.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process process = cgi.start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(body);
      }
      byte[] output;
      try (InputStream out = process.getInputStream()) {
        output = out.readAllBytes();
      }
      respond(exchange, output);
    }
  }

  private static void putHeader(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
  }

  /** Sends a CGI response: header lines, a blank line, the body. */
  private static void respond(HttpExchange exchange, byte[] output) throws IOException {
    int end = indexOf(output, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    int separator = 4;
    if (end < 0) {
      end = indexOf(output, "\n\n".getBytes(StandardCharsets.US_ASCII));
      separator = 2;
    }
    if (end < 0) {
      exchange.sendResponseHeaders(502, -1);
      return;
    }
    int status = 200;
    for (String line : new String(output, 0, end, StandardCharsets.ISO_8859_1).split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Status")) {
        status = Integer.parseInt(value.split(" ")[0]);
      } else {
        exchange.getResponseHeaders().add(name, value);
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(output, end + separator, output.length - end - separator);
    exchange.sendResponseHeaders(status, body.size() == 0 ? -1 : body.size());
    if (body.size() > 0) {
      try (OutputStream response = exchange.getResponseBody()) {
        body.writeTo(response);
      }
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private String authorizedUser(String authorization) {
    if (authorization == null || !authorization.startsWith("Basic ")) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    if (credentials != null) {
      return credentials.test(decoded.substring(0, colon), decoded.substring(colon + 1))
          ? decoded.substring(0, colon) : null;
    }
    if (tokenAsUser && decoded.equals(token + ":")) {
      return "token"; // as GitHub takes https://TOKEN@github.com/...
    }
    return decoded.substring(colon + 1).equals(token) ? decoded.substring(0, colon) : null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
