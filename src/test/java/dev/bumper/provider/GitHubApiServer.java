package dev.bumper.provider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bumper.Tools;
import dev.bumper.provider.OpenApiDescription.Match;
import dev.bumper.provider.OpenApiDescription.Operation;
import dev.bumper.provider.OpenApiDescription.RequestParts;
import dev.bumper.provider.OpenApiDescription.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.function.BiPredicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitHub's REST API on loopback, simulated from GitHub's own description of it rather than written
 * by hand: the OpenAPI description of api.github.com in the npm package {@code @octokit/openapi},
 * at the version {@code src/test/tools.tsv} pins ({@code ./test.sh} installs it under target/npm).
 *
 * <p>Every request is matched to an operation of the description and checked against it: path
 * and query parameters, Content-Type, and the JSON body (see {@link OpenApiDescription} for the
 * one rule stricter than the description). The test answers the operations it expects ({@link
 * #answer}; {@link FakeGitHub} answers the pull-request ones from a small state), and every
 * answer is checked against the operation's response for its status before it is sent, so that
 * a fake cannot drift from what GitHub sends.
 *
 * <p>What the description does not allow is recorded as a {@link Violation} and answered 400 (a
 * request: an operation GitHub does not have, a parameter or body it does not take) or 500 (an
 * answer of the test's that GitHub would never give), with the violation as the message; the test
 * ends with {@link #assertNoViolations()}. A request to an operation the test did not answer is a
 * violation too (501). Credentials are checked when the test sets a token, and are never recorded.
 *
 * <p>GitHub's GraphQL endpoint, which is beside the REST API and not in its description, is
 * answered by the {@link GraphQlEndpoint} the test sets (GitHub's GraphQL schema checks its
 * queries); without one a GraphQL request is a violation.
 */
public final class GitHubApiServer implements AutoCloseable {
  /** The npm package of the description, a row of src/test/tools.tsv. */
  static final String PACKAGE = "@octokit/openapi";

  private static final String DESCRIPTION = "generated/api.github.com.deref.json";
  private static final String DOCS = "https://docs.github.com/rest";
  private static OpenApiDescription description;

  /** How the test answers one operation. */
  @FunctionalInterface
  public interface Handler {
    Response answer(Request request) throws Exception;
  }

  /**
   * Judges a request's credentials before anything else is checked, as GitHub does: null lets the
   * request on, any other text is GitHub's 401 message ("Bad credentials", or what is wrong with
   * a GitHub App's JWT).
   */
  @FunctionalInterface
  public interface Authenticator {
    String refusal(String operationId, String authorization);
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

    /** The query parameter's last value, as GitHub reads a repeated one. */
    public Optional<String> query(String name) {
      List<String> values = query.getOrDefault(name, List.of());
      return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }
  }

  /** An answer: its status, its JSON body (null for none) and headers besides Content-Type. */
  public record Response(int status, JsonNode body, Map<String, String> headers) {
    public static Response json(int status, JsonNode body) {
      return new Response(status, body, Map.of());
    }

    public static Response empty(int status) {
      return new Response(status, null, Map.of());
    }

    public Response withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Response(status, body, Map.copyOf(more));
    }
  }

  /**
   * One request as the server saw it: method, path (below the base path, without the query),
   * operation (null when the description has none), and the status answered. No header is kept,
   * so no credential can reach a test's output through it.
   */
  public record Exchange(String method, String path, String operationId, int status) {}

  /**
   * What answers GitHub's GraphQL endpoint, which is beside the REST API rather than in its
   * description: {@code POST /graphql} on api.github.com, {@code POST /api/graphql} on GitHub
   * Enterprise Server, whose REST API is below {@code /api/v3}.
   */
  public interface GraphQlEndpoint {
    /** Checks and answers one request; {@code line} is its method and path, for violations. */
    GraphQlAnswer answer(String line, String contentType, byte[] body);

    /** The schema it checks against, for messages: its package and version. */
    String schema();
  }

  /**
   * A GraphQL answer: what the request was ({@code POST /graphql (mutation
   * enablePullRequestAutoMerge)}), its status and body, and what in the exchange GitHub's schema
   * does not allow.
   */
  public record GraphQlAnswer(
      String operation, int status, JsonNode body, List<Violation> violations) {}

  private final OpenApiDescription api;
  private final String prefix;
  private final String graphQlPath;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final List<Violation> violations = Collections.synchronizedList(new ArrayList<>());
  private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
  private volatile Authenticator authenticator = (operationId, authorization) -> null;
  private volatile GraphQlEndpoint graphQl;

  private GitHubApiServer(OpenApiDescription api, String prefix) throws IOException {
    this.api = api;
    this.prefix = prefix + api.basePath();
    this.graphQlPath = (prefix.endsWith("/api/v3")
        ? prefix.substring(0, prefix.length() - "/v3".length()) : prefix) + "/graphql";
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // A few threads: two bumper processes updating one pull request at once must both get through.
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread thread = new Thread(r, "github-api-" + server.getAddress().getPort());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
  }

  /** The server at the root of its address, as api.github.com is. */
  public static GitHubApiServer start() throws IOException {
    return start("");
  }

  /**
   * The server below {@code prefix}, as GitHub Enterprise Server serves the API below
   * {@code /api/v3} (with api.github.com's description, the one this server knows).
   */
  public static GitHubApiServer start(String prefix) throws IOException {
    return new GitHubApiServer(description(), prefix.replaceAll("/+$", ""));
  }

  /**
   * GitHub's description, read once per JVM: it is 73 MB of JSON, some seconds to parse. A test
   * class that uses it names {@code @RequiresTools("@octokit/openapi")}.
   */
  static synchronized OpenApiDescription description() {
    if (description == null) {
      try {
        description = OpenApiDescription.load(Tools.npmPackage(PACKAGE).resolve(DESCRIPTION));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return description;
  }

  /** The API's base URL, {@code http://127.0.0.1:PORT} (and the prefix), without a trailing slash. */
  public URI url() {
    return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort() + prefix);
  }

  /**
   * Answers {@code operationId} (as the description names it: {@code pulls/create}) with
   * {@code handler}, in place of the one it had.
   */
  public GitHubApiServer answer(String operationId, Handler handler) {
    api.operation(operationId); // a misspelt name fails here rather than as a 501 later
    handlers.put(operationId, handler);
    return this;
  }

  /**
   * Answers GitHub's GraphQL endpoint with {@code endpoint}; without one, a GraphQL request is a
   * violation, as a REST operation the test does not answer is.
   */
  public GitHubApiServer graphQl(GraphQlEndpoint endpoint) {
    this.graphQl = endpoint;
    return this;
  }

  /**
   * The GraphQL endpoint's URL: {@code /graphql} at the root, {@code /api/graphql} beside {@code
   * /api/v3}.
   */
  public URI graphQlUrl() {
    return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort() + graphQlPath);
  }

  /**
   * Accepts only requests that carry {@code token} as GitHub takes one ({@code Authorization:
   * Bearer TOKEN} or {@code token TOKEN}), and answers others 401 as GitHub does.
   */
  public GitHubApiServer requireToken(String token) {
    return authorize((operationId, authorization) -> ("Bearer " + token).equals(authorization)
        || ("token " + token).equals(authorization));
  }

  /**
   * Accepts a request when {@code check} accepts its operation and Authorization header (null
   * when there is none): a GitHub App's JWT for one operation, its installation token for others.
   */
  public GitHubApiServer authorize(BiPredicate<String, String> check) {
    return authenticate((operationId, authorization) ->
        check.test(operationId, authorization) ? null
            : authorization == null ? "Requires authentication" : "Bad credentials");
  }

  /**
   * Judges every request's credentials with {@code check}, whose refusals are answered 401 with
   * its message (a {@link FakeGitHubApp} verifies its JWTs and installation tokens so).
   */
  public GitHubApiServer authenticate(Authenticator check) {
    this.authenticator = check;
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

  /** Fails, listing every violation, when a request or an answer was not one GitHub's description allows. */
  public void assertNoViolations() {
    List<Violation> found = violations();
    if (!found.isEmpty()) {
      GraphQlEndpoint endpoint = graphQl;
      StringBuilder message = new StringBuilder(found.size() + " exchange(s) that GitHub's description ("
          + PACKAGE + " " + api.version() + ")"
          + (endpoint == null ? "" : " or GraphQL schema (" + endpoint.schema() + ")")
          + " does not allow:");
      found.forEach(v -> message.append("\n  ").append(v));
      throw new AssertionError(message);
    }
  }

  private void serve(HttpExchange exchange) {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String rawPath = exchange.getRequestURI().getRawPath();
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (rawPath.equals(graphQlPath)) {
        serveGraphQl(exchange, method, body);
        return;
      }
      String path = rawPath.startsWith(prefix) ? rawPath.substring(prefix.length()) : null;
      Optional<Match> match = path == null ? Optional.empty() : api.find(method, path);
      if (match.isEmpty()) {
        String line = method + " " + rawPath;
        refuse(exchange, line, null, 400, List.of(new Violation(line, "request", "",
            "GitHub's description has no such operation")));
        return;
      }
      Operation op = match.get().operation();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String refusal = authenticator.refusal(op.id(), authorization);
      if (refusal != null) {
        ObjectNode error = error(refusal);
        error.put("status", "401");
        send(exchange, path, op, Response.json(401, error));
        return;
      }
      Map<String, List<String>> query =
          LoopbackHttp.query(exchange.getRequestURI().getRawQuery());
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
      List<Violation> found = api.checkRequest(match.get(), new RequestParts(match.get().pathParameters(),
          query, headers, exchange.getRequestHeaders().getFirst("Content-Type"), body));
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
      send(exchange, path, op, response);
    } catch (IOException | RuntimeException e) {
      // The client went away, or a bug here: recorded so that the test cannot pass over it.
      violations.add(new Violation(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath(),
          "exchange", "", "the server failed: " + e));
    }
  }

  /**
   * A GraphQL request: POST only, with the credentials REST takes (checked as the operation
   * {@code graphql}), answered by the test's endpoint. Its path is recorded as requested, since it
   * is outside the REST API's base path.
   */
  private void serveGraphQl(HttpExchange exchange, String method, byte[] body) throws IOException {
    String line = method + " " + graphQlPath;
    if (!method.equals("POST")) {
      refuse(exchange, graphQlPath, null, 404, List.of(new Violation(line, "request", "",
          "GitHub's GraphQL API takes POST")));
      return;
    }
    String refusal =
        authenticator.refusal("graphql", exchange.getRequestHeaders().getFirst("Authorization"));
    if (refusal != null) {
      // GitHub's GraphQL API refuses credentials as its REST API does
      write(exchange, graphQlPath, "graphql", 401, error(refusal), Map.of());
      return;
    }
    GraphQlEndpoint endpoint = graphQl;
    if (endpoint == null) {
      refuse(exchange, graphQlPath, null, 501, List.of(new Violation(line, "request", "",
          "the test gives no answer to GraphQL")));
      return;
    }
    GraphQlAnswer answer =
        endpoint.answer(line, exchange.getRequestHeaders().getFirst("Content-Type"), body);
    violations.addAll(answer.violations());
    // "graphql mutation enablePullRequestAutoMerge", from "POST /graphql (mutation ...)"
    String operation = answer.operation();
    String described = operation.startsWith(line + " (")
        ? "graphql " + operation.substring(line.length() + 2, operation.length() - 1) : "graphql";
    write(exchange, graphQlPath, described, answer.status(), answer.body(), Map.of());
  }

  /** Records the violations and answers them in GitHub's error shape, so bumper shows them too. */
  private void refuse(HttpExchange exchange, String path, Operation op, int status, List<Violation> found)
      throws IOException {
    violations.addAll(found);
    StringBuilder message = new StringBuilder("Not allowed by GitHub's description:");
    found.forEach(v -> message.append(' ').append(v).append(';'));
    write(exchange, path == null ? exchange.getRequestURI().getRawPath() : path, op, status,
        error(message.toString()), Map.of());
  }

  private void send(HttpExchange exchange, String path, Operation op, Response response) throws IOException {
    write(exchange, path, op, response.status(), response.body(), response.headers());
  }

  private void write(HttpExchange exchange, String path, Operation op, int status, JsonNode body,
      Map<String, String> headers) throws IOException {
    write(exchange, path, op == null ? null : op.id(), status, body, headers);
  }

  private void write(HttpExchange exchange, String path, String operationId, int status,
      JsonNode body, Map<String, String> headers) throws IOException {
    exchanges.add(new Exchange(exchange.getRequestMethod(), path, operationId, status));
    headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    LoopbackHttp.send(exchange, status, body, "application/json; charset=utf-8");
  }

  /** GitHub's error body: a message and where the documentation is. */
  static ObjectNode error(String message) {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    error.put("message", message);
    error.put("documentation_url", DOCS);
    return error;
  }



  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
