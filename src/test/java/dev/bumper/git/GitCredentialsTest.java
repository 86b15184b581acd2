package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.junit.jupiter.api.Test;

class GitCredentialsTest {
  private static final RemoteUrl PLAIN = RemoteUrl.parse("https://git.example.com/acme/config.git");

  /** What the provider answers when JGit asks for a user name and a password. */
  private static String[] ask(CredentialsProvider provider, RemoteUrl url) {
    CredentialItem.Username user = new CredentialItem.Username();
    CredentialItem.Password password = new CredentialItem.Password();
    assertThat(provider.supports(user, password)).isTrue();
    assertThat(provider.get(url.uri(), user, password)).isTrue();
    return new String[] {user.getValue(), password.getValue() == null ? null : new String(password.getValue())};
  }

  @Test
  void tokenAloneGoesWithTheTokenUser() {
    CredentialsProvider p = GitCredentials.forUrl(PLAIN, Map.of("GIT_TOKEN", "tok-0123456789"));
    assertThat(ask(p, PLAIN)).containsExactly("x-access-token", "tok-0123456789");
  }

  @Test
  void tokenWithUsername() {
    CredentialsProvider p =
        GitCredentials.forUrl(PLAIN, Map.of("GIT_TOKEN", "tok-0123456789", "GIT_USERNAME", "deploy-bot"));
    assertThat(ask(p, PLAIN)).containsExactly("deploy-bot", "tok-0123456789");
  }

  @Test
  void tokenWinsOverPassword() {
    CredentialsProvider p =
        GitCredentials.forUrl(
            PLAIN, Map.of("GIT_TOKEN", "tok-0123456789", "GIT_USERNAME", "deploy-bot", "GIT_PASSWORD", "pw-9876543210"));
    assertThat(ask(p, PLAIN)).containsExactly("deploy-bot", "tok-0123456789");
  }

  @Test
  void emptyTokenIsIgnored() {
    CredentialsProvider p =
        GitCredentials.forUrl(PLAIN, Map.of("GIT_TOKEN", "", "GIT_USERNAME", "deploy-bot", "GIT_PASSWORD", "pw-9876543210"));
    assertThat(ask(p, PLAIN)).containsExactly("deploy-bot", "pw-9876543210");
  }

  @Test
  void usernameAndPassword() {
    CredentialsProvider p =
        GitCredentials.forUrl(PLAIN, Map.of("GIT_USERNAME", "deploy-bot", "GIT_PASSWORD", "pw-9876543210"));
    assertThat(ask(p, PLAIN)).containsExactly("deploy-bot", "pw-9876543210");
  }

  @Test
  void environmentWinsOverTheUrl() {
    RemoteUrl url = RemoteUrl.parse("https://url-user:url-password@git.example.com/acme/config.git");
    CredentialsProvider p = GitCredentials.forUrl(url, Map.of("GIT_TOKEN", "tok-0123456789"));
    assertThat(ask(p, url)).containsExactly("x-access-token", "tok-0123456789");
  }

  @Test
  void userInfoOfTheUrl() {
    RemoteUrl url = RemoteUrl.parse("https://url-user:url-password@git.example.com/acme/config.git");
    assertThat(ask(GitCredentials.forUrl(url, Map.of()), url)).containsExactly("url-user", "url-password");
  }

  @Test
  void tokenAsUrlUserHasAnEmptyPassword() {
    RemoteUrl url = RemoteUrl.parse("https://ghp_0123456789abcdef@git.example.com/acme/config.git");
    assertThat(ask(GitCredentials.forUrl(url, Map.of()), url)).containsExactly("ghp_0123456789abcdef", "");
  }

