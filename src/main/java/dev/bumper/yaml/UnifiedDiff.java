package dev.bumper.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies {@link TextEdit}s to a text and renders them as a unified diff.
 *
 * <p>The diff is derived from the edits themselves instead of from a line diff of the two whole
 * texts: manifests can be tens of megabytes while a bump touches a handful of lines, so only the
 * lines around each edit are ever split or compared. The text is scanned once, forwards, up to the
 * last edit (plus context) to count lines.
 */
public final class UnifiedDiff {

  private static final int CONTEXT = 3;

  private static final String NO_NEWLINE = "\\ No newline at end of file\n";

  private UnifiedDiff() {}

  /**
   * Returns {@code text} with {@code edits} applied.
   *
   * <p>Edits may be given in any order; they are applied in {@link TextEdit} order, and edits with
   * the same span (several insertions at one offset) keep their list order.
   *
   * @throws IllegalArgumentException if an edit ends beyond the text or two edits overlap
   */
  public static String apply(String text, List<TextEdit> edits) {
    List<TextEdit> sorted = checkedSorted(text, edits);
    long length = text.length();
    for (TextEdit edit : sorted) {
      length += edit.replacement().length() - (edit.end() - edit.start());
    }
    if (length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("result too large: " + length + " chars");
    }
    StringBuilder out = new StringBuilder((int) length);
    int copied = 0;
    for (TextEdit edit : sorted) {
      out.append(text, copied, edit.start()).append(edit.replacement());
      copied = edit.end();
    }
    out.append(text, copied, text.length());
    return out.toString();
  }

