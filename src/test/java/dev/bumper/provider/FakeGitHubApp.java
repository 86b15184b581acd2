package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bumper.provider.GitHubApiServer.Request;
import dev.bumper.provider.GitHubApiServer.Response;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A GitHub App on a {@link GitHubApiServer}: its installations, the installation tokens it has
 * issued, and GitHub's checks of both. Once it is on a server, every request must authenticate
 * as GitHub would ask of an app: the app's own operations (find an installation, create an
 * installation token) with a JWT that this fake verifies with the app's PUBLIC key (RS256, its
 * issuer, its ten-minute window, its expiry) and refuses 401 with GitHub's message when it is
 * wrong; every other operation (the repository's, {@link FakeGitHub}'s) with an installation
 * token it issued that has not expired, as {@code Bearer TOKEN} or {@code token TOKEN}. So a
 * test that gets through proves bumper used the installation token, not the JWT or another.
 *
 * <p>No token, JWT or key is kept where a test's output could show it: tokens are numbered in
 * the order they were issued ({@link Issued#number}), and the uses are recorded by number.
 */
public final class FakeGitHubApp {
  /** GitHub's answer to a JWT it cannot read or whose signature is not the app's. */
  public static final String UNDECODABLE = "A JSON web token could not be decoded";

  public static final String EXPIRED = "'Expiration time' claim ('exp') must be a numeric value"
      + " representing the future time at which the assertion expires";

  public static final String TOO_LONG = "'Expiration time' claim ('exp') is too far in the future";

  public static final String ISSUED_LATER = "'Issued at' claim ('iat') must be an Integer"
      + " representing the time that the assertion was issued";

  public static final String UNKNOWN_APP = "Integration not found";

  /** How long GitHub lets an installation token live. */
  static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

  /** The longest a JWT may live, from its {@code iat} to its {@code exp}. */
  static final Duration JWT_LIMIT = Duration.ofMinutes(10);

  /** The operations an app calls as itself, with its JWT. */
  private static final Set<String> APP_OPERATIONS = Set.of(
      "apps/get-authenticated", "apps/get-repo-installation", "apps/get-installation",
      "apps/list-installations", "apps/create-installation-access-token");

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** An installation: its account and the repositories it was given. */
  private record Installation(long id, String owner, List<String> repositories) {}

  /** A token the app issued: its number (1 for the first), installation, expiry and reach. */
  public record Issued(int number, long installation, Instant expiresAt,
      List<String> repositories) {}

  /** A repository operation let through, and which token (by number) it carried. */
  public record Use(String operationId, int token) {}

  private final GitHubApiServer server;
  private final long appId;
  private final String clientId;
  private final PublicKey key;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<Long, Installation> installations = new LinkedHashMap<>();
  private final Map<String, Issued> tokens = new LinkedHashMap<>();
  private final List<Use> uses = new ArrayList<>();

  /**
   * The app {@code appId} (client ID {@code clientId}; a JWT may name it by either) whose key is
   * {@code key}, judging times by {@code clock}; it takes over the server's authentication.
   */
  public FakeGitHubApp(GitHubApiServer server, long appId, String clientId, PublicKey key,
      Clock clock) {
    this.server = server;
    this.appId = appId;
    this.clientId = clientId;
    this.key = key;
    this.clock = clock;
    server.answer("apps/get-repo-installation", this::getRepoInstallation)
        .answer("apps/create-installation-access-token", this::createToken)
        .authenticate(this::refusal);
  }

  /** Installs the app on {@code owner}'s {@code repositories} as installation {@code id}. */
  public synchronized FakeGitHubApp install(long id, String owner, String... repositories) {
    installations.put(id, new Installation(id, owner, List.of(repositories)));
    return this;
  }

  public synchronized List<Issued> issued() {
    return List.copyOf(tokens.values());
  }

  public synchronized List<Use> uses() {
    return List.copyOf(uses);
  }

  /** The issued token {@code token} is, by number; empty for one this app never issued. */
  public synchronized Optional<Issued> issued(String token) {
    return Optional.ofNullable(tokens.get(token));
  }

  /**
   * Whether git over HTTPS with Basic {@code user:password} gets in: user {@code x-access-token}
   * and a token the app issued that has not expired, as GitHub takes an installation token.
   */
  public synchronized boolean acceptsGit(String user, String password) {
    return "x-access-token".equals(user) && live(password) != null;
  }

  /**
   * The tokens themselves, for a test to assert that none is in what bumper printed; a test never
   * prints them.
   */
  public synchronized List<String> tokens() {
    return List.copyOf(tokens.keySet());
  }

  public GitHubApiServer server() {
    return server;
  }

  /** Null when the request may go on, else GitHub's 401 message. */
  private synchronized String refusal(String operationId, String authorization) {
    if (authorization == null) {
      return "Requires authentication";
    }
    if (APP_OPERATIONS.contains(operationId)) {
      return authorization.startsWith("Bearer ")
          ? verify(authorization.substring("Bearer ".length())).orElse(null)
          : UNDECODABLE;
    }
    String token = authorization.startsWith("Bearer ")
        ? authorization.substring("Bearer ".length())
        : authorization.startsWith("token ") ? authorization.substring("token ".length()) : "";
    Issued issued = live(token);
    if (issued == null) {
      return "Bad credentials";
    }
    uses.add(new Use(operationId, issued.number()));
    return null;
  }

  private Issued live(String token) {
    Issued issued = tokens.get(token);
    return issued != null && clock.instant().isBefore(issued.expiresAt()) ? issued : null;
  }

  /**
   * What GitHub would say of {@code jwt}, or empty when it takes it: an RS256 JWS in compact form
   * (base64url without padding) signed with this app's key, its {@code iss} this app, its
   * {@code iat} not in the future and its {@code exp} not past and at most ten minutes later.
   */
  public Optional<String> verify(String jwt) {
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3 || jwt.contains("=")) {
      return Optional.of(UNDECODABLE);
    }
    JsonNode header;
    JsonNode claims;
    byte[] signature;
    try {
      Base64.Decoder base64url = Base64.getUrlDecoder();
      header = JSON.readTree(base64url.decode(parts[0]));
      claims = JSON.readTree(base64url.decode(parts[1]));
      signature = base64url.decode(parts[2]);
    } catch (IllegalArgumentException | JacksonException e) {
      return Optional.of(UNDECODABLE);
    }
    if (!header.isObject() || !claims.isObject()
        || !"RS256".equals(header.path("alg").asString(""))
        || (header.has("typ") && !"JWT".equals(header.path("typ").asString("")))) {
      return Optional.of(UNDECODABLE);
    }
    JsonNode iss = claims.path("iss");
    String issuer = iss.isString() || iss.isIntegralNumber() ? iss.asString() : "";
    if (!issuer.equals(String.valueOf(appId)) && !issuer.equals(clientId)) {
      return Optional.of(UNKNOWN_APP);
    }
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(key);
      rs256.update((parts[0] + "." + parts[1]).getBytes(UTF_8));
      if (!rs256.verify(signature)) {
        return Optional.of(UNDECODABLE);
      }
    } catch (GeneralSecurityException e) {
      return Optional.of(UNDECODABLE);
    }
    JsonNode iat = claims.path("iat");
    JsonNode exp = claims.path("exp");
    long now = clock.instant().getEpochSecond();
    if (!iat.isIntegralNumber() || iat.asLong() > now) {
      return Optional.of(ISSUED_LATER);
    }
    if (!exp.isIntegralNumber() || exp.asLong() <= now) {
      return Optional.of(EXPIRED);
    }
    if (exp.asLong() - iat.asLong() > JWT_LIMIT.toSeconds()) {
      return Optional.of(TOO_LONG);
    }
    return Optional.empty();
  }

  private synchronized Response getRepoInstallation(Request request) {
    for (Installation installation : installations.values()) {
      if (installation.owner().equals(request.path("owner"))
          && installation.repositories().contains(request.path("repo"))) {
        ObjectNode body = sample("apps/get-repo-installation", 200);
        body.put("id", installation.id());
        body.put("app_id", appId);
        body.put("client_id", clientId);
        body.put("repository_selection", "selected");
        body.put("access_tokens_url", server.url() + "/app/installations/" + installation.id()
            + "/access_tokens");
        body.put("repositories_url", server.url() + "/installation/repositories");
        body.put("html_url", "https://github.com/organizations/" + installation.owner()
            + "/settings/installations/" + installation.id());
        // the account may be null in the description, which the smallest sample takes
        JsonNode accountSchema = GitHubApiServer.description()
            .responseSchema("apps/get-repo-installation", 200).path("properties").path("account");
        ObjectNode account = (ObjectNode) SchemaSamples.minimal(accountSchema.path("anyOf").get(0));
        account.put("login", installation.owner());
        account.put("type", "Organization");
        body.set("account", account);
        return Response.json(200, body);
      }
    }
    return notFound();
  }

  private synchronized Response createToken(Request request) {
    Installation installation;
    try {
      installation = installations.get(Long.parseLong(request.path("installation_id")));
    } catch (NumberFormatException e) {
      installation = null;
    }
    if (installation == null) {
      return notFound();
    }
    List<String> reach = new ArrayList<>();
    JsonNode body = request.body();
    if (body != null) {
      body.path("repositories").forEach(name -> reach.add(name.asString()));
    }
    if (!installation.repositories().containsAll(reach)) {
      return Response.json(422, GitHubApiServer.error("There is at least one repository that does"
          + " not exist or is not accessible to the parent installation."));
    }
    String token = newToken();
    Instant expires = clock.instant().plus(TOKEN_LIFETIME).truncatedTo(ChronoUnit.SECONDS);
    Issued issued = new Issued(tokens.size() + 1, installation.id(), expires,
        List.copyOf(reach.isEmpty() ? installation.repositories() : reach));
    tokens.put(token, issued);
    ObjectNode answer = sample("apps/create-installation-access-token", 201);
    answer.put("token", token);
    answer.put("expires_at", expires.toString());
    answer.put("repository_selection", "selected");
    ObjectNode permissions = answer.putObject("permissions");
    permissions.put("contents", "write");
    permissions.put("pull_requests", "write");
    permissions.put("metadata", "read");
    return Response.json(201, answer);
  }

  /** A token shaped as GitHub's installation tokens are: {@code ghs_} and 36 characters. */
  private String newToken() {
    StringBuilder token = new StringBuilder("ghs_");
    for (int i = 0; i < 36; i++) {
      token.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return token.toString();
  }

  private static ObjectNode sample(String operationId, int status) {
    return (ObjectNode) SchemaSamples.minimal(
        GitHubApiServer.description().responseSchema(operationId, status));
  }

  private static Response notFound() {
    ObjectNode error = GitHubApiServer.error("Not Found");
    error.put("status", "404");
    return Response.json(404, error);
  }
}
