package dev.bumper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void theVersionAndHelpStartNoGit() {
    assertThat(Main.usesGit(new String[0])).isFalse();
    assertThat(Main.usesGit(new String[] {"--version"})).isFalse();
    assertThat(Main.usesGit(new String[] {"bump-manifest", "--help"})).isFalse();
    assertThat(Main.usesGit(new String[] {"help", "bump-manifest"})).isFalse();
  }

  @Test
  void aCommandMayOpenARepository() {
    assertThat(Main.usesGit(new String[] {"bump-manifest", "--repo", "URL", "--push", "-i", "a:1"}))
        .isTrue();
    assertThat(Main.usesGit(new String[] {"-v", "commit-push"})).isTrue();
  }

  @Test
  void onlyARemoteBumpLoadsJGitAhead() {
    assertThat(Main.namesRemote(new String[] {"bump-manifest", "--repo", "URL", "--push", "-i", "a:1"}))
        .isTrue();
    assertThat(Main.namesRemote(new String[] {"bump-manifest", "--repo=URL", "-i", "a:1"})).isTrue();
    assertThat(Main.namesRemote(new String[] {"bump-manifest", "-C", "config", "-i", "a:1"})).isFalse();
    assertThat(Main.namesRemote(new String[] {"-v", "commit-push"})).isFalse();
  }
}