  /**
   * Returns a unified diff ({@code git diff} style headers, 3 lines of context) between {@code
   * oldText} and {@code apply(oldText, edits)}, or {@code ""} when no line changes.
   *
   * <p>Lines end at LF, as {@code diff} and {@code git apply} see them: a CR before the LF is part
   * of the line's content, so the diff of a CRLF file applies to it byte for byte. A missing final
   * newline is shown as {@code \ No newline at end of file} like {@code diff -u}.
   *
   * @param path shown as {@code a/PATH} and {@code b/PATH}, as given
   * @throws IllegalArgumentException if an edit ends beyond the text or two edits overlap
   */
  public static String of(String path, String oldText, List<TextEdit> edits) {
    Objects.requireNonNull(path, "path");
    List<TextEdit> sorted = checkedSorted(oldText, edits);
    List<Change> changes = changes(oldText, sorted);
    if (changes.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    out.append("--- a/").append(path).append('\n');
    out.append("+++ b/").append(path).append('\n');
    int first = 0;
    while (first < changes.size()) {
      int last = first;
      while (last + 1 < changes.size()
          && changes.get(last + 1).oldStart - changes.get(last).oldEnd() <= 2 * CONTEXT) {
        last++;
      }
      appendHunk(out, oldText, changes.subList(first, last + 1));
      first = last + 1;
    }
    return out.toString();
  }

  private static List<TextEdit> checkedSorted(String text, List<TextEdit> edits) {
    Objects.requireNonNull(text, "text");
    List<TextEdit> sorted = new ArrayList<>(edits);
    sorted.sort(null); // stable, so equal spans keep their given order
    int previousEnd = 0;
    for (TextEdit edit : sorted) {
      if (edit.end() > text.length()) {
        throw new IllegalArgumentException(
            "edit " + edit + " ends beyond the text (" + text.length() + " chars)");
      }
      if (edit.start() < previousEnd) {
        throw new IllegalArgumentException("edit " + edit + " overlaps a previous edit");
      }
      previousEnd = edit.end();
    }
    return sorted;
  }

  // ---- Edits to changed line blocks ----

  /** The old lines {@code [oldStart, oldStart + oldLines.size())} became {@code newLines}. */
  private record Change(
      int oldStart,
      int newStart,
      int oldStartOffset,
      int oldEndOffset,
      List<Line> oldLines,
      List<Line> newLines) {

    int oldEnd() {
      return oldStart + oldLines.size();
    }

    int newEnd() {
      return newStart + newLines.size();
    }
  }

  /**
   * A line's content; {@code terminated} is false only for a last line without a newline, which
   * diff treats as different from the same content with one.
   */
  private record Line(String content, boolean terminated, int offset) {

    boolean sameAs(Line other) {
      return terminated == other.terminated && content.equals(other.content);
    }
  }

  private static List<Change> changes(String text, List<TextEdit> sorted) {
    List<Change> changes = new ArrayList<>();
    LineCursor cursor = new LineCursor(text);
    List<Region> regions = new ArrayList<>(sorted.size());
    for (TextEdit edit : sorted) {
      regions.add(Region.of(text, cursor, edit));
    }
    int lineDelta = 0;
    int i = 0;
    while (i < sorted.size()) {
      // A group is a run of edits whose line regions overlap; each group is a disjoint slice of
      // whole old lines whose new text can be rebuilt on its own.
      Region region = regions.get(i);
      int j = i + 1;
      while (j < sorted.size()) {
        Region next = regions.get(j);
        boolean overlaps = next.startOffset < region.endOffset;
        boolean emptyAtEnd = next.startOffset == region.endOffset && next.isEmpty();
        if (!overlaps && !emptyAtEnd) {
          break;
        }
        region = region.union(next);
        j++;
      }
      List<Line> oldLines = splitLines(text, region.startOffset, region.endOffset);
      String newText = rebuild(text, region, sorted.subList(i, j));
      List<Line> newLines = splitLines(newText, 0, newText.length());
      int newFirstLine = region.startLine + lineDelta;
      for (int[] block : LineAlignment.align(oldLines, newLines, Line::sameAs)) {
        int oldStartOffset =
            block[0] < oldLines.size() ? oldLines.get(block[0]).offset : region.endOffset;
        int oldEndOffset =
            block[1] < oldLines.size() ? oldLines.get(block[1]).offset : region.endOffset;
        changes.add(
            new Change(
                region.startLine + block[0],
                newFirstLine + block[2],
                oldStartOffset,
                oldEndOffset,
                oldLines.subList(block[0], block[1]),
                newLines.subList(block[2], block[3])));
      }
      lineDelta += newLines.size() - oldLines.size();
      i = j;
    }
    return changes;
  }

  /** The whole old lines {@code [startLine, ...)} at chars {@code [startOffset, endOffset)}. */
  private record Region(int startLine, int startOffset, int endOffset) {

    static Region of(String text, LineCursor cursor, TextEdit edit) {
      int startLine = cursor.lineAt(edit.start());
      int startOffset = cursor.lineStart();
      cursor.lineAt(edit.end());
      // The line holding the end is always included, even when the edit ends right at its start:
      // a replacement that does not end in a newline joins onto that line.
      int endOffset = cursor.lineEnd();
      return new Region(startLine, startOffset, endOffset);
    }

    boolean isEmpty() {
      return startOffset == endOffset;
    }

    Region union(Region other) {
      return startOffset <= other.startOffset
          ? new Region(startLine, startOffset, Math.max(endOffset, other.endOffset))
          : new Region(other.startLine, other.startOffset, Math.max(endOffset, other.endOffset));
    }
  }

  private static String rebuild(String text, Region region, List<TextEdit> edits) {
    StringBuilder out = new StringBuilder();
    int copied = region.startOffset;
    for (TextEdit edit : edits) {
      out.append(text, copied, edit.start()).append(edit.replacement());
      copied = edit.end();
    }
    return out.append(text, copied, region.endOffset).toString();
  }

  private static List<Line> splitLines(String text, int from, int to) {
    List<Line> lines = new ArrayList<>();
    int start = from;
    while (start < to) {
      int contentEnd = contentEnd(text, start, to);
      int next = terminatorEnd(text, contentEnd, to);
      lines.add(new Line(text.substring(start, contentEnd), next > contentEnd, start));
      start = next;
    }
    return lines;
  }

  /** Index of the first LF at or after {@code from}, or {@code to}. */
  private static int contentEnd(String text, int from, int to) {
    int i = text.indexOf('\n', from);
    return i < 0 || i > to ? to : i;
  }

  /** Start of the line before the one starting at {@code lineStart > 0}. */
  private static int previousLineStart(String text, int lineStart) {
    return text.lastIndexOf('\n', lineStart - 2) + 1;
  }

  /** Index just past the LF at {@code at}, if there is one. */
  private static int terminatorEnd(String text, int at, int to) {
    return at >= to ? at : at + 1;
  }

  /**
   * Walks the text forwards only, so positioning it at every edit in order costs one scan of the
   * text up to the last edit and no memory per line.
   */
  private static final class LineCursor {
    private final String text;
    private int line;
    private int start;
    private int end = -1; // just past the terminator of the line at start; -1 until computed

    LineCursor(String text) {
      this.text = text;
    }

    /**
     * Moves to the line holding {@code offset} (not before the current line) and returns its
     * 0-based number. Offset {@code text.length()} after a final terminator is on the empty,
     * nonexistent line after the last one.
     */
    int lineAt(int offset) {
      while (start < text.length() && offset >= lineEnd() && endsWithTerminator()) {
        start = end;
        end = -1;
        line++;
      }
      return line;
    }

    int lineStart() {
      return start;
    }

    /** Offset just past the current line's terminator (the text's length on the last line). */
    int lineEnd() {
      if (end < 0) {
        end = terminatorEnd(text, contentEnd(text, start, text.length()), text.length());
      }
      return end;
    }

    private boolean endsWithTerminator() {
      return text.charAt(lineEnd() - 1) == '\n';
    }
  }

  // ---- Output ----

  private static void appendHunk(StringBuilder out, String text, List<Change> changes) {
    Change first = changes.get(0);
    Change last = changes.get(changes.size() - 1);

    List<Line> before = new ArrayList<>();
    int offset = first.oldStartOffset;
    for (int i = 0; i < Math.min(CONTEXT, first.oldStart); i++) {
      offset = previousLineStart(text, offset);
      before.add(0, lineAt(text, offset));
    }
    List<Line> after = linesFrom(text, last.oldEndOffset, CONTEXT);

    int oldStart = first.oldStart - before.size();
    int newStart = first.newStart - before.size();
    int oldCount = last.oldEnd() + after.size() - oldStart;
    int newCount = last.newEnd() + after.size() - newStart;
    out.append("@@ -");
    appendRange(out, oldStart, oldCount);
    out.append(" +");
    appendRange(out, newStart, newCount);
    out.append(" @@\n");

    appendLines(out, ' ', before);
    int i = 0;
    while (i < changes.size()) {
      if (i > 0) {
        Change previous = changes.get(i - 1);
        int gap = changes.get(i).oldStart - previous.oldEnd();
        appendLines(out, ' ', linesFrom(text, previous.oldEndOffset, gap));
      }
      // Changes from neighbouring edit groups can touch; diff shows such a run as one block, all
      // removed lines first.
      int runEnd = i + 1;
      while (runEnd < changes.size()
          && changes.get(runEnd).oldStart == changes.get(runEnd - 1).oldEnd()) {
        runEnd++;
      }
      for (Change change : changes.subList(i, runEnd)) {
        appendLines(out, '-', change.oldLines);
      }
      for (Change change : changes.subList(i, runEnd)) {
        appendLines(out, '+', change.newLines);
      }
      i = runEnd;
    }
    appendLines(out, ' ', after);
  }

  /**
   * Follows diff: 1-based start, ",count" omitted for one line, and an empty range names the line
   * before it.
   */
  private static void appendRange(StringBuilder out, int start, int count) {
    if (count == 0) {
      out.append(start).append(",0");
    } else {
      out.append(start + 1);
      if (count != 1) {
        out.append(',').append(count);
      }
    }
  }

  private static void appendLines(StringBuilder out, char prefix, List<Line> lines) {
    for (Line line : lines) {
      out.append(prefix).append(line.content).append('\n');
      if (!line.terminated) {
        out.append(NO_NEWLINE);
      }
    }
  }

  /** Up to {@code max} old lines starting at the line start {@code offset}. */
  private static List<Line> linesFrom(String text, int offset, int max) {
    List<Line> lines = new ArrayList<>();
    int start = offset;
    while (lines.size() < max && start < text.length()) {
      Line line = lineAt(text, start);
      lines.add(line);
      start = terminatorEnd(text, start + line.content.length(), text.length());
    }
    return lines;
  }

  private static Line lineAt(String text, int start) {
    int contentEnd = contentEnd(text, start, text.length());
    return new Line(text.substring(start, contentEnd), contentEnd < text.length(), start);
  }
}
