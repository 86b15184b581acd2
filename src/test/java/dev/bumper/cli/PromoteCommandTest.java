package dev.bumper.cli;

import static dev.bumper.cli.PromoteFixture.digest;
import static dev.bumper.cli.Run.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bumper promote} in a directory, run in-process, against real files. */
class PromoteCommandTest {
  private static final String[] STAGING_TO_PRODUCTION = {
    "--from", "overlays/staging", "--to", "overlays/production"
  };

  @TempDir Path tmp;

  @Test
  void setsWhatStagingRunsInProductionAndNothingElse() throws IOException {
    Path root = config(PromoteFixture.files());
    assertThat(PromoteFixture.promoted()).isNotEqualTo(PromoteFixture.files());

    Run run = promote(root);

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(read(root)).isEqualTo(PromoteFixture.promoted());
    assertThat(run.out())
        .contains("overlays/production/report.yaml:12: ghcr.io/acme/report:3.1.0@" + digest('3')
            + " -> ghcr.io/acme/report:3.2.0@" + digest('c'))
        .contains("4 images of overlays/staging promoted in overlays/production (3 files changed)");
  }

  @Test
  void promotingAgainIsANoOp() throws IOException {
    Path root = config(PromoteFixture.promoted());

    Run run = promote(root);

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("already up to date");
    assertThat(read(root)).isEqualTo(PromoteFixture.promoted());
  }

  @Test
  void anImageStagingRunsAtTwoReferencesIsRefusedAndNothingIsWritten() throws IOException {
    Map<String, String> files = PromoteFixture.files();
    files.put("overlays/staging/canary.yaml", PromoteFixture.STAGING_REPORT
        .replace("name: report", "name: report-canary").replace("3.2.0@" + digest('c'),
            "3.2.1-rc.1@" + digest('f')));
    Path root = config(files);

    Run run = promote(root);

    assertThat(run.code()).as(run.toString()).isEqualTo(4);
    assertThat(run.err())
        .contains("overlays/staging deploys ghcr.io/acme/report at 2 references:")
        .contains("ghcr.io/acme/report:3.2.0@" + digest('c')
            + " at overlays/staging/report.yaml:10")
        .contains("ghcr.io/acme/report:3.2.1-rc.1@" + digest('f')
            + " at overlays/staging/canary.yaml:10")
        .contains("nothing written");
    assertThat(read(root)).isEqualTo(files);

    // as JSON, the error holds every line of it: each reference and where it is written
    Run json = promote(root, "--output", "json");

    assertThat(json.code()).isEqualTo(4);
    assertThat((String) StrictJson.parseObject(json.out()).get("error"))
        .startsWith("overlays/staging deploys ghcr.io/acme/report at 2 references:\n")
        .contains("ghcr.io/acme/report:3.2.0@" + digest('c') + " at overlays/staging/report.yaml:10")
        .contains("ghcr.io/acme/report:3.2.1-rc.1@" + digest('f') + " at overlays/staging/canary.yaml:10")
        .endsWith("which one to promote is not clear; nothing written");
    assertThat(read(root)).isEqualTo(files);
  }

  @Test
  void theMixedImageIsNoObstacleWhenOnlyAnotherIsPromoted() throws IOException {
    Map<String, String> files = PromoteFixture.files();
    files.put("overlays/staging/canary.yaml", PromoteFixture.STAGING_REPORT
        .replace("3.2.0@" + digest('c'), "3.2.1-rc.1@" + digest('f')));
    Path root = config(files);

    Run run = promote(root, "--image", "ghcr.io/acme/api");

    assertThat(run.code()).as(run.toString()).isZero();
    Map<String, String> expected = new TreeMap<>(files);
    expected.put("overlays/production/values.yaml", PromoteFixture.PRODUCTION_VALUES_PROMOTED);
    assertThat(read(root)).isEqualTo(expected);
  }

  @Test
  void aTagWithoutADigestIsRefusedUnlessPinned() throws IOException {
    Map<String, String> files = PromoteFixture.files();
    files.put("overlays/staging/values.yaml",
        PromoteFixture.STAGING_VALUES.replace("    digest: " + digest('d') + "\n", ""));
    Path root = config(files);

    Run run = promote(root);

    assertThat(run.code()).as(run.toString()).isEqualTo(4);
    assertThat(run.err())
        .contains("overlays/staging deploys ghcr.io/acme/api:5.0.1 without a digest"
            + " (overlays/staging/values.yaml:3)")
        .contains("give --pin-digest");
    assertThat(read(root)).isEqualTo(files);
  }

