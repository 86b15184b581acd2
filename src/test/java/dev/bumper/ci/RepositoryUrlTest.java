package dev.bumper.ci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepositoryUrlTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "git@github.com:/org/repo.git                    | https://github.com/org/repo",
        "git@github.com:org/repo.git                     | https://github.com/org/repo",
        "github.com:org/repo                             | https://github.com/org/repo",
        "ssh://git@github.com/org/repo.git               | https://github.com/org/repo",
        "ssh://git@gitlab.acme.internal:2222/g/sub/r.git | https://gitlab.acme.internal/g/sub/r",
        "git://example.org/org/repo.git                  | https://example.org/org/repo",
        "https://github.com/org/repo.git                 | https://github.com/org/repo",
        "https://github.com/org/repo/                    | https://github.com/org/repo",
        "https://x-access-token:ghs_abc@github.com/o/r   | https://github.com/o/r",
        "http://gitea.local:3000/o/r.git                 | http://gitea.local:3000/o/r",
        "HTTPS://GitHub.com/o/r                          | https://GitHub.com/o/r",
        "file:///srv/git/config.git                      | file:///srv/git/config.git",
        "/srv/git/config.git                             | /srv/git/config.git",
        "C:/repos/config                                 | C:/repos/config",
      })
  void webAddressOfACloneUrl(String url, String expected) {
    assertThat(RepositoryUrl.browsable(url)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(value = {"''", "'   '"})
  void emptyStaysEmpty(String url) {
    assertThat(RepositoryUrl.browsable(url)).isEmpty();
  }
}
