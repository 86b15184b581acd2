package dev.bumper.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * A path to a scalar, as {@code --set} takes it: dot-separated keys, {@code [N]} for a sequence
 * index, {@code [name=web]} for the sequence item whose {@code name} is {@code web}, and
 * {@code "a.b"} for a key that contains a dot.
 */
public record PathExpression(String text, List<Segment> segments) {

  /** One step of a path. */
  public sealed interface Segment permits Key, Index, Select {}

  /** A mapping key. */
  public record Key(String name) implements Segment {}

  /** A sequence index, from 0. */
  public record Index(int index) implements Segment {}

  /** The sequence item that is a mapping whose {@code key} entry equals {@code value}. */
  public record Select(String key, String value) implements Segment {}

  public PathExpression {
    segments = List.copyOf(segments);
  }

  /**
   * Parses a path.
   *
   * @throws InvalidRequestException naming the position of the problem
   */
  public static PathExpression parse(String text) {
    List<Segment> segments = new ArrayList<>();
    int i = 0;
    int n = text.length();
    if (n == 0) {
      throw bad(text, 0, "the path is empty");
    }
    boolean expectKey = true;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          throw bad(text, i, "'[' is not closed");
        }
        segments.add(bracket(text, i, text.substring(i + 1, close)));
        i = close + 1;
        expectKey = false;
      } else if (c == '.') {
        if (expectKey) {
          throw bad(text, i, "empty key");
        }
        i++;
        expectKey = true;
        if (i == n) {
          throw bad(text, i, "the path ends with '.'");
        }
      } else if (c == '"') {
        if (!expectKey) {
          throw bad(text, i, "expected '.' or '[' before a quoted key");
        }
        int close = text.indexOf('"', i + 1);
        if (close < 0) {
          throw bad(text, i, "quote is not closed");
        }
        segments.add(new Key(text.substring(i + 1, close)));
        i = close + 1;
        expectKey = false;
      } else {
        if (!expectKey) {
          throw bad(text, i, "expected '.' or '['");
        }
        int end = i;
        while (end < n && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        segments.add(new Key(text.substring(i, end)));
        i = end;
        expectKey = false;
      }
    }
    return new PathExpression(text, segments);
  }

  private static Segment bracket(String text, int at, String inside) {
    int eq = inside.indexOf('=');
    if (eq >= 0) {
      String key = inside.substring(0, eq).trim();
      if (key.isEmpty()) {
        throw bad(text, at, "'[=...]' needs a key, as in [name=web]");
      }
      return new Select(key, inside.substring(eq + 1).trim());
    }
    try {
      int index = Integer.parseInt(inside.trim());
      if (index < 0) {
        throw bad(text, at, "a sequence index cannot be negative");
      }
      return new Index(index);
    } catch (NumberFormatException e) {
      throw bad(text, at, "'[" + inside + "]' is neither an index [N] nor a selector [key=value]");
    }
  }

  private static InvalidRequestException bad(String text, int at, String reason) {
    return new InvalidRequestException(
        "invalid path \"%s\" at character %d: %s".formatted(text, at + 1, reason));
  }

  /** The last key named in the path, a cheap text pre-filter; null when it has none. */
  public String lastKey() {
    for (int i = segments.size() - 1; i >= 0; i--) {
      if (segments.get(i) instanceof Key key) {
        return key.name();
      }
    }
    return null;
  }

  /** The last key named before the path's last segment: what a created key's parent holds. */
  public String parentKey() {
    for (int i = segments.size() - 2; i >= 0; i--) {
      if (segments.get(i) instanceof Key key) {
        return key.name();
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return text;
  }
}
