package dev.bumper.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
  @Test
  void bearerWithRealmServiceAndScope() {
    AuthChallenge c =
        AuthChallenge.parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull,push\"");
    assertThat(c.isBearer()).isTrue();
    assertThat(c.realm()).isEqualTo("https://auth.docker.io/token");
    assertThat(c.service()).isEqualTo("registry.docker.io");
    assertThat(c.parameters()).containsEntry("scope", "repository:library/nginx:pull,push");
  }

  @Test
  void basicAndUnquotedAndEscapedValues() {
    assertThat(AuthChallenge.parse("Basic realm=\"Registry Realm\"")).isEqualTo(new AuthChallenge("basic", Map.of("realm", "Registry Realm")));
    AuthChallenge c = AuthChallenge.parse("BEARER Realm=https://ghcr.io/token, Service=ghcr.io, error=\"a \\\"b\\\"\"");
    assertThat(c.isBearer()).isTrue();
    assertThat(c.realm()).isEqualTo("https://ghcr.io/token");
    assertThat(c.service()).isEqualTo("ghcr.io");
    assertThat(c.parameters()).containsEntry("error", "a \"b\"");
  }

  @Test
  void aSchemeAlone() {
    assertThat(AuthChallenge.parse("Basic")).isEqualTo(new AuthChallenge("basic", Map.of()));
  }
}
