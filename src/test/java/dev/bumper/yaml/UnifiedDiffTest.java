package dev.bumper.yaml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.RequiresTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresTools("diff")
class UnifiedDiffTest {

  @TempDir Path tmp;

  // ---- apply ----

  @Test
  void applyReplacesInsertsAndDeletes() {
    String text = "abcdef";
    List<TextEdit> edits =
        List.of(new TextEdit(4, 6, ""), new TextEdit(0, 1, "A"), new TextEdit(2, 2, "+"));

    assertThat(UnifiedDiff.apply(text, edits)).isEqualTo("Ab+cd");
  }

  @Test
  void applyKeepsListOrderOfInsertionsAtOneOffset() {
    List<TextEdit> edits =
        List.of(new TextEdit(1, 1, "x"), new TextEdit(1, 2, "B"), new TextEdit(1, 1, "y"));

    assertThat(UnifiedDiff.apply("abc", edits)).isEqualTo("axyBc");
  }

  @Test
  void applyWithoutEditsReturnsText() {
    assertThat(UnifiedDiff.apply("abc", List.of())).isEqualTo("abc");
  }

  @Test
  void applyRejectsOverlap() {
    List<TextEdit> edits = List.of(new TextEdit(0, 3, "x"), new TextEdit(2, 4, "y"));

    assertThatThrownBy(() -> UnifiedDiff.apply("abcdef", edits))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlaps");
  }

