package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bumper.io.JsonWriter;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * The JSON Web Token a GitHub App authenticates as itself with (RS256, signed with its private
 * key), good only for asking for an installation token: GitHub takes one that lives at most ten
 * minutes.
 */
public final class GitHubAppJwt {
  /** Back-dated, so that a machine whose clock runs ahead of GitHub's is not refused. */
  static final Duration BACKDATE = Duration.ofSeconds(60);

  /** Under GitHub's ten minutes, with room for a clock that runs behind. */
  static final Duration LIFETIME = Duration.ofMinutes(9);

  static final String HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final String issuer;
  private final GitHubAppKey key;
  private final Clock clock;

  /**
   * @param issuer the app's client ID ({@code Iv23...}) or app ID, as GitHub shows it on the
   *     app's settings page; both are sent as a string
   */
  public GitHubAppJwt(String issuer, GitHubAppKey key, Clock clock) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.key = Objects.requireNonNull(key, "key");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A new token, issued now: one for each request costs a signature and spares a cache. */
  public String sign() {
    Instant now = clock.instant();
    StringBuilder claims = new StringBuilder();
    new JsonWriter(claims)
        .beginObject()
        .name("iat").value(now.minus(BACKDATE).getEpochSecond())
        .name("exp").value(now.plus(LIFETIME).getEpochSecond())
        .name("iss").value(issuer)
        .endObject();
    String signed = encode(HEADER) + "." + encode(claims.toString());
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key.privateKey());
      rs256.update(signed.getBytes(UTF_8));
      return signed + "." + BASE64URL.encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      // Every JDK has SHA256withRSA, and the key was checked to be RSA when it was read.
      throw new IllegalStateException("cannot sign with the GitHub App's key", e);
    }
  }

  private static String encode(String json) {
    return BASE64URL.encodeToString(json.getBytes(UTF_8));
  }
}