  @Test
  void anImageNamedThatEitherSideLacksMatchesNothing() throws IOException {
    Path root = config(PromoteFixture.files());

    Run debug = promote(root, "--image", "ghcr.io/acme/debug");
    Run typo = promote(root, "-i", "ghcr.io/acme/wbe");

    assertThat(debug.code()).as(debug.toString()).isEqualTo(3);
    assertThat(debug.err())
        .contains("--image ghcr.io/acme/debug: overlays/production does not use it");
    assertThat(typo.code()).as(typo.toString()).isEqualTo(3);
    assertThat(typo.err())
        .contains("--image ghcr.io/acme/wbe: overlays/staging deploys no such image");
    assertThat(read(root)).isEqualTo(PromoteFixture.files());
  }

  @Test
  void usageErrors() throws IOException {
    Path root = config(PromoteFixture.files());

    Run missing = run("promote", "-C", root.toString(), "--from", "overlays/stagin", "--to",
        "overlays/production");
    Run nested = run("promote", "-C", root.toString(), "--from", "overlays", "--to",
        "overlays/production");
    Run outside = run("promote", "-C", root.toString(), "--from", "../x", "--to", "overlays");
    Run tagged = promote(root, "--image", "ghcr.io/acme/web:1.0");
    Run noTo = run("promote", "-C", root.toString(), "--from", "overlays/staging");

    assertThat(missing.code()).as(missing.toString()).isEqualTo(2);
    assertThat(missing.err()).contains("overlays/stagin");
    assertThat(nested.code()).as(nested.toString()).isEqualTo(2);
    assertThat(nested.err()).contains("one environment inside the other");
    assertThat(outside.code()).as(outside.toString()).isEqualTo(2);
    assertThat(outside.err()).contains("outside the repository");
    assertThat(tagged.code()).as(tagged.toString()).isEqualTo(2);
    assertThat(tagged.err()).contains("without a tag or digest");
    assertThat(noTo.code()).as(noTo.toString()).isEqualTo(2);
    assertThat(noTo.err()).contains("--to");
    assertThat(read(root)).isEqualTo(PromoteFixture.files());
  }

  @Test
  void dryRunPrintsTheDiffAndWritesNothing() throws IOException {
    Path root = config(PromoteFixture.files());

    Run run = promote(root, "--dry-run");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("--- a/overlays/production/values.yaml")
        .contains("-    tag: \"5.0.0\"")
        .contains("+    tag: \"5.0.1\"");
    assertThat(run.err()).contains("would be promoted").contains("dry run, nothing written");
    assertThat(read(root)).isEqualTo(PromoteFixture.files());
  }

  @Test
  void jsonNamesTheReferencesReadAndTheChangesMade() throws IOException {
    Path root = config(PromoteFixture.files());

    Run run = run(Stream.concat(Stream.of("--output", "json", "promote", "-C", root.toString()),
        Stream.of(STAGING_TO_PRODUCTION)).toArray(String[]::new));

    assertThat(run.code()).as(run.toString()).isZero();
    Map<String, Object> json = StrictJson.parseObject(run.out());
    assertThat(json).containsEntry("changed", true).containsEntry("dryRun", false)
        .containsEntry("from", "overlays/staging").containsEntry("to", "overlays/production")
        .containsEntry("filesChanged", 3L);
    assertThat((java.util.List<?>) json.get("images")).hasSize(4).first().isEqualTo(Map.of(
        "repository", "ghcr.io/acme/web",
        "reference", "ghcr.io/acme/web:1.4.2@" + digest('a'),
        "pinned", false,
        "places", java.util.List.of("overlays/staging/kustomization.yaml:8")));
    assertThat((java.util.List<?>) json.get("unused")).hasSize(1);
    assertThat((java.util.List<?>) json.get("changes")).hasSize(4);
  }

  @Test
  void helpShowsExamples() {
    Run run = run("promote", "--help");

    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("--from").contains("--to").contains("--pin-digest")
        .contains("bumper promote --repo https://github.com/acme/config.git --push");
  }

  private Run promote(Path root, String... more) {
    return run(Stream.of(Stream.of("promote", "-C", root.toString()),
        Stream.of(STAGING_TO_PRODUCTION), Stream.of(more)).flatMap(s -> s).toArray(String[]::new));
  }

  private Path config(Map<String, String> files) throws IOException {
    Path root = Files.createDirectories(tmp.resolve("config"));
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = root.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue(), UTF_8);
    }
    return root;
  }

  /** Every file under the root, byte for byte (as UTF-8 text), by path. */
  private static Map<String, String> read(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(path).toString().replace('\\', '/'),
            new String(Files.readAllBytes(path), UTF_8));
      }
    }
    return files;
  }
}
