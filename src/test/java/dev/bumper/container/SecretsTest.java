package dev.bumper.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void masksEveryKnownSecretLongestFirst() {
    Secrets secrets = new Secrets();
    secrets.add("token");
    secrets.add("token-and-more");
    secrets.add("abc"); // too short to mask safely
    secrets.add(null);
    assertThat(secrets.mask("a token-and-more, a token, abc")).isEqualTo("a ***, a ***, abc");
    assertThat(secrets.mask(null)).isNull();
  }

  @Test
  void aCredentialNeverShowsItsSecret() {
    assertThat(new Credential("user", "hunter22", "env").toString()).doesNotContain("hunter22").contains("***");
  }
}
