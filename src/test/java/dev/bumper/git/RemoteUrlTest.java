package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteUrlTest {

  // ---- parsing the URL forms a config repo is given as

  @Test
  void fileUrl() {
    RemoteUrl url = RemoteUrl.parse("file:///srv/git/config.git");
    assertThat(url.uri().getScheme()).isEqualTo("file");
    assertThat(url.uri().getHost()).isNull();
    assertThat(url.uri().getPath()).isEqualTo("/srv/git/config.git");
    assertThat(url.isHttp()).isFalse();
    assertThat(url.user()).isNull();
    assertThat(url.redacted()).isEqualTo("file:///srv/git/config.git");
  }

  @Test
  void absoluteLocalPathIsAccepted() {
    RemoteUrl url = RemoteUrl.parse("/srv/git/config.git");
    assertThat(url.uri().getPath()).isEqualTo("/srv/git/config.git");
    assertThat(url.redacted()).isEqualTo("/srv/git/config.git");
  }

  @Test
  void gitDaemonUrl() {
    RemoteUrl url = RemoteUrl.parse("git://127.0.0.1:9418/config.git");
    assertThat(url.uri().getScheme()).isEqualTo("git");
    assertThat(url.uri().getHost()).isEqualTo("127.0.0.1");
    assertThat(url.uri().getPort()).isEqualTo(9418);
    assertThat(url.uri().getPath()).isEqualTo("/config.git");
    assertThat(url.isHttp()).isFalse();
    assertThat(url.redacted()).isEqualTo("git://127.0.0.1:9418/config.git");
  }

  @Test
  void httpsUrlWithoutCredentials() {
    RemoteUrl url = RemoteUrl.parse("https://github.com/acme/config.git");
    assertThat(url.uri().getScheme()).isEqualTo("https");
    assertThat(url.uri().getHost()).isEqualTo("github.com");
    assertThat(url.uri().getPath()).isEqualTo("/acme/config.git");
    assertThat(url.isHttp()).isTrue();
    assertThat(url.user()).isNull();
    assertThat(url.password()).isNull();
    assertThat(url.redacted()).isEqualTo("https://github.com/acme/config.git");
  }

  @Test
  void plainHttpIsHttp() {
    assertThat(RemoteUrl.parse("http://127.0.0.1:8080/config.git").isHttp()).isTrue();
  }

  @Test
  void sshUrlWithPortKeepsItsUser() {
    RemoteUrl url = RemoteUrl.parse("ssh://git@github.com:2222/acme/config.git");
    assertThat(url.uri().getScheme()).isEqualTo("ssh");
    assertThat(url.uri().getHost()).isEqualTo("github.com");
    assertThat(url.uri().getPort()).isEqualTo(2222);
    assertThat(url.uri().getPath()).isEqualTo("/acme/config.git");
    assertThat(url.user()).isEqualTo("git");
    assertThat(url.isHttp()).isFalse();
    assertThat(url.redacted()).isEqualTo("ssh://git@github.com:2222/acme/config.git");
  }

  @Test
  void scpLikeUrl() {
    RemoteUrl url = RemoteUrl.parse("git@github.com:acme/config.git");
    assertThat(url.uri().getScheme()).isNull();
    assertThat(url.uri().getHost()).isEqualTo("github.com");
    assertThat(url.uri().getPath()).isEqualTo("acme/config.git");
    assertThat(url.user()).isEqualTo("git");
    assertThat(url.isHttp()).isFalse();
    assertThat(url.redacted()).as("an SSH user is not a secret").isEqualTo("git@github.com:acme/config.git");
  }

  @Test
  void semaphoreScpLikeUrlWithLeadingSlash() {
    // SEMAPHORE_GIT_URL looks like this
    RemoteUrl url = RemoteUrl.parse("git@github.com:/acme/config.git");
    assertThat(url.uri().getHost()).isEqualTo("github.com");
    assertThat(url.uri().getPath()).isEqualTo("/acme/config.git");
    assertThat(url.user()).isEqualTo("git");
    assertThat(url.redacted()).isEqualTo("git@github.com:/acme/config.git");
  }

  @Test
  void secretIsTheUrlAsGiven() {
    String given = "https://user:tok3n-value@github.com/acme/config.git";
    assertThat(RemoteUrl.parse(given).secret()).isEqualTo(given);
  }

  // ---- redaction

  @Test
  void userAndPasswordAreReadButNotShown() {
    RemoteUrl url = RemoteUrl.parse("https://deploy-bot:tok3n-value@github.com/acme/config.git");
    assertThat(url.user()).isEqualTo("deploy-bot");
    assertThat(url.password()).isEqualTo("tok3n-value");
    assertThat(url.redacted())
        .doesNotContain("deploy-bot")
        .doesNotContain("tok3n-value")
        .contains("github.com/acme/config.git");
    assertThat(url.toString()).isEqualTo(url.redacted());
  }

  @Test
  void tokenAsUserIsNotShown() {
    RemoteUrl url = RemoteUrl.parse("https://ghp_0123456789abcdefABCDEF@github.com/acme/config.git");
    assertThat(url.user()).isEqualTo("ghp_0123456789abcdefABCDEF");
    assertThat(url.password()).isNull();
    assertThat(url.redacted()).doesNotContain("ghp_0123456789abcdefABCDEF").contains("@github.com/acme/config.git");
  }

  @Test
  void sshPasswordIsHiddenButSshUserKept() {
    RemoteUrl url = RemoteUrl.parse("ssh://deploy:pa55word-x@host.example/config.git");
    assertThat(url.redacted()).doesNotContain("pa55word-x").startsWith("ssh://deploy:");
  }

  @Test
  void credentialsAreShownAsThreeStars() {
    assertThat(RemoteUrl.parse("https://user:token-value@host.example/x").redacted())
        .isEqualTo("https://***:***@host.example/x");
    assertThat(RemoteUrl.parse("https://TOKEN@host.example/x").redacted()).isEqualTo("https://***@host.example/x");
  }

  // ---- malformed URLs

  @ParameterizedTest
  @ValueSource(strings = {"", "not a url", "relative/path", "::::"})
  void malformedUrlIsAnIllegalArgument(String given) {
    assertThatThrownBy(() -> RemoteUrl.parse(given))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a repository URL");
  }

  @Test
  void portOutOfRangeIsRefusedWithoutTheSecret() {
    Throwable thrown = catchThrowable(() -> RemoteUrl.parse("https://user:s3cr3t-pw@host:99999999999/x"));
    assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    assertThat(thrown.getMessage()).doesNotContain("s3cr3t-pw");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://user:s3cr3t-pw@host/x\n", // a trailing newline, as from $(cat token-url.txt)
        "https://user:s3cr3t-pw@host:abc/x", // a port that is not a number
        "https://:s3cr3t-pw@host/x", // empty user
        "https//user:s3cr3t-pw@host/x", // missing ':' after the scheme
      })
  void malformedUrlWithCredentialsIsRefusedWithoutTheSecret(String given) {
    Throwable thrown = catchThrowable(() -> RemoteUrl.parse(given));
    assertThat(thrown).as("a URL with a scheme but no host is malformed").isInstanceOf(IllegalArgumentException.class);
    assertThat(thrown.getMessage()).doesNotContain("s3cr3t-pw");
  }

  @Test
  void theStoredUrlHasNoCredentials() {
    assertThat(RemoteUrl.parse("https://x-access-token:s3cr3t@github.com/acme/config.git").stored())
        .isEqualTo("https://github.com/acme/config.git");
    assertThat(RemoteUrl.parse("https://ghp_t0ken@github.com/acme/config.git").stored())
        .isEqualTo("https://github.com/acme/config.git");
    assertThat(RemoteUrl.parse("ssh://git@github.com/acme/config.git").stored())
        .isEqualTo("ssh://git@github.com/acme/config.git");
    assertThat(RemoteUrl.parse("git@github.com:acme/config.git").stored()).isEqualTo("git@github.com:acme/config.git");
    assertThat(RemoteUrl.parse("file:///srv/git/config.git").stored()).isEqualTo("file:///srv/git/config.git");
  }
}
