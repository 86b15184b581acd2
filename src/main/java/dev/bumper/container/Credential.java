package dev.bumper.container;

import dev.bumper.secret.SecretMask;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and secret for a registry, and where they came from (for messages). A user name of
 * {@code <token>} marks an identity token, as Docker's credential helpers return them: an OAuth2
 * refresh token to exchange for an access token, not a password.
 *
 * @param source where the credentials were found, e.g. {@code /home/ci/.docker/config.json}
 */
public record Credential(String username, String secret, String source) {
  static final String IDENTITY_TOKEN_USER = "<token>";

  public boolean isIdentityToken() {
    return IDENTITY_TOKEN_USER.equals(username);
  }

  /** {@code username:secret} in base64, as Basic authentication sends it: a secret to mask. */
  String basic() {
    return Base64.getEncoder()
        .encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return "Credential[username=" + username + ", secret=" + SecretMask.MASK + ", source=" + source + "]";
  }
}
