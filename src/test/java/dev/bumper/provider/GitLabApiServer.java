package dev.bumper.provider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bumper.provider.OpenApiDescription.Match;
import dev.bumper.provider.OpenApiDescription.Operation;
import dev.bumper.provider.OpenApiDescription.RequestParts;
import dev.bumper.provider.OpenApiDescription.Violation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitLab's REST API on loopback ({@code /api/v4/...}), checked against {@link
 * GitLabApiDescription}: GitLab's own OpenAPI description for the requests, its documentation for
 * the answers. It works as the loopback GitHub does: every request is matched to an operation
 * and checked (path and query parameters and their types, the JSON body, with objects closed so
 * that a misspelt field is caught), the test answers the operations it expects ({@link
 * FakeGitLab} answers the merge-request ones), and every answer is checked before it is sent.
 *
 * <p>What is not allowed is recorded as a {@link Violation} and answered 400 (a request) or 500
 * (an answer of the test's), with the violation in GitLab's error body; an operation the test
 * does not answer is 501 and a violation too. A test ends with {@link #assertNoViolations()}.
 * Credentials are checked when the test sets a token, as GitLab takes one ({@code PRIVATE-TOKEN}
 * or {@code Authorization: Bearer}), and are never recorded.
 */
public final class GitLabApiServer implements AutoCloseable {

  /** How the test answers one operation. */
  @FunctionalInterface
  public interface Handler {
    Response answer(Request request) throws Exception;
  }

  /** A request that the description allows, as the handler of its operation gets it. */
  public record Request(
      String operationId,
      Map<String, String> pathParameters,
      Map<String, List<String>> query,
      JsonNode body) {
    public String path(String name) {
      return pathParameters.get(name);
    }

    /** The query parameter's last value. */
    public Optional<String> query(String name) {
      List<String> values = query.getOrDefault(name, List.of());
      return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }
  }

  /** An answer: its status and its JSON body (null for none). */
  public record Response(int status, JsonNode body) {
    public static Response json(int status, JsonNode body) {
      return new Response(status, body);
    }

    /** GitLab's refusal: {@code {"message": message}}. */
    public static Response error(int status, String message) {
      return new Response(status, GitLabApiServer.error(message));
    }
  }

  /**
   * One request as the server saw it: method, path (without the query), operation (null when
   * the description has none) and the status answered. No header is kept.
   */
  public record Exchange(String method, String path, String operationId, int status) {
    /** Whether the request could change something: any method but GET. */
    public boolean write() {
      return !method.equals("GET");
    }
  }

  private final OpenApiDescription api;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final List<Violation> violations = Collections.synchronizedList(new ArrayList<>());
  private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
  private volatile String token;

  private GitLabApiServer(OpenApiDescription api) throws IOException {
    this.api = api;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newFixedThreadPool(2, r -> {
      Thread thread = new Thread(r, "gitlab-api-" + server.getAddress().getPort());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
  }

  public static GitLabApiServer start() throws IOException {
    return new GitLabApiServer(GitLabApiDescription.load());
  }

  /** The host's URL, {@code http://127.0.0.1:PORT}: the API is below {@code /api/v4/}. */
  public URI url() {
    return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort());
  }

  /** The API's root, {@code http://127.0.0.1:PORT/api/v4/}, as bumper's client takes it. */
  public URI api() {
    return url().resolve("/api/v4/");
  }

  /** Answers {@code operationId} (GitLab's: {@code postApiV4ProjectsIdMergeRequests}). */
  public GitLabApiServer answer(String operationId, Handler handler) {
    api.operation(operationId); // a misspelt name fails here rather than as a 501 later
    handlers.put(operationId, handler);
    return this;
  }

  /** Accepts only requests that carry {@code token}, and answers others 401 as GitLab does. */
  public GitLabApiServer requireToken(String token) {
    this.token = token;
    return this;
  }

  public List<Violation> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  public List<Exchange> exchanges() {
    synchronized (exchanges) {
      return List.copyOf(exchanges);
    }
  }

  /** Fails, listing each, when a request or an answer was not one the description allows. */
  public void assertNoViolations() {
    List<Violation> found = violations();
    if (!found.isEmpty()) {
      StringBuilder message = new StringBuilder(found.size()
          + " exchange(s) that GitLab's description (src/test/data/gitlab-api) does not allow:");
      found.forEach(v -> message.append("\n  ").append(v));
      throw new AssertionError(message);
    }
  }

  private void serve(HttpExchange exchange) {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String path = exchange.getRequestURI().getRawPath();
      byte[] body = exchange.getRequestBody().readAllBytes();
      Optional<Match> match = api.find(method, path);
      if (match.isEmpty()) {
        String line = method + " " + path;
        refuse(exchange, path, null, 400, List.of(new Violation(line, "request", "",
            "GitLab's description has no such operation")));
        return;
      }
      Operation op = match.get().operation();
      if (token != null && !authorized(exchange)) {
        // GitLab's answer to a missing, wrong or expired token
        write(exchange, path, op.id(), 401, error("401 Unauthorized"));
        return;
      }
      Map<String, List<String>> query =
          LoopbackHttp.query(exchange.getRequestURI().getRawQuery());
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) ->
          headers.put(name.toLowerCase(Locale.ROOT), values));
      List<Violation> found = api.checkRequest(match.get(), new RequestParts(
          match.get().pathParameters(), query, headers,
          exchange.getRequestHeaders().getFirst("Content-Type"), body));
      if (!found.isEmpty()) {
        refuse(exchange, path, op, 400, found);
        return;
      }
      Handler handler = handlers.get(op.id());
      if (handler == null) {
        refuse(exchange, path, op, 501, List.of(new Violation(op.toString(), "request", "",
            "the test gives no answer to this operation")));
        return;
      }
      Response response;
      try {
        response = handler.answer(new Request(op.id(), match.get().pathParameters(), query,
            LoopbackHttp.json(body)));
      } catch (Exception | AssertionError e) {
        refuse(exchange, path, op, 500, List.of(new Violation(op.toString(), "answer", "",
            "the test's handler failed: " + e)));
        return;
      }
      List<Violation> wrong = api.checkResponse(op, response.status(), response.body());
      if (!wrong.isEmpty()) {
        refuse(exchange, path, op, 500, wrong);
        return;
      }
      write(exchange, path, op.id(), response.status(), response.body());
    } catch (IOException | RuntimeException e) {
      // The client went away, or a bug here: recorded so that the test cannot pass over it.
      violations.add(new Violation(exchange.getRequestMethod() + " "
          + exchange.getRequestURI().getRawPath(), "exchange", "", "the server failed: " + e));
    }
  }

  private boolean authorized(HttpExchange exchange) {
    String privateToken = exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN");
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    return token.equals(privateToken) || ("Bearer " + token).equals(authorization);
  }

  private void refuse(HttpExchange exchange, String path, Operation op, int status,
      List<Violation> found) throws IOException {
    violations.addAll(found);
    StringBuilder message = new StringBuilder("Not allowed by GitLab's description:");
    found.forEach(v -> message.append(' ').append(v).append(';'));
    write(exchange, path, op == null ? null : op.id(), status, error(message.toString()));
  }

  private void write(HttpExchange exchange, String path, String operationId, int status,
      JsonNode body) throws IOException {
    exchanges.add(new Exchange(exchange.getRequestMethod(), path, operationId, status));
    LoopbackHttp.send(exchange, status, body, "application/json");
  }

  /** GitLab's error body. */
  static ObjectNode error(String message) {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    error.put("message", message);
    return error;
  }



  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
