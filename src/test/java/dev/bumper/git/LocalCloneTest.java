package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;

class LocalCloneTest {
  private static boolean same(String configured, String wanted) throws Exception {
    return LocalClone.sameRepository(configured, new URIish(wanted));
  }

  @Test
  void urlsThatDifferOnlyInCredentialsOrSuffixNameTheSameRepository() throws Exception {
    assertThat(same("https://github.com/acme/config.git", "https://x-access-token:t0k3n@github.com/acme/config")).isTrue();
    assertThat(same("https://github.com/acme/config", "https://GitHub.com/acme/config.git/")).isTrue();
    assertThat(same("/srv/git/config.git", "file:///srv/git/config.git/")).isTrue();
    assertThat(same("git@github.com:acme/config.git", "git@github.com:/acme/config.git")).isTrue();
    assertThat(same("ssh://git@github.com/acme/config.git", "git@github.com:acme/config.git")).isTrue();
  }

  @Test
  void otherRepositoriesHostsOrPortsAreDifferent() throws Exception {
    assertThat(same("https://github.com/acme/config.git", "https://github.com/acme/other.git")).isFalse();
    assertThat(same("https://github.com/acme/config.git", "https://gitlab.com/acme/config.git")).isFalse();
    assertThat(same("ssh://git@host:2222/config.git", "ssh://git@host/config.git")).isFalse();
    assertThat(same("https://github.com/acme/config.git", "http://github.com/acme/config.git")).isFalse();
  }
}
