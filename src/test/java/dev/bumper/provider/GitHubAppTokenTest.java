package dev.bumper.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bumper.RequiresTools;
import dev.bumper.failure.ExitCode;
import dev.bumper.failure.UsageException;
import dev.bumper.provider.FakeGitHubApp.Issued;
import dev.bumper.provider.FakeGitHubApp.Use;
import dev.bumper.provider.GitHubApiServer.Exchange;
import dev.bumper.secret.SecretMask;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A GitHub App's installation token, got from the simulated GitHub on loopback with bumper's own
 * JWT (which the fake verifies with the app's public key), then used for the repository's API:
 * the fake lets a repository operation through only with a token the app issued, so a test that
 * gets through proves the API used the installation token.
 */
@RequiresTools("@octokit/openapi")
class GitHubAppTokenTest {
  private static final Instant START = Instant.parse("2026-03-04T05:06:07Z");
  private static final String APP_ID = "123456";
  private static final String CLIENT_ID = "Iv23liFakeApp0001";

  private final MovableClock clock = new MovableClock(START);
  private final SecretMask mask = new SecretMask();
  /** Every Authorization value the app's own client sent: its JWTs. */
  private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
  private GitHubApiServer server;
  private FakeGitHubApp app;

  @BeforeEach
  void start() throws Exception {
    server = GitHubApiServer.start();
    new FakeGitHub(server, "acme", "config", "main")
        .branch("main", FakeGitHub.sha("main"))
        .branch("bumper/web", FakeGitHub.sha("web"));
    app = new FakeGitHubApp(server, Long.parseLong(APP_ID), CLIENT_ID,
        GitHubAppKeys.app().getPublic(), clock).install(77, "acme", "config", "web");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void findsTheInstallationByRepositoryAndTheApiUsesItsToken() {
    GitHubAppToken token = GitHubAppToken.builder(APP_ID, key(GitHubAppKeys.pkcs1(
            GitHubAppKeys.app()))).repository("acme/config").clock(clock).build(this::api, mask);
    assertThat(server.exchanges()).as("nothing is sent before a token is asked for").isEmpty();

    String authorization = token.get();

    assertThat(authorization).matches("Bearer ghs_[A-Za-z0-9]{36}");
    assertThat(token.token()).isEqualTo(authorization.substring("Bearer ".length()));
    assertThat(token.installationId()).isEqualTo(77);
    assertThat(token.expiresAt()).isEqualTo(START.plus(Duration.ofHours(1)));
    assertThat(app.issued()).containsExactly(new Issued(1, 77, START.plus(Duration.ofHours(1)),
        List.of("config", "web")));
    assertThat(server.exchanges()).containsExactly(
        new Exchange("GET", "/repos/acme/config/installation", "apps/get-repo-installation", 200),
        new Exchange("POST", "/app/installations/77/access_tokens",
            "apps/create-installation-access-token", 201));
    assertThat(sent).hasSize(2).allSatisfy(value -> assertThat(value).startsWith("Bearer ey"));

    // The pull requests of the repository, through the installation token alone.
    PullRequests pulls = Providers.open(new ProviderTarget(ProviderTarget.Kind.GITHUB,
        server.url(), "acme/config"), token, mask, Duration.ofSeconds(10));
    assertThat(pulls.findOpen("bumper/web", "main")).isEmpty();
    assertThat(app.uses()).containsExactly(new Use("pulls/list", 1));

    // git over HTTPS: the token as x-access-token's password
    assertThat(GitHubAppToken.GIT_USER).isEqualTo("x-access-token");
    assertThat(app.acceptsGit(GitHubAppToken.GIT_USER, token.token())).isTrue();

    assertMasked(token.token());
    sent.forEach(jwt -> assertMasked(jwt.substring("Bearer ".length())));
    assertThat(token.toString()).isEqualTo("GitHubAppToken[app 123456, installation 77]");
    server.assertNoViolations();
  }

  @Test
  void aGivenInstallationNeedsNoLookUpAndATokenCanBeForOneRepository() {
    GitHubAppToken token = GitHubAppToken.builder(CLIENT_ID, key(GitHubAppKeys.pkcs8(
            GitHubAppKeys.app()))).installation(77).repository("acme/config")
        .onlyThisRepository().clock(clock).build(this::api, mask);

    String value = token.token();

    assertThat(server.exchanges()).extracting(Exchange::operationId)
        .containsExactly("apps/create-installation-access-token");
    assertThat(app.issued()).singleElement()
        .satisfies(issued -> assertThat(issued.repositories()).containsExactly("config"));
    assertThat(app.issued(value)).isPresent();
    server.assertNoViolations();
  }

  @Test
  void theTokenIsRenewedWhenFiveMinutesOfItAreLeft() {
    GitHubAppToken token = GitHubAppToken.builder(APP_ID, key(GitHubAppKeys.pkcs1(
            GitHubAppKeys.app()))).repository("acme/config").clock(clock).build(this::api, mask);
    String first = token.get();

    clock.advance(Duration.ofMinutes(54));
    assertThat(token.get()).as("six minutes left").isEqualTo(first);
    clock.advance(Duration.ofMinutes(1));
    assertThat(token.get()).as("five minutes left").isNotEqualTo(first);
    String second = token.token();
    clock.advance(Duration.ofMinutes(10));
    assertThat(token.token()).isEqualTo(second);

    assertThat(server.exchanges()).extracting(Exchange::operationId).containsExactly(
        "apps/get-repo-installation", "apps/create-installation-access-token",
        "apps/create-installation-access-token");
    assertThat(app.issued()).extracting(Issued::expiresAt).containsExactly(
        START.plus(Duration.ofHours(1)), START.plus(Duration.ofMinutes(55 + 60)));
    assertThat(token.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(115)));
    assertThat(app.issued(second)).hasValueSatisfying(i -> assertThat(i.number()).isEqualTo(2));
    // each JWT was dated when it was sent, and the fake verified each against its own clock
    assertThat(sent).extracting(GitHubAppTokenTest::issuedAt).containsExactly(
        START.minusSeconds(60), START.minusSeconds(60),
        START.plus(Duration.ofMinutes(55)).minusSeconds(60));
    server.assertNoViolations();
  }

  @Test
  void aWrongKeyIs401WithGitHubsMessageAndNoSecret() {
    KeyPair wrong = GitHubAppKeys.other();
    String pem = GitHubAppKeys.pkcs1(wrong);
    GitHubAppToken token = GitHubAppToken.builder(APP_ID, key(pem)).repository("acme/config")
        .clock(clock).build(this::api, mask);

    ProviderException failure = catchThrowableOfType(ProviderException.class, token::get);

    assertThat(failure.status()).isEqualTo(401);
    assertThat(failure.exitCode()).isEqualTo(ExitCode.FAILURE);
    assertThat(failure).hasMessage("GET " + server.url() + "/repos/acme/config/installation:"
        + " HTTP 401: " + FakeGitHubApp.UNDECODABLE + " (GitHub did not take the app's JWT: check"
        + " the app ID 123456, that the private key is this app's, and this machine's clock)");
    assertThat(sent).isNotEmpty();
    assertNoSecretIn(failure, pem);
    assertThat(app.issued()).isEmpty();
    server.assertNoViolations();
  }

  @Test
  void anAppNotInstalledOnTheRepositoryOrAnUnknownInstallationIs404() {
    String pem = GitHubAppKeys.pkcs1(GitHubAppKeys.app());
    ProviderException notInstalled = catchThrowableOfType(ProviderException.class,
        () -> GitHubAppToken.builder(APP_ID, key(pem)).repository("acme/elsewhere").clock(clock)
            .build(this::api, mask).get());
    assertThat(notInstalled.status()).isEqualTo(404);
    assertThat(notInstalled).hasMessageEndingWith("HTTP 404: Not Found (the GitHub App 123456 is"
        + " not installed on acme/elsewhere (or the repository does not exist))");

    ProviderException unknown = catchThrowableOfType(ProviderException.class,
        () -> GitHubAppToken.builder(APP_ID, key(pem)).installation(78).clock(clock)
            .build(this::api, mask).token());
    assertThat(unknown).hasMessage("POST " + server.url() + "/app/installations/78/access_tokens:"
        + " HTTP 404: Not Found (the GitHub App 123456 has no installation 78)");
    assertNoSecretIn(notInstalled, pem);
    assertNoSecretIn(unknown, pem);
    server.assertNoViolations();
  }

  @Test
  void aRenewalThatFailsQuotesNeitherTheOldTokenNorAJwt() {
    String pem = GitHubAppKeys.pkcs1(GitHubAppKeys.app());
    GitHubAppToken token = GitHubAppToken.builder(APP_ID, key(pem)).installation(77)
        .repository("acme/config").onlyThisRepository().clock(clock).build(this::api, mask);
    String first = token.token();
    // the repository went out of the installation since
    app.install(77, "acme", "web");
    clock.advance(Duration.ofMinutes(56));

    ProviderException failure = catchThrowableOfType(ProviderException.class, token::get);

    assertThat(failure.status()).isEqualTo(422);
    assertThat(failure).hasMessageContaining("not accessible to the parent installation");
    assertThat(failure.getMessage()).doesNotContain(first);
    assertNoSecretIn(failure, pem);
    server.assertNoViolations();
  }

  @Test
  void wrongSettingsAreUsageErrors() {
    GitHubAppKey key = key(GitHubAppKeys.pkcs1(GitHubAppKeys.app()));
    assertThat(usage(() -> GitHubAppToken.builder("12 34", key)))
        .contains("the one given is neither").doesNotContain("12 34");
    assertThat(usage(() -> GitHubAppToken.builder(APP_ID, key).repository("acme")))
        .contains("OWNER/REPO");
    assertThat(usage(() -> GitHubAppToken.builder(APP_ID, key).installation(0)))
        .contains("positive");
    assertThat(usage(() -> GitHubAppToken.builder(APP_ID, key).build(this::api, mask)))
        .contains("installation ID or the repository");
    assertThat(usage(() -> GitHubAppToken.builder(APP_ID, key).installation(77)
        .onlyThisRepository().build(this::api, mask))).contains("needs the repository");
  }

  private String usage(Runnable action) {
    UsageException failure = catchThrowableOfType(UsageException.class, action::run);
    assertThat(failure).as("a usage error").isNotNull();
    assertThat(failure.exitCode()).isEqualTo(ExitCode.USAGE);
    return failure.getMessage();
  }

  /** The app's client, with the GitHub headers bumper sends, recording what it authorizes with. */
  private ApiClient api(Supplier<String> authorization) {
    return Providers.gitHubApi(server.url(), () -> {
      String value = authorization.get();
      sent.add(value);
      return value;
    }, mask, Duration.ofSeconds(10));
  }

  /** The {@code iat} of a JWT sent as {@code Bearer JWT}. */
  private static Instant issuedAt(String authorization) {
    String claims = new String(Base64.getUrlDecoder().decode(authorization.split("\\.")[1]),
        StandardCharsets.UTF_8);
    Matcher iat = Pattern.compile("\"iat\":(\\d+)").matcher(claims);
    assertThat(iat.find()).as(claims).isTrue();
    return Instant.ofEpochSecond(Long.parseLong(iat.group(1)));
  }

  private GitHubAppKey key(String pem) {
    return GitHubAppKey.parse(pem, "the key", mask);
  }

  private void assertMasked(String secret) {
    assertThat(mask.mask("<" + secret + ">")).isEqualTo("<***>");
  }

  /**
   * Neither a JWT sent (nor its signature), an issued token, nor any line of the key is in the
   * failure's message or its causes'.
   */
  private void assertNoSecretIn(Throwable failure, String pem) {
    List<String> secrets = new ArrayList<>();
    synchronized (sent) {
      for (String value : sent) {
        String jwt = value.substring("Bearer ".length());
        secrets.add(jwt);
        secrets.add(jwt.substring(jwt.lastIndexOf('.') + 1));
      }
    }
    secrets.addAll(app.tokens());
    Arrays.stream(pem.split("\\R")).filter(line -> !line.startsWith("-----") && !line.isBlank())
        .forEach(secrets::add);
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      for (String secret : secrets) {
        assertThat(message).doesNotContain(secret);
      }
    }
  }
}
