package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommitSpecTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final PersonIdent BOT = new PersonIdent("CI Bot", "ci@example.com");
  private static final List<String> ONE = List.of("ghcr.io/acme/web 1.4.1 -> 1.4.2");
  private static final List<String> THREE =
      List.of("ghcr.io/acme/web 1.4.1 -> 1.4.2", "ghcr.io/acme/api 2.0.0 -> 2.1.0", "ghcr.io/acme/worker 3.3.0 -> 3.3.1");

  private static Map<String, String> values() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("sha", SHA);
    values.put("branch", "main");
    values.put("repo", "https://github.com/acme/config.git");
    values.put("build_url", "https://acme.semaphoreci.com/workflows/wf-1");
    return values;
  }

  private static Map<String, String> trailers(String sha, String buildUrl) {
    Map<String, String> trailers = new LinkedHashMap<>();
    trailers.put("Source-Commit", sha);
    trailers.put("Build-URL", buildUrl);
    return trailers;
  }

  private static CommitSpec spec(String template, boolean skipCi) {
    return new CommitSpec(BOT, template, values(), trailers("", ""), skipCi);
  }

  // ---- template placeholders

  @Test
  void defaultTemplateIsTheSummary() {
    assertThat(spec(CommitSpec.DEFAULT_TEMPLATE, false).message(ONE)).isEqualTo("ghcr.io/acme/web 1.4.1 -> 1.4.2\n");
  }

  @Test
  void summaryOfSeveralNamesTheFirstAndCountsTheRest() {
    assertThat(spec("{summary}", false).message(THREE))
        .isEqualTo("ghcr.io/acme/web 1.4.1 -> 1.4.2 (and 2 more)\n");
  }

  @Test
  void summaryOfNothing() {
    assertThat(spec("{summary}", false).message(List.of())).isEqualTo("Update config\n");
  }

  @Test
  void changesIsOneLinePerBump() {
    assertThat(spec("Bump images\n\n{changes}", false).message(THREE))
        .isEqualTo(
            "Bump images\n\nghcr.io/acme/web 1.4.1 -> 1.4.2\nghcr.io/acme/api 2.0.0 -> 2.1.0\nghcr.io/acme/worker 3.3.0 -> 3.3.1\n");
  }

  @Test
  void everyPlaceholder() {
    String message =
        spec("{summary}|{sha}|{short_sha}|{branch}|{repo}|{build_url}", false).message(ONE);
    assertThat(message)
        .isEqualTo(
            "ghcr.io/acme/web 1.4.1 -> 1.4.2|" + SHA + "|0123456|main|https://github.com/acme/config.git"
                + "|https://acme.semaphoreci.com/workflows/wf-1\n");
  }

  @Test
  void placeholderUsedTwice() {
    assertThat(spec("{short_sha} {short_sha}", false).message(ONE)).isEqualTo("0123456 0123456\n");
  }

  @Test
  void shortShaOfAShortOrMissingSha() {
    CommitSpec shortSha = new CommitSpec(BOT, "x{short_sha}x", Map.of("sha", "abc12"), Map.of(), false);
    assertThat(shortSha.message(ONE)).isEqualTo("xabc12x\n");
    CommitSpec noSha = new CommitSpec(BOT, "x{short_sha}x", Map.of("sha", ""), Map.of(), false);
    assertThat(noSha.message(ONE)).isEqualTo("xx\n");
  }

  @Test
  void unknownPlaceholderAndOtherBracesAreKept() {
    assertThat(spec("{nope} {Summary} {} {summary", false).message(ONE)).isEqualTo("{nope} {Summary} {} {summary\n");
  }

  @Test
  void valuesAreInsertedLiterally() {
    // $ and \ are special in Matcher.appendReplacement
    CommitSpec spec = new CommitSpec(BOT, "{summary}", Map.of(), Map.of(), false);
    assertThat(spec.message(List.of("a$1\\b {sha}"))).isEqualTo("a$1\\b {sha}\n");
  }

  @Test
  void messageIsStrippedAndEndsWithOneNewline() {
    assertThat(spec("\n  Deploy {summary}  \n\n", false).message(ONE)).isEqualTo("Deploy ghcr.io/acme/web 1.4.1 -> 1.4.2\n");
  }

  // ---- [skip ci]

  @Test
  void skipCiGoesOnTheSubject() {
    assertThat(spec("Deploy {summary}", true).message(ONE)).isEqualTo("Deploy ghcr.io/acme/web 1.4.1 -> 1.4.2 [skip ci]\n");
  }

  @Test
  void skipCiGoesOnTheSubjectLineOnly() {
    String message = spec("Deploy {summary}\n\n{changes}", true).message(THREE);
    List<String> lines = message.lines().toList();
    assertThat(lines.get(0)).isEqualTo("Deploy ghcr.io/acme/web 1.4.1 -> 1.4.2 (and 2 more) [skip ci]");
    assertThat(lines.subList(1, lines.size())).noneMatch(line -> line.contains("[skip ci]"));
    assertThat(message).containsOnlyOnce("[skip ci]");
  }

  @Test
  void noSkipCiUnlessAsked() {
    assertThat(spec("Deploy {summary}", false).message(ONE)).doesNotContain("skip ci");
  }

  // ---- trailers

  @Test
  void trailersFollowABlankLine() {
    CommitSpec spec =
        new CommitSpec(BOT, "Deploy {summary}", values(), trailers(SHA, "https://acme.semaphoreci.com/workflows/wf-1"), true);
    assertThat(spec.message(ONE))
        .isEqualTo(
            "Deploy ghcr.io/acme/web 1.4.1 -> 1.4.2 [skip ci]\n\n"
                + "Source-Commit: " + SHA + "\n"
                + "Build-URL: https://acme.semaphoreci.com/workflows/wf-1\n");
  }

  @Test
  void trailersAfterABody() {
    CommitSpec spec = new CommitSpec(BOT, "Deploy\n\n{changes}", values(), trailers(SHA, ""), false);
    assertThat(spec.message(ONE))
        .isEqualTo("Deploy\n\nghcr.io/acme/web 1.4.1 -> 1.4.2\n\nSource-Commit: " + SHA + "\n");
  }

  @Test
  void emptyTrailerIsOmitted() {
    CommitSpec onlyBuild =
        new CommitSpec(BOT, "{summary}", values(), trailers("", "https://ci.example.com/b/1"), false);
    assertThat(onlyBuild.message(ONE))
        .isEqualTo("ghcr.io/acme/web 1.4.1 -> 1.4.2\n\nBuild-URL: https://ci.example.com/b/1\n")
        .doesNotContain("Source-Commit");
  }

  @Test
  void noTrailersNoBlankLine() {
    assertThat(spec("{summary}", false).message(ONE)).isEqualTo("ghcr.io/acme/web 1.4.1 -> 1.4.2\n").doesNotContain("\n\n");
  }

  @Test
  void trailersKeepTheirOrder() {
    Map<String, String> trailers = new LinkedHashMap<>();
    trailers.put("Build-URL", "https://ci.example.com/b/1");
    trailers.put("Source-Commit", SHA);
    String message = new CommitSpec(BOT, "x", Map.of(), trailers, false).message(ONE);
    assertThat(message).isEqualTo("x\n\nBuild-URL: https://ci.example.com/b/1\nSource-Commit: " + SHA + "\n");
  }

  @Test
  void specIsNotChangedByItsCallerAfterwards() {
    Map<String, String> values = values();
    CommitSpec spec = new CommitSpec(BOT, "{branch}", values, Map.of(), false);
    values.put("branch", "other");
    assertThat(spec.message(ONE)).isEqualTo("main\n");
  }

  // ---- author

  @Test
  void authorNameAndEmail() {
    PersonIdent who = CommitSpec.parseAuthor("CI Bot <ci@example.com>");
    assertThat(who.getName()).isEqualTo("CI Bot");
    assertThat(who.getEmailAddress()).isEqualTo("ci@example.com");
  }

  @Test
  void authorSurroundingSpaceIsTrimmed() {
    PersonIdent who = CommitSpec.parseAuthor("  Jane Q. Doe   <jane@example.com>  ");
    assertThat(who.getName()).isEqualTo("Jane Q. Doe");
    assertThat(who.getEmailAddress()).isEqualTo("jane@example.com");
  }

  @Test
  void authorWithUnicodeName() {
    PersonIdent who = CommitSpec.parseAuthor("Zoë Åström <zoe@example.com>");
    assertThat(who.getName()).isEqualTo("Zoë Åström");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "CI Bot",
        "ci@example.com",
        "<ci@example.com>",
        "CI Bot <ci@example.com",
        "CI Bot ci@example.com>",
        "CI Bot <ci@example.com> trailing",
        "CI\nBot <ci@example.com>",
      })
  void invalidAuthor(String text) {
    assertThatThrownBy(() -> CommitSpec.parseAuthor(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid --author")
        .hasMessageContaining("Name <email>");
  }

  @Test
  void blankAuthorNameIsRefused() {
    assertThatThrownBy(() -> CommitSpec.parseAuthor(" <ci@example.com>")).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"CI Bot <a<b>", "CI Bot <ci@example.com> <b>"})
  void angleBracketInAuthorNameIsRefused(String text) {
    assertThatThrownBy(() -> CommitSpec.parseAuthor(text)).isInstanceOf(IllegalArgumentException.class);
  }

}
