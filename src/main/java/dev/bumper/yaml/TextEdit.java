package dev.bumper.yaml;

import java.util.Objects;

/**
 * Replaces the chars {@code [start, end)} of a source text with {@code replacement}.
 *
 * <p>Offsets are UTF-16 char offsets into the whole decoded text (a BOM, when present, is char 0).
 * An insertion has {@code start == end}; a deletion has an empty replacement.
 */
public record TextEdit(int start, int end, String replacement) implements Comparable<TextEdit> {

  public TextEdit {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
    Objects.requireNonNull(replacement, "replacement");
  }

  @Override
  public int compareTo(TextEdit other) {
    int byStart = Integer.compare(start, other.start);
    return byStart != 0 ? byStart : Integer.compare(end, other.end);
  }
}