  @Test
  void applyRejectsEditBeyondText() {
    List<TextEdit> edits = List.of(new TextEdit(2, 4, "y"));

    assertThatThrownBy(() -> UnifiedDiff.apply("abc", edits))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("beyond");
    assertThatThrownBy(() -> UnifiedDiff.of("f", "abc", edits))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- of ----

  @Test
  void noEditsGiveEmptyDiff() throws Exception {
    assertThat(UnifiedDiff.of("f.yaml", "a\nb\n", List.of())).isEmpty();
  }

  @Test
  void editKeepingLineContentGivesEmptyDiff() {
    String text = "image: nginx:1.0\n";
    int at = text.indexOf("1.0");

    assertThat(UnifiedDiff.of("f", text, List.of(new TextEdit(at, at + 3, "1.0")))).isEmpty();
  }

  @Test
  void singleLineChangeMidFile() throws Exception {
    String text = lines(1, 10);
    List<TextEdit> edits = List.of(replace(text, "line 5", "line five"));

    String diff = UnifiedDiff.of("deploy/app.yaml", text, edits);

    assertThat(diff)
        .isEqualTo(
            "--- a/deploy/app.yaml\n"
                + "+++ b/deploy/app.yaml\n"
                + "@@ -2,7 +2,7 @@\n"
                + " line 2\n"
                + " line 3\n"
                + " line 4\n"
                + "-line 5\n"
                + "+line five\n"
                + " line 6\n"
                + " line 7\n"
                + " line 8\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void changesOnFirstAndLastLine() throws Exception {
    String text = lines(1, 10);
    List<TextEdit> edits =
        List.of(replace(text, "line 1\n", "first\n"), replace(text, "line 10", "last"));

    String diff = UnifiedDiff.of("f", text, edits);

    assertThat(diff)
        .isEqualTo(
            "--- a/f\n"
                + "+++ b/f\n"
                + "@@ -1,4 +1,4 @@\n"
                + "-line 1\n"
                + "+first\n"
                + " line 2\n"
                + " line 3\n"
                + " line 4\n"
                + "@@ -7,4 +7,4 @@\n"
                + " line 7\n"
                + " line 8\n"
                + " line 9\n"
                + "-line 10\n"
                + "+last\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void oldTextWithoutFinalNewline() throws Exception {
    String text = "a\nb\nc";
    List<TextEdit> edits = List.of(new TextEdit(4, 5, "C"));

    assertThat(UnifiedDiff.of("f", text, edits))
        .isEqualTo(
            "--- a/f\n"
                + "+++ b/f\n"
                + "@@ -1,3 +1,3 @@\n"
                + " a\n"
                + " b\n"
                + "-c\n"
                + "\\ No newline at end of file\n"
                + "+C\n"
                + "\\ No newline at end of file\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void addingFinalNewline() throws Exception {
    String text = "a\nb\nc";
    List<TextEdit> edits = List.of(new TextEdit(5, 5, "\n"));

    assertThat(UnifiedDiff.of("f", text, edits))
        .isEqualTo(
            "--- a/f\n"
                + "+++ b/f\n"
                + "@@ -1,3 +1,3 @@\n"
                + " a\n"
                + " b\n"
                + "-c\n"
                + "\\ No newline at end of file\n"
                + "+c\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void removingFinalNewline() throws Exception {
    String text = "a\nb\nc\n";
    List<TextEdit> edits = List.of(new TextEdit(5, 6, ""));

    assertThat(UnifiedDiff.of("f", text, edits))
        .isEqualTo(
            "--- a/f\n"
                + "+++ b/f\n"
                + "@@ -1,3 +1,3 @@\n"
                + " a\n"
                + " b\n"
                + "-c\n"
                + "+c\n"
                + "\\ No newline at end of file\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void unchangedLastLineWithoutNewlineAsContext() throws Exception {
    String text = "a\nb\nc";
    List<TextEdit> edits = List.of(new TextEdit(2, 3, "B"));

    assertThat(UnifiedDiff.of("f", text, edits))
        .isEqualTo(
            "--- a/f\n"
                + "+++ b/f\n"
                + "@@ -1,3 +1,3 @@\n"
                + " a\n"
                + "-b\n"
                + "+B\n"
                + " c\n"
                + "\\ No newline at end of file\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void insertedLine() throws Exception {
    String text = "spec:\n  image: app\n  tag: v1\n  pull: always\n";
    int at = text.indexOf("  pull");
    List<TextEdit> edits = List.of(new TextEdit(at, at, "  newTag: x\n"));

    assertThat(UnifiedDiff.of("f", text, edits))
        .isEqualTo(
            "--- a/f\n"
                + "+++ b/f\n"
                + "@@ -1,4 +1,5 @@\n"
                + " spec:\n"
                + "   image: app\n"
                + "   tag: v1\n"
                + "+  newTag: x\n"
                + "   pull: always\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void deletedLine() throws Exception {
    String text = lines(1, 10);
    List<TextEdit> edits = List.of(replace(text, "line 6\n", ""));

    assertThat(UnifiedDiff.of("f", text, edits))
        .isEqualTo(
            "--- a/f\n"
                + "+++ b/f\n"
                + "@@ -3,7 +3,6 @@\n"
                + " line 3\n"
                + " line 4\n"
                + " line 5\n"
                + "-line 6\n"
                + " line 7\n"
                + " line 8\n"
                + " line 9\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void editsFiveLinesApartShareOneHunk() throws Exception {
    String text = lines(1, 40);
    List<TextEdit> edits =
        List.of(replace(text, "line 10\n", "ten\n"), replace(text, "line 15\n", "fifteen\n"));

    String diff = UnifiedDiff.of("f", text, edits);

    assertThat(hunkHeaders(diff)).containsExactly("@@ -7,12 +7,12 @@");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void editsTwentyLinesApartGetTwoHunks() throws Exception {
    String text = lines(1, 40);
    List<TextEdit> edits =
        List.of(replace(text, "line 10\n", "ten\n"), replace(text, "line 30\n", "thirty\n"));

    String diff = UnifiedDiff.of("f", text, edits);

    assertThat(hunkHeaders(diff)).containsExactly("@@ -7,7 +7,7 @@", "@@ -27,7 +27,7 @@");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void hunksMergeAtSixUnchangedLinesAndSplitAtSeven() throws Exception {
    String text = lines(1, 40);
    List<TextEdit> six =
        List.of(replace(text, "line 10\n", "a\n"), replace(text, "line 17\n", "b\n"));
    List<TextEdit> seven =
        List.of(replace(text, "line 10\n", "a\n"), replace(text, "line 18\n", "b\n"));

    assertThat(hunkHeaders(UnifiedDiff.of("f", text, six))).hasSize(1);
    assertThat(hunkHeaders(UnifiedDiff.of("f", text, seven))).hasSize(2);
    assertSameAsDiffCli(text, six);
    assertSameAsDiffCli(text, seven);
  }

  @Test
  void lineNumbersOfLaterHunksFollowEarlierInsertions() throws Exception {
    String text = lines(1, 40);
    int at = text.indexOf("line 5\n");
    List<TextEdit> edits =
        List.of(new TextEdit(at, at, "new 1\nnew 2\nnew 3\n"), replace(text, "line 30", "x"));

    assertThat(hunkHeaders(UnifiedDiff.of("f", text, edits)))
        .containsExactly("@@ -2,6 +2,9 @@", "@@ -27,7 +30,7 @@");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void multiLineEditKeepsUnchangedLinesAsContext() throws Exception {
    String text = "a\nb\nc\nd\ne\n";
    List<TextEdit> edits = List.of(new TextEdit(2, 7, "B\nc\nD"));

    assertThat(UnifiedDiff.of("f", text, edits))
        .isEqualTo(
            "--- a/f\n"
                + "+++ b/f\n"
                + "@@ -1,5 +1,5 @@\n"
                + " a\n"
                + "-b\n"
                + "+B\n"
                + " c\n"
                + "-d\n"
                + "+D\n"
                + " e\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void joiningTwoLines() throws Exception {
    String text = "a\nb\nc\nd\n";
    List<TextEdit> edits = List.of(new TextEdit(3, 4, " "));

    assertThat(UnifiedDiff.of("f", text, edits))
        .isEqualTo(
            "--- a/f\n"
                + "+++ b/f\n"
                + "@@ -1,4 +1,3 @@\n"
                + " a\n"
                + "-b\n"
                + "-c\n"
                + "+b c\n"
                + " d\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void insertionIntoEmptyText() throws Exception {
    List<TextEdit> edits = List.of(new TextEdit(0, 0, "x\n"));

    assertThat(UnifiedDiff.of("f", "", edits))
        .isEqualTo("--- a/f\n" + "+++ b/f\n" + "@@ -0,0 +1 @@\n" + "+x\n");
    assertSameAsDiffCli("", edits);
  }

  @Test
  void appendingLinesAtEnd() throws Exception {
    String text = "a\nb\n";
    List<TextEdit> edits = List.of(new TextEdit(4, 4, "c\n"), new TextEdit(4, 4, "d\n"));

    assertThat(UnifiedDiff.of("f", text, edits))
        .isEqualTo(
            "--- a/f\n" + "+++ b/f\n" + "@@ -1,2 +1,4 @@\n" + " a\n" + " b\n" + "+c\n" + "+d\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void deletingEverything() throws Exception {
    String text = "a\nb\n";
    List<TextEdit> edits = List.of(new TextEdit(0, 4, ""));

    assertThat(UnifiedDiff.of("f", text, edits))
        .isEqualTo("--- a/f\n" + "+++ b/f\n" + "@@ -1,2 +0,0 @@\n" + "-a\n" + "-b\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void crlfLinesKeepTheirCarriageReturnSoGitApplyTakesTheDiff() throws Exception {
    String text = "a\r\nb\r\nc\r\nd\r\n";
    List<TextEdit> edits = List.of(new TextEdit(3, 4, "B"));

    assertThat(UnifiedDiff.of("f", text, edits))
        .isEqualTo(
            "--- a/f\n"
                + "+++ b/f\n"
                + "@@ -1,4 +1,4 @@\n"
                + " a\r\n"
                + "-b\r\n"
                + "+B\r\n"
                + " c\r\n"
                + " d\r\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void terminatorChangesAreChanges() throws Exception {
    assertSameAsDiffCli("a\r\nb\r\n", List.of(new TextEdit(1, 3, "\n")));
  }

  @Test
  void crlfTextWithInsertedLineAndNoFinalNewline() throws Exception {
    assertSameAsDiffCli("a\r\nb\r\nc", List.of(new TextEdit(3, 3, "new\r\n"), new TextEdit(6, 7, "C")));
  }

  @Test
  void crOnlyTextIsOneLineAsDiffSeesIt() throws Exception {
    String text = "a\rb\rc\rd\re\r";
    List<TextEdit> edits = List.of(new TextEdit(6, 7, "D"));
    assertThat(UnifiedDiff.of("f", text, edits))
        .isEqualTo("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\rb\rc\rd\re\r\n\\ No newline at end of file\n"
            + "+a\rb\rc\rD\re\r\n\\ No newline at end of file\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void lineFeedsInsertedAfterLoneCrs() throws Exception {
    assertSameAsDiffCli("a\rb\r", List.of(new TextEdit(2, 2, "\n")));
    assertSameAsDiffCli("a\rb\r", List.of(new TextEdit(2, 2, "\nx\n")));
  }

  @Test
  void mixedTerminators() throws Exception {
    assertSameAsDiffCli("a\nb\r\nc\rd", List.of(new TextEdit(5, 6, "C")));
  }

  @Test
  void multiByteCharacters() throws Exception {
    String text = "name: Grüße\nemoji: \uD83D\uDE80\nimage: 東京:1.0\nend: ü\n";
    List<TextEdit> edits =
        List.of(replace(text, "\uD83D\uDE80", "\uD83D\uDE81"), replace(text, "1.0", "2.0"));

    assertThat(UnifiedDiff.of("charts/ü/values.yaml", text, edits))
        .isEqualTo(
            "--- a/charts/ü/values.yaml\n"
                + "+++ b/charts/ü/values.yaml\n"
                + "@@ -1,4 +1,4 @@\n"
                + " name: Grüße\n"
                + "-emoji: \uD83D\uDE80\n"
                + "-image: 東京:1.0\n"
                + "+emoji: \uD83D\uDE81\n"
                + "+image: 東京:2.0\n"
                + " end: ü\n");
    assertSameAsDiffCli(text, edits);
  }

  @Test
  void randomEditsMatchDiffCli() throws Exception {
    Random random = new Random(42);
    for (int round = 0; round < 60; round++) {
      int lineCount = random.nextInt(30);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < lineCount; i++) {
        // Distinct, self-describing lines keep the line alignment unambiguous.
        text.append(i).append(":line-").append(i).append('\n');
      }
      if (lineCount > 0 && random.nextBoolean()) {
        text.setLength(text.length() - 1);
      }
      List<TextEdit> edits = new ArrayList<>();
      int from = 0;
      for (int e = random.nextInt(4); e > 0 && from <= text.length(); e--) {
        int start = from + random.nextInt(Math.min(40, text.length() - from + 1));
        int end = start + random.nextInt(Math.min(12, text.length() - start + 1));
        String replacement =
            switch (random.nextInt(4)) {
              case 0 -> "";
              case 1 -> "r" + round + "e" + e;
              case 2 -> "\nins" + round + "e" + e + "\n";
              default -> "x" + round + "e" + e + "\n";
            };
        edits.add(new TextEdit(start, end, replacement));
        from = end + 1;
      }
      assertSameAsDiffCli(text.toString(), edits);
    }
  }

  @Test
  void randomEditsOnCrlfTextMatchDiffCli() throws Exception {
    Random random = new Random(7);
    for (int round = 0; round < 60; round++) {
      int lineCount = random.nextInt(30);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < lineCount; i++) {
        text.append(i).append(":line-").append(i).append(random.nextInt(4) == 0 ? "\n" : "\r\n");
      }
      List<TextEdit> edits = new ArrayList<>();
      int from = 0;
      for (int e = random.nextInt(4); e > 0 && from <= text.length(); e--) {
        int start = from + random.nextInt(Math.min(40, text.length() - from + 1));
        start = notInsideCrlf(text, start);
        int end = start + random.nextInt(Math.min(12, text.length() - start + 1));
        end = notInsideCrlf(text, end);
        String replacement =
            switch (random.nextInt(4)) {
              case 0 -> "";
              case 1 -> "r" + round + "e" + e;
              case 2 -> "\r\nins" + round + "e" + e + "\n";
              default -> "x" + round + "e" + e + "\r\n";
            };
        edits.add(new TextEdit(start, end, replacement));
        from = end + 1;
      }
      assertSameAsDiffCli(text.toString(), edits);
    }
  }

  private static int notInsideCrlf(CharSequence text, int offset) {
    boolean inside =
        offset > 0
            && offset < text.length()
            && text.charAt(offset - 1) == '\r'
            && text.charAt(offset) == '\n';
    return inside ? offset + 1 : offset;
  }

  /** Its speed is measured by src/bench/diff.sh, never asserted here. */
  @Test
  void aFiftyMegabyteTextGetsOnlyTheHunksOfItsEdits() {
    StringBuilder builder = new StringBuilder(52_000_000);
    int lines = 0;
    while (builder.length() < 50_000_000) {
      builder.append("    - name: container-").append(lines++).append('\n');
    }
    String text = builder.toString();
    int early = text.indexOf("container-1000\n");
    int late = text.indexOf("container-" + (lines - 10) + "\n");
    List<TextEdit> edits =
        List.of(new TextEdit(early, early + 9, "sidecar"), new TextEdit(late, late + 9, "app"));

    String diff = UnifiedDiff.of("big.yaml", text, edits);
    String applied = UnifiedDiff.apply(text, edits);

    assertThat(hunkHeaders(diff))
        .containsExactly(
            "@@ -998,7 +998,7 @@", "@@ -" + (lines - 12) + ",7 +" + (lines - 12) + ",7 @@");
    assertThat(diff).contains("+    - name: sidecar-1000\n");
    assertThat(applied).hasSize(text.length() - 8);
  }

  // ---- helpers ----

  private static String lines(int from, int to) {
    StringBuilder out = new StringBuilder();
    for (int i = from; i <= to; i++) {
      out.append("line ").append(i).append('\n');
    }
    return out.toString();
  }

  private static TextEdit replace(String text, String old, String replacement) {
    int at = text.indexOf(old);
    assertThat(at).as("position of %s", old).isNotNegative();
    assertThat(text.indexOf(old, at + 1)).as("second %s", old).isNegative();
    return new TextEdit(at, at + old.length(), replacement);
  }

  private static List<String> hunkHeaders(String diff) {
    return diff.lines().filter(line -> line.startsWith("@@")).toList();
  }

  private void assertSameAsDiffCli(String oldText, List<TextEdit> edits)
      throws IOException, InterruptedException {
    assertSameAsDiffCli(oldText, edits, "-u");
  }

  /** Compares with GNU diff, past the headers, which carry file names and timestamps. */
  private void assertSameAsDiffCli(String oldText, List<TextEdit> edits, String option)
      throws IOException, InterruptedException {
    String newText = UnifiedDiff.apply(oldText, edits);
    Files.createDirectories(tmp.resolve("a"));
    Files.createDirectories(tmp.resolve("b"));
    Files.writeString(tmp.resolve("a/f"), oldText, UTF_8);
    Files.writeString(tmp.resolve("b/f"), newText, UTF_8);
    Process process =
        new ProcessBuilder("diff", "-u", option, "a/f", "b/f")
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .start();
    String cli = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(cli).isLessThan(2);

    String ours = UnifiedDiff.of("f", oldText, edits);

    assertThat(withoutHeaders(ours))
        .as("edits %s on %s", edits, oldText)
        .isEqualTo(withoutHeaders(cli));
  }

  private static String withoutHeaders(String diff) {
    if (diff.isEmpty()) {
      return diff;
    }
    assertThat(diff).startsWith("--- ");
    int second = diff.indexOf('\n') + 1;
    assertThat(diff.substring(second)).startsWith("+++ ");
    return diff.substring(diff.indexOf('\n', second) + 1);
  }
}
