package dev.bumper.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> SEEN =
      List.of("ghcr.io/acme/web", "ghcr.io/acme/api", "nginx", "docker.io/library/nginx", "quay.io/acme/worker",
          "registry.example.com/platform/web");

  @Test
  void aTypoIsCorrected() {
    assertThat(Suggestions.closest("ghcr.io/acme/wbe", SEEN)).first().isEqualTo("ghcr.io/acme/web");
    assertThat(Suggestions.closest("docker.io/library/ngnix", SEEN)).containsExactly("nginx");
  }

  @Test
  void theSameImageNameElsewhereIsNamed() {
    assertThat(Suggestions.closest("ghcr.io/acme/worker", SEEN)).containsExactly("quay.io/acme/worker");
    assertThat(Suggestions.closest("docker.io/acme/web", SEEN))
        .containsExactlyInAnyOrder("ghcr.io/acme/web", "registry.example.com/platform/web");
  }

  @Test
  void oneRepositorySpelledTwiceIsNamedOnce() {
    assertThat(Suggestions.closest("docker.io/acme/nginx", SEEN)).containsExactly("nginx");
  }

  @Test
  void nothingCloseIsNoSuggestion() {
    assertThat(Suggestions.closest("ghcr.io/other/database", SEEN)).isEmpty();
    assertThat(Suggestions.closest("ghcr.io/acme/web", List.of("ghcr.io/acme/web"))).isEmpty();
  }

  @Test
  void distanceCountsInsertsDeletesAndSubstitutions() {
    assertThat(Suggestions.distance("web", "web")).isZero();
    assertThat(Suggestions.distance("web", "wbe")).isEqualTo(2);
    assertThat(Suggestions.distance("web", "webs")).isEqualTo(1);
    assertThat(Suggestions.distance("", "api")).isEqualTo(3);
  }
}
