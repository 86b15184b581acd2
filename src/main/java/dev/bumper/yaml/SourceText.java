package dev.bumper.yaml;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The exact text of a YAML file: decoded strictly as UTF-8, with its BOM (if any) kept as char 0.
 *
 * <p>SnakeYAML Engine reports positions as code-point indexes into the text it was given, which is
 * this text without the BOM. This class maps those indexes back to UTF-16 char offsets into the
 * whole text, and char offsets to 1-based line and column numbers. Nothing is normalised: line
 * endings, tabs and a missing final newline stay as they are.
 */
public final class SourceText {
  private static final char BOM = '\uFEFF';

  private final String name;
  private final String text;
  /** Where this text starts in its file: a char offset and a 1-based line (see {@link #slice}). */
  private final int fileOffset;
  private final int firstLine;
  private final int bomLength;
  /** Char offset of each line start; lines end at LF, CRLF or a lone CR, as YAML defines them. */
  private final int[] lineStarts;
  /**
   * For texts with supplementary characters: char offset (relative to the body) of every
   * code point. Null when every code point is one char, the common case, where the two agree.
   */
  private final int[] codePointOffsets;

  private SourceText(String name, String text) {
    this(name, text, 0, 1);
  }

  private SourceText(String name, String text, int fileOffset, int firstLine) {
    this.name = name;
    this.text = text;
    this.fileOffset = fileOffset;
    this.firstLine = firstLine;
    this.bomLength = !text.isEmpty() && text.charAt(0) == BOM ? 1 : 0;
    this.lineStarts = computeLineStarts(text);
    this.codePointOffsets = computeCodePointOffsets(text, bomLength);
  }

  /** Wraps a text that is already decoded (tests, in-memory sources). */
  public static SourceText of(String name, String text) {
    return new SourceText(name, text);
  }

  /**
   * Decodes bytes as UTF-8, refusing malformed input rather than replacing it: a replacement
   * character would be written back and silently corrupt the file.
   */
  public static SourceText decode(String name, byte[] bytes) {
    int bad = firstInvalidUtf8(bytes);
    if (bad >= 0) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
          column = 1;
        } else if ((bytes[i] & 0xC0) != 0x80) {
          column++; // count characters, not the continuation bytes of one
        }
      }
      throw new InvalidYamlException(
          name, line, column, "not UTF-8: invalid byte 0x%02X at byte offset %d"
              .formatted(bytes[bad] & 0xFF, bad));
    }
    // Validated first, so the JDK's fast decoder (no intermediate char buffer) is exact here.
    return new SourceText(name, new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * The offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
   * forms, no surrogates, nothing above U+10FFFF), or -1.
   */
  static int firstInvalidUtf8(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xFF;
      int length;
      int min;
      if (b >= 0xC2 && b <= 0xDF) {
        length = 2;
        min = 0x80;
      } else if (b >= 0xE0 && b <= 0xEF) {
        length = 3;
        min = 0x800;
      } else if (b >= 0xF0 && b <= 0xF4) {
        length = 4;
        min = 0x10000;
      } else {
        return i;
      }
      if (i + length > n) {
        return i;
      }
      int cp = b & (0xFF >> (length + 1));
      for (int k = 1; k < length; k++) {
        int c = bytes[i + k] & 0xFF;
        if ((c & 0xC0) != 0x80) {
          return i;
        }
        cp = (cp << 6) | (c & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return i;
      }
      i += length;
    }
    return -1;
  }

  public String name() {
    return name;
  }

  /**
   * The part {@code [start, end)} of this text, which must start at a line start, as a text of
   * its own whose line numbers are still those of the whole file: for composing one document of
   * a long stream at a time.
   */
  public SourceText slice(int start, int end) {
    return new SourceText(name, text.substring(start, end), fileOffset + start, lineOf(start));
  }

  /** Char offset of this text in its file: 0, or where a {@link #slice} starts. */
  public int fileOffset() {
    return fileOffset;
  }

  /** The whole text, BOM included. */
  public String text() {
    return text;
  }

  public boolean hasBom() {
    return bomLength > 0;
  }

  /** The text the parser sees: without the BOM. */
  public String body() {
    return text.substring(bomLength);
  }

  public int length() {
    return text.length();
  }

  public char charAt(int offset) {
    return text.charAt(offset);
  }

  public String substring(int start, int end) {
    return text.substring(start, end);
  }

  /** Maps a parser code-point index (into {@link #body()}) to a char offset into {@link #text()}. */
  public int offsetOfCodePoint(int codePointIndex) {
    if (codePointOffsets == null) {
      return bomLength + codePointIndex;
    }
    if (codePointIndex >= codePointOffsets.length) {
      return text.length();
    }
    return bomLength + codePointOffsets[codePointIndex];
  }

  /** 1-based line of a char offset, counted from the start of the file. */
  public int lineOf(int offset) {
    int i = Arrays.binarySearch(lineStarts, offset);
    return (i >= 0 ? i : -i - 2) + firstLine;
  }

  /** 1-based column of a char offset, counted in code points, as editors and the parser count. */
  public int columnOf(int offset) {
    int start = lineStart(lineOf(offset));
    int column = text.codePointCount(start, offset) + 1;
    return start == 0 && bomLength > 0 ? column - 1 : column;
  }

  /** Char offset where a 1-based line starts. */
  public int lineStart(int line) {
    return lineStarts[line - firstLine];
  }

  /** Char offset just past a line's content, before its line break (or the end of the text). */
  public int lineContentEnd(int line) {
    int index = line - firstLine + 1;
    if (index >= lineStarts.length) {
      return text.length();
    }
    int end = lineStarts[index];
    if (text.charAt(end - 1) == '\n') {
      end--;
      if (end > lineStarts[index - 1] && text.charAt(end - 1) == '\r') {
        end--;
      }
    } else {
      end--; // a lone CR
    }
    return end;
  }

  /** Char offset of the start of the next line, or the end of the text on the last line. */
  public int nextLineStart(int line) {
    int index = line - firstLine + 1;
    return index < lineStarts.length ? lineStarts[index] : text.length();
  }

  /**
   * The line break new lines should use: the one of the first line break in the text, so CRLF
   * files get CRLF. LF when the text has none.
   */
  public String lineBreak() {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n') {
        return "\n";
      }
      if (c == '\r') {
        return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? "\r\n" : "\r";
      }
      i++;
    }
    return "\n";
  }

  private static int[] computeLineStarts(String text) {
    int[] starts = new int[16];
    int count = 0;
    starts[count++] = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (count == starts.length) {
          starts = Arrays.copyOf(starts, count * 2);
        }
        starts[count++] = i + 1;
      }
    }
    return Arrays.copyOf(starts, count);
  }

  private static int[] computeCodePointOffsets(String text, int from) {
    boolean hasSurrogates = false;
    for (int i = from; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        hasSurrogates = true;
        break;
      }
    }
    if (!hasSurrogates) {
      return null;
    }
    int[] offsets = new int[text.codePointCount(from, text.length()) + 1];
    int cp = 0;
    int i = from;
    while (i < text.length()) {
      offsets[cp++] = i - from;
      i += Character.charCount(text.codePointAt(i));
    }
    offsets[cp] = i - from;
    return offsets;
  }
}
