package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.secret.SecretMask;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JWT a GitHub App signs, read back as GitHub reads it: its claims and its signature. */
class GitHubAppJwtTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");

  private final GitHubAppKey key = GitHubAppKey.parse(GitHubAppKeys.pkcs1(GitHubAppKeys.app()),
      "the key", new SecretMask());

  @Test
  void isAnRs256JwtDatedForClockDriftAndGitHubsTenMinutes() throws Exception {
    String jwt = new GitHubAppJwt("123456", key, Clock.fixed(NOW, ZoneOffset.UTC)).sign();

    assertThat(jwt).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    String[] parts = jwt.split("\\.");
    assertThat(decode(parts[0])).isEqualTo("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
    JsonNode claims = JSON.readTree(decode(parts[1]));
    assertThat(claims.path("iat").isIntegralNumber()).isTrue();
    assertThat(claims.path("iat").asLong()).isEqualTo(NOW.getEpochSecond() - 60);
    assertThat(claims.path("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 9 * 60);
    assertThat(claims.path("iss").isString()).as("iss is a string").isTrue();
    assertThat(claims.path("iss").asString()).isEqualTo("123456");
    assertThat(claims.propertyNames()).containsExactlyInAnyOrder("iat", "exp", "iss");

    assertThat(verifies(jwt, GitHubAppKeys.app().getPublic())).isTrue();
    assertThat(verifies(jwt, GitHubAppKeys.other().getPublic())).as("another app's key").isFalse();
  }

  @Test
  void aClientIdIsTheIssuerAsItIs() {
    String jwt = new GitHubAppJwt("Iv23liAbCdEf012345", key, Clock.fixed(NOW, ZoneOffset.UTC))
        .sign();
    assertThat(JSON.readTree(decode(jwt.split("\\.")[1])).path("iss").asString())
        .isEqualTo("Iv23liAbCdEf012345");
  }

  @Test
  void eachIsDatedByTheClockItIsGiven() {
    MovableClock clock = new MovableClock(NOW);
    GitHubAppJwt jwts = new GitHubAppJwt("123456", key, clock);
    String first = jwts.sign();
    clock.advance(Duration.ofMinutes(30));
    String later = jwts.sign();

    assertThat(JSON.readTree(decode(later.split("\\.")[1])).path("iat").asLong())
        .isEqualTo(JSON.readTree(decode(first.split("\\.")[1])).path("iat").asLong() + 30 * 60);
  }

  private static boolean verifies(String jwt, PublicKey publicKey) throws Exception {
    int dot = jwt.lastIndexOf('.');
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(publicKey);
    rs256.update(jwt.substring(0, dot).getBytes(UTF_8));
    return rs256.verify(Base64.getUrlDecoder().decode(jwt.substring(dot + 1)));
  }

  private static String decode(String part) {
    return new String(Base64.getUrlDecoder().decode(part), UTF_8);
  }
}
