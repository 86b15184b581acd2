package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import dev.bumper.provider.FakeGitHubApp.Issued;
import dev.bumper.provider.FakeGitHubApp.Use;
import dev.bumper.provider.GitHubApiServer.Exchange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake GitHub App's own checks, with JWTs made by hand rather than by bumper: a fake that
 * took any JWT would let bumper's pass for nothing. Each answer has passed the server's check
 * against GitHub's description.
 */
@RequiresTools("@octokit/openapi")
class FakeGitHubAppTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant START = Instant.parse("2026-03-04T05:06:07Z");
  private static final String HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";

  private final HttpClient http = HttpClient.newHttpClient();
  private final MovableClock clock = new MovableClock(START);
  private GitHubApiServer server;
  private FakeGitHubApp app;

  @BeforeEach
  void start() throws Exception {
    server = GitHubApiServer.start();
    new FakeGitHub(server, "acme", "config", "main");
    app = new FakeGitHubApp(server, 123456, "Iv23liFakeApp0001", GitHubAppKeys.app().getPublic(),
        clock).install(77, "acme", "config", "web");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aGoodJwtFindsTheInstallationAndGetsATokenThatOpensTheRepository() throws Exception {
    String jwt = jwt(HEADER, claims(-60, 540, "\"123456\""), GitHubAppKeys.app().getPrivate());

    JsonNode installation = json(call("GET", "/repos/acme/config/installation", null,
        "Bearer " + jwt, 200));
    assertThat(installation.path("id").asLong()).isEqualTo(77);
    assertThat(installation.path("app_id").asLong()).isEqualTo(123456);
    assertThat(installation.at("/account/login").asString()).isEqualTo("acme");
    call("GET", "/repos/acme/elsewhere/installation", null, "Bearer " + jwt, 404);

    JsonNode created = json(call("POST", "/app/installations/77/access_tokens",
        "{\"repositories\":[\"config\"]}", "Bearer " + jwt, 201));
    String token = created.path("token").asString();
    assertThat(token).matches("ghs_[A-Za-z0-9]{36}");
    assertThat(Instant.parse(created.path("expires_at").asString()))
        .isEqualTo(START.plus(Duration.ofHours(1)));
    assertThat(app.issued()).containsExactly(new Issued(1, 77, START.plus(Duration.ofHours(1)),
        List.of("config")));

    call("GET", "/repos/acme/config", null, "Bearer " + token, 200);
    call("GET", "/repos/acme/config", null, "token " + token, 200);
    call("GET", "/repos/acme/config", null, "Bearer " + jwt, 401);
    call("GET", "/repos/acme/config", null, "Bearer ghs_" + "x".repeat(36), 401);
    call("GET", "/repos/acme/config", null, null, 401);
    assertThat(app.uses()).containsExactly(new Use("repos/get", 1), new Use("repos/get", 1));
    assertThat(app.acceptsGit("x-access-token", token)).isTrue();
    assertThat(app.acceptsGit("octocat", token)).isFalse();
    assertThat(app.acceptsGit("x-access-token", jwt)).isFalse();

    // an hour later the token is refused, for git too
    clock.advance(Duration.ofHours(1));
    assertThat(json(call("GET", "/repos/acme/config", null, "Bearer " + token, 401))
        .path("message").asString()).isEqualTo("Bad credentials");
    assertThat(app.acceptsGit("x-access-token", token)).isFalse();

    server.assertNoViolations();
    assertThat(server.exchanges().toString() + server.violations()).doesNotContain(token, jwt);
  }

  @Test
  void aTokenForARepositoryTheInstallationLacksOrForAnotherInstallationIsRefused()
      throws Exception {
    String jwt = "Bearer " + jwt(HEADER, claims(-60, 540, "123456"), GitHubAppKeys.app()
        .getPrivate());
    JsonNode refused = json(call("POST", "/app/installations/77/access_tokens",
        "{\"repositories\":[\"secrets\"]}", jwt, 422));
    assertThat(refused.path("message").asString()).contains("not accessible");
    call("POST", "/app/installations/78/access_tokens", null, jwt, 404);
    assertThat(app.issued()).isEmpty();
    server.assertNoViolations();
  }

  @Test
  void everyWrongJwtIsRefused401WithGitHubsMessage() throws Exception {
    PrivateKey key = GitHubAppKeys.app().getPrivate();
    String good = claims(-60, 540, "\"123456\"");
    String goodJwt = jwt(HEADER, good, key);
    assertRefused(jwt(HEADER, good, GitHubAppKeys.other().getPrivate()),
        FakeGitHubApp.UNDECODABLE);
    assertRefused("not.a.jwt", FakeGitHubApp.UNDECODABLE);
    assertRefused(goodJwt + "=", FakeGitHubApp.UNDECODABLE);
    assertRefused(jwt("{\"alg\":\"none\",\"typ\":\"JWT\"}", good, key), FakeGitHubApp.UNDECODABLE);
    assertRefused(jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", good, key),
        FakeGitHubApp.UNDECODABLE);
    assertRefused(jwt(HEADER, claims(-60, 540, "\"654321\""), key), FakeGitHubApp.UNKNOWN_APP);
    assertRefused(jwt(HEADER, claims(-60, 600, "\"123456\""), key), FakeGitHubApp.TOO_LONG);
    assertRefused(jwt(HEADER, claims(30, 300, "\"123456\""), key), FakeGitHubApp.ISSUED_LATER);
    assertRefused(jwt(HEADER, claims(-600, -1, "\"123456\""), key), FakeGitHubApp.EXPIRED);
    assertThat(call("GET", "/repos/acme/config/installation", null, "token " + goodJwt, 401)
        .statusCode()).isEqualTo(401);
    // the same good JWT, ten minutes on
    call("GET", "/repos/acme/config/installation", null, "Bearer " + goodJwt, 200);
    clock.advance(Duration.ofMinutes(10));
    assertRefused(goodJwt, FakeGitHubApp.EXPIRED);

    assertThat(app.verify(jwt(HEADER, claims(-60, 540, "\"Iv23liFakeApp0001\""), key)))
        .as("the client ID names the app too").isEmpty();
    server.assertNoViolations();
    assertThat(server.exchanges()).extracting(Exchange::status).containsOnly(401, 200);
  }

  private void assertRefused(String jwt, String message) throws Exception {
    HttpResponse<String> answer =
        call("GET", "/repos/acme/config/installation", null, "Bearer " + jwt, 401);
    assertThat(json(answer).path("message").asString()).isEqualTo(message);
  }

  /** Claims dated from the clock's now: iat and exp {@code iat} and {@code exp} seconds on. */
  private String claims(long iat, long exp, String iss) {
    long now = clock.instant().getEpochSecond();
    return "{\"iat\":" + (now + iat) + ",\"exp\":" + (now + exp) + ",\"iss\":" + iss + "}";
  }

  private static String jwt(String header, String claims, PrivateKey key) throws Exception {
    Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
    String signed = base64url.encodeToString(header.getBytes(UTF_8)) + "."
        + base64url.encodeToString(claims.getBytes(UTF_8));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(key);
    rs256.update(signed.getBytes(UTF_8));
    return signed + "." + base64url.encodeToString(rs256.sign());
  }

  private HttpResponse<String> call(String method, String path, String body,
      String authorization, int status) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
        .header("Accept", "application/vnd.github+json")
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response = http.send(request.build(), BodyHandlers.ofString());
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body())
        .isEqualTo(status);
    return response;
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }
}
