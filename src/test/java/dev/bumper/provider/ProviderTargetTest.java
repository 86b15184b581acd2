package dev.bumper.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.failure.UsageException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which provider a repo URL's host is, where its API is, and the repository's path there. */
class ProviderTargetTest {
  @Test
  void theProviderAndItsApiComeFromTheHost() {
    assertThat(ProviderTarget.of("github.com", "/acme/config.git", null, null)).isEqualTo(
        new ProviderTarget(ProviderTarget.Kind.GITHUB, URI.create("https://api.github.com/"),
            "acme/config"));
    // GitHub Enterprise Server: the REST API under /api/v3 of the host itself
    assertThat(ProviderTarget.of("git.acme.corp", "acme/config", null, null).api())
        .isEqualTo(URI.create("https://git.acme.corp/api/v3/"));
    assertThat(ProviderTarget.of("gitlab.com", "/acme/platform/config.git/", null, null))
        .isEqualTo(new ProviderTarget(ProviderTarget.Kind.GITLAB,
            URI.create("https://gitlab.com/api/v4/"), "acme/platform/config"));
    assertThat(ProviderTarget.of("gitlab.acme.corp", "/config", null, null).kind())
        .isEqualTo(ProviderTarget.Kind.GITLAB);
  }

  @Test
  void aGivenKindAndApiWin() {
    ProviderTarget target = ProviderTarget.of("code.acme.corp", "/group/config.git",
        ProviderTarget.Kind.parse("GitLab"), URI.create("https://api.acme.corp/gl/"));
    assertThat(target.kind()).isEqualTo(ProviderTarget.Kind.GITLAB);
    assertThat(target.api()).isEqualTo(URI.create("https://api.acme.corp/gl/"));
    assertThatThrownBy(() -> ProviderTarget.Kind.parse("gitea"))
        .isInstanceOf(UsageException.class).hasMessageContaining("github or gitlab");
  }

  @Test
  void aGitHubPathIsOwnerAndRepository() {
    assertThatThrownBy(() -> ProviderTarget.of("github.com", "/acme/sub/config", null, null))
        .isInstanceOf(UsageException.class).hasMessageContaining("OWNER/REPO");
  }

  @Test
  void theTokenIsTheProvidersOwnThenGitToken() {
    ProviderTarget github = ProviderTarget.of("github.com", "acme/config", null, null);
    ProviderTarget gitlab = ProviderTarget.of("gitlab.com", "acme/config", null, null);
    Map<String, String> env = Map.of("GITHUB_TOKEN", "gh", "GITLAB_TOKEN", "gl", "GIT_TOKEN", "git");
    assertThat(Providers.token(github, env)).isEqualTo("gh");
    assertThat(Providers.token(gitlab, env)).isEqualTo("gl");
    assertThat(Providers.token(gitlab, Map.of("GIT_TOKEN", "git"))).isEqualTo("git");
    assertThatThrownBy(() -> Providers.token(gitlab, Map.of("GITHUB_TOKEN", "gh")))
        .isInstanceOf(UsageException.class).hasMessageContaining("set GITLAB_TOKEN (or GIT_TOKEN)");
  }
}
