package dev.bumper.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.failure.ExitCode;
import dev.bumper.image.ImageUpdate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * Edits as JSON, as intents and pull-request branches record them: a rollback, a release and a
 * forced bump come back equal, so that a replay makes the same change; and the holds file reads
 * back as it was written.
 */
class EditJsonTest {
  private static Edit roundTrip(Edit edit) {
    Object parsed = new Load(LoadSettings.builder().setSchema(new JsonSchema()).build())
        .loadFromString(EditJson.toJson(edit));
    return EditJson.read(parsed);
  }

  @Test
  void aRollbackWithItsHoldComesBackEqual() {
    Holds.Hold hold = new Holds.Hold("overlays/production", "5xx \"after\" 1.4.2\nreally",
        "a".repeat(40), "b".repeat(40), "2026-12-03T14:40:05Z", "Jane <jane@example.com>");
    RollbackEdit edit = new RollbackEdit("", "overlays/production", List.of(
        new RollbackEdit.Restore("overlays/production/kustomization.yaml",
            List.of(ImageUpdate.parse("ghcr.io/acme/web:1.4.1@sha256:" + "c".repeat(64)))),
        new RollbackEdit.Restore("overlays/production/values.yaml",
            List.of(ImageUpdate.parse("ghcr.io/acme/api:2.0.0")))),
        hold, "b".repeat(40), "a".repeat(40));
    assertThat(roundTrip(edit)).isEqualTo(edit);
    assertThat(edit.trailers("")).containsEntry("Rollback-Of", "b".repeat(40));
    RollbackEdit noHold = new RollbackEdit("", "apps", List.of(), null, "", "d".repeat(40));
    assertThat(roundTrip(noHold)).isEqualTo(noHold);
    assertThat(noHold.trailers("")).isEmpty();
  }

  @Test
  void aReleaseAndForcedBumpsComeBackEqualAndAnUnforcedOneReadsAsBefore() {
    assertThat(roundTrip(new ReleaseEdit("", "overlays/production")))
        .isEqualTo(new ReleaseEdit("", "overlays/production"));
    ManifestEdit bump = new ManifestEdit("", List.of(ImageUpdate.parse("web:2")), List.of(),
        List.of(), List.of(), List.of(), List.of("apps"), false, false);
    assertThat(EditJson.toJson(bump)).doesNotContain("force");
    assertThat(roundTrip(bump)).isEqualTo(bump);
    assertThat(roundTrip(bump.forced())).isEqualTo(bump.forced());
    KustomizationEdit set = new KustomizationEdit("", "k/kustomization.yaml", List.of("web:2"));
    assertThat(roundTrip(set.forced())).isEqualTo(set.forced());
    assertThat(roundTrip(set)).isEqualTo(set);
  }

  @Test
  void theHoldsFileReadsBackAsWrittenAndABrokenOneStopsEveryBump() {
    List<Holds.Hold> holds = List.of(
        new Holds.Hold("b/", "x: y # not a comment", "1", "2", "now", "me"),
        new Holds.Hold("./a", "", "", "", "", ""));
    byte[] text = Holds.render(holds);
    List<Holds.Hold> read = Holds.parse(".bumper/holds.yaml", text);
    assertThat(read).extracting(Holds.Hold::path).containsExactly("a", "b");
    assertThat(read.get(1).reason()).isEqualTo("x: y # not a comment");
    assertThat(Holds.covering(read, "b/kustomization.yaml")).isEqualTo(read.get(1));
    assertThat(Holds.covering(read, "bb/kustomization.yaml")).isNull();
    assertThat(Holds.parse("h", Holds.render(List.of()))).isEmpty();
    assertThatThrownBy(() -> Holds.parse("h", "holds: {a: 1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(EditFailedException.class)
        .satisfies(e -> assertThat(((EditFailedException) e).exitCode())
            .isEqualTo(ExitCode.INVALID_INPUT));
  }
}