  @Test
  void usernameWithoutPasswordFallsBackToTheUrl() {
    RemoteUrl url = RemoteUrl.parse("https://url-user:url-password@git.example.com/acme/config.git");
    assertThat(ask(GitCredentials.forUrl(url, Map.of("GIT_USERNAME", "deploy-bot")), url))
        .containsExactly("url-user", "url-password");
    assertThat(GitCredentials.forUrl(PLAIN, Map.of("GIT_USERNAME", "deploy-bot"))).isNull();
  }

  @Test
  void noCredentialsIsNull() {
    assertThat(GitCredentials.forUrl(PLAIN, Map.of())).isNull();
    assertThat(GitCredentials.forUrl(RemoteUrl.parse("git://127.0.0.1:9418/config.git"), Map.of())).isNull();
    assertThat(GitCredentials.forUrl(RemoteUrl.parse("file:///srv/config.git"), Map.of("PATH", "/usr/bin"))).isNull();
  }

  @Test
  void sshUserInUrlIsNotAnHttpCredential() {
    assertThat(GitCredentials.forUrl(RemoteUrl.parse("git@github.com:acme/config.git"), Map.of())).isNull();
    assertThat(GitCredentials.forUrl(RemoteUrl.parse("ssh://git@github.com/acme/config.git"), Map.of())).isNull();
  }

  // ---- secrets(): what must be masked in any message

  @Test
  void noSecretsWithoutCredentials() {
    assertThat(GitCredentials.secrets(PLAIN, Map.of("GIT_USERNAME", "deploy-bot", "HOME", "/root"))).isEmpty();
    assertThat(GitCredentials.secrets(RemoteUrl.parse("git@github.com:acme/config.git"), Map.of())).isEmpty();
  }

  @Test
  void tokenAndPasswordFromTheEnvironmentAreSecrets() {
    assertThat(
            GitCredentials.secrets(
                PLAIN, Map.of("GIT_TOKEN", "tok-0123456789", "GIT_USERNAME", "deploy-bot", "GIT_PASSWORD", "pw-9876543210")))
        .containsExactlyInAnyOrder("tok-0123456789", "pw-9876543210")
        .doesNotContain("deploy-bot");
  }

  @Test
  void urlPasswordIsASecretUrlUserNameIsNot() {
    RemoteUrl url = RemoteUrl.parse("https://bot:url-password@git.example.com/acme/config.git");
    assertThat(GitCredentials.secrets(url, Map.of())).containsExactly("url-password");
  }

  @Test
  void tokenWrittenAsUrlUserIsASecret() {
    RemoteUrl url = RemoteUrl.parse("https://ghp_0123456789abcdef@git.example.com/acme/config.git");
    assertThat(GitCredentials.secrets(url, Map.of())).containsExactly("ghp_0123456789abcdef");
  }

  @Test
  void everySourceAtOnce() {
    RemoteUrl url = RemoteUrl.parse("http://user:another-s3cr3t@127.0.0.1:1/x.git");
    assertThat(GitCredentials.secrets(url, Map.of("GIT_TOKEN", "s3cr3t-token-value")))
        .containsExactlyInAnyOrder("s3cr3t-token-value", "another-s3cr3t");
  }

  @Test
  void credentialsGoOnlyToTheUrlsOwnSchemeHostAndPort() throws Exception {
    CredentialsProvider p = GitCredentials.forUrl(PLAIN, Map.of("GIT_TOKEN", "tok-0123456789"));
    assertThat(ask(p, RemoteUrl.parse("https://GIT.example.com:443/acme/other.git"))).containsExactly("x-access-token", "tok-0123456789");
    for (String elsewhere : new String[] {"https://evil.example.com/acme/config.git", "http://git.example.com/acme/config.git",
        "https://git.example.com:8443/acme/config.git"}) {
      CredentialItem.Username user = new CredentialItem.Username();
      CredentialItem.Password password = new CredentialItem.Password();
      assertThat(p.get(new org.eclipse.jgit.transport.URIish(elsewhere), user, password)).as(elsewhere).isFalse();
      assertThat(password.getValue()).as(elsewhere).isNull();
    }
  }
}
