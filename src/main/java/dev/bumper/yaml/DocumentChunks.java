package dev.bumper.yaml;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a YAML stream into one slice per document, at lines that start with a document marker
 * ({@code ---} followed by a space, a tab or the end of the line).
 *
 * <p>Such a line always ends the current document, even inside a block scalar, so each slice
 * composes to exactly the documents the stream holds there. Composing slice by slice bounds
 * memory by the largest document instead of the file, and lets a caller skip documents that
 * cannot match and re-check only the documents it edited. A stream with a directive line
 * ({@code %YAML}, {@code %TAG}) is not split, because a directive belongs to the document after
 * it.
 */
public final class DocumentChunks {
  private DocumentChunks() {}

  /** The slices of a source, in order; the whole source when it has zero or one marker. */
  public static List<SourceText> split(SourceText source) {
    String text = source.text();
    List<Integer> starts = new ArrayList<>();
    int n = text.length();
    int line = source.hasBom() ? 1 : 0;
    while (line < n) {
      char c = text.charAt(line);
      if (c == '%') {
        return List.of(source);
      }
      if (c == '-' && line > 1 && isMarker(text, line)) {
        starts.add(line);
      }
      line = nextLine(text, line);
    }
    if (starts.isEmpty()) {
      return List.of(source);
    }
    List<SourceText> chunks = new ArrayList<>(starts.size() + 1);
    int from = 0;
    for (int start : starts) {
      if (start > from) {
        chunks.add(source.slice(from, start));
      }
      from = start;
    }
    chunks.add(source.slice(from, n));
    return chunks;
  }

  private static boolean isMarker(String text, int at) {
    if (!text.startsWith("---", at)) {
      return false;
    }
    int after = at + 3;
    if (after == text.length()) {
      return true;
    }
    char c = text.charAt(after);
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static int nextLine(String text, int from) {
    int n = text.length();
    for (int i = from; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        return i + 1;
      }
      if (c == '\r') {
        return i + 1 < n && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
      }
    }
    return n;
  }
}
