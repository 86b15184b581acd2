package dev.bumper.edit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.failure.UsageException;
import dev.bumper.image.ImageReference;
import dev.bumper.io.JsonReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link PromoteEdit} applied to a tree held in memory, and as JSON for intents. */
class PromoteEditTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final String STAGING = """
      images:
        - name: ghcr.io/acme/web
          newTag: "2.0"
      """;
  private static final String PRODUCTION = """
      images:
        - name: ghcr.io/acme/web # pinned
          newTag: "1.0"
          digest: %s
      """.formatted(B);

  @Test
  void aTagIsPinnedToTheDigestLookedUpAndTheDigestIsRemembered() throws Exception {
    List<ImageReference> asked = new ArrayList<>();
    PromoteEdit edit = new PromoteEdit("", "staging", "production", List.of(), true, tagged -> {
      asked.add(tagged);
      return A;
    });

    PromoteEditResult result = edit.apply(tree());

    assertThat(asked).extracting(Object::toString).containsExactly("ghcr.io/acme/web:2.0");
    assertThat(new String(result.edits().get(0).content(), UTF_8)).isEqualTo(
        PRODUCTION.replace("\"1.0\"", "\"2.0\"").replace(B, A));
    assertThat(result.looked()).isEqualTo(Map.of("ghcr.io/acme/web:2.0", A));
    assertThat(result.promoted()).singleElement().satisfies(image -> {
      assertThat(image.pinned()).isTrue();
      assertThat(image.reference().toString()).isEqualTo("ghcr.io/acme/web:2.0@" + A);
    });
    assertThat(result.summaries()).containsExactly("Promote staging to production: ghcr.io/acme/web"
        + " 1.0@sha256:bbbbbbbbbbbb -> 2.0@sha256:aaaaaaaaaaaa");
  }

  @Test
  void aReplayReadBackFromJsonUsesThePinnedDigestAndAsksNoRegistry() throws Exception {
    PromoteEdit recorded = new PromoteEdit("config", "staging", "production",
        List.of("ghcr.io/acme/web"), true, null).withPinned(Map.of("ghcr.io/acme/web:2.0", A));

    Edit read = EditJson.read(JsonReader.parse(EditJson.toJson(recorded)));

    assertThat(read).isEqualTo(recorded);
    PromoteEdit replay = ((PromoteEdit) read).atRoot("");
    assertThat(new String(replay.apply(tree()).edits().get(0).content(), UTF_8)).contains(A);
  }

  @Test
  void aNewTagOnAReplayWithoutARegistryFails() {
    PromoteEdit replay = new PromoteEdit("", "staging", "production", List.of(), true,
        Map.of("ghcr.io/acme/web:1.9", A), null);

    assertThatThrownBy(() -> replay.apply(tree()))
        .isInstanceOfSatisfying(EditFailedException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(1);
          assertThat(e.lines().get(0)).contains("staging now deploys ghcr.io/acme/web:2.0");
        });
  }

  @Test
  void withoutPinDigestATagIsRefused() {
    PromoteEdit edit = new PromoteEdit("", "staging", "production", List.of(), false, null);

    assertThatThrownBy(() -> edit.apply(tree()))
        .isInstanceOfSatisfying(EditFailedException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(4);
          assertThat(e.lines()).first().asString().isEqualTo(
              "bumper: staging deploys ghcr.io/acme/web:2.0 without a digest"
                  + " (staging/kustomization.yaml:2)");
        });
  }

  @Test
  void trailersNameTheSourceAndTheCommitItWasReadFrom() {
    PromoteEdit edit = new PromoteEdit("config", "overlays/staging/", "overlays/production",
        List.of(), false, null);

    assertThat(edit.trailers("3f9c2e")).containsExactly(
        Map.entry("Promoted-From", "config/overlays/staging"),
        Map.entry("Promoted-From-Commit", "3f9c2e"));
  }

  @Test
  void environmentsThatOverlapOrLeaveTheRepositoryAreUsageErrors() {
    assertThatThrownBy(() -> new PromoteEdit("", "a", "a/b", List.of(), false, null))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> new PromoteEdit("", ".", "a", List.of(), false, null))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> new PromoteEdit("", "a/../../b", "a", List.of(), false, null))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> new PromoteEdit("", "a", "b", List.of("web@" + A), false, null))
        .isInstanceOf(UsageException.class);
  }

  private static ListedTree tree() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("production/kustomization.yaml", PRODUCTION);
    files.put("staging/kustomization.yaml", STAGING);
    return new ListedTree() {
      @Override
      public List<String> paths() {
        return List.copyOf(files.keySet());
      }

      @Override
      public byte[] read(String path) {
        return files.get(path).getBytes(UTF_8);
      }
    };
  }
}
