package dev.bumper.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Writes one compact JSON value, such as the single object of {@code --output json}, as it goes.
 *
 * <p>Calls that would produce invalid JSON (a value where a name is needed, a name outside an
 * object, a second top-level value, closing the wrong container) throw {@link
 * IllegalStateException}, so that a bug cannot put unparseable output on stdout. Write errors of
 * the underlying {@link Appendable} are thrown as {@link UncheckedIOException}.
 */
public final class JsonWriter {

  private enum Scope {
    EMPTY_OBJECT,
    OBJECT,
    NAME, // a name was written and its value is due
    EMPTY_ARRAY,
    ARRAY
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final Appendable out;
  private final Deque<Scope> scopes = new ArrayDeque<>();
  private boolean complete;

  public JsonWriter(Appendable out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  public JsonWriter beginObject() {
    beforeValue();
    scopes.push(Scope.EMPTY_OBJECT);
    return append('{');
  }

  public JsonWriter endObject() {
    return end(Scope.EMPTY_OBJECT, Scope.OBJECT, '}');
  }

  public JsonWriter beginArray() {
    beforeValue();
    scopes.push(Scope.EMPTY_ARRAY);
    return append('[');
  }

  public JsonWriter endArray() {
    return end(Scope.EMPTY_ARRAY, Scope.ARRAY, ']');
  }

  /** Writes the name of the next object member; its value must follow. */
  public JsonWriter name(String name) {
    Objects.requireNonNull(name, "name");
    Scope scope = scopes.peek();
    if (scope == Scope.OBJECT) {
      append(',');
    } else if (scope != Scope.EMPTY_OBJECT) {
      throw new IllegalStateException("a name belongs directly inside an object");
    }
    replaceTop(Scope.NAME);
    string(name);
    return append(':');
  }

  /** Writes a string, or {@code null} when {@code value} is null. */
  public JsonWriter value(String value) {
    if (value == null) {
      return nullValue();
    }
    beforeValue();
    string(value);
    return afterValue();
  }

  public JsonWriter value(long value) {
    beforeValue();
    append(Long.toString(value));
    return afterValue();
  }

  public JsonWriter value(boolean value) {
    beforeValue();
    append(value ? "true" : "false");
    return afterValue();
  }

  public JsonWriter nullValue() {
    beforeValue();
    append("null");
    return afterValue();
  }

  /** Whether exactly one complete top-level value has been written. */
  public boolean isComplete() {
    return complete;
  }

  private void beforeValue() {
    Scope scope = scopes.peek();
    if (scope == null) {
      if (complete) {
        throw new IllegalStateException("only one top-level value may be written");
      }
    } else if (scope == Scope.ARRAY) {
      append(',');
    } else if (scope == Scope.EMPTY_OBJECT || scope == Scope.OBJECT) {
      throw new IllegalStateException("a value inside an object needs a name first");
    }
  }

  /** Marks the value just written (scalar or whole container) in its container. */
  private JsonWriter afterValue() {
    Scope scope = scopes.peek();
    if (scope == null) {
      complete = true;
    } else if (scope == Scope.NAME) {
      replaceTop(Scope.OBJECT);
    } else {
      replaceTop(Scope.ARRAY);
    }
    return this;
  }

  private JsonWriter end(Scope empty, Scope nonEmpty, char close) {
    Scope scope = scopes.peek();
    if (scope != empty && scope != nonEmpty) {
      throw new IllegalStateException(
          scope == Scope.NAME ? "a name is waiting for its value" : "no open container to close");
    }
    scopes.pop();
    append(close);
    return afterValue();
  }

  private void replaceTop(Scope scope) {
    scopes.pop();
    scopes.push(scope);
  }

  /**
   * Escapes what RFC 8259 requires plus U+2028/U+2029 (line breaks to JavaScript) and unpaired
   * surrogates, which cannot be encoded as UTF-8 and would otherwise turn into '?' on stdout.
   */
  private void string(String value) {
    append('"');
    int copied = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean escape;
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++; // a valid pair stays as it is
          continue;
        }
        escape = true;
      } else {
        escape =
            c < 0x20
                || c == '"'
                || c == '\\'
                || c == '\u2028'
                || c == '\u2029'
                || Character.isLowSurrogate(c);
      }
      if (!escape) {
        continue;
      }
      append(value, copied, i);
      if (c == '"' || c == '\\') {
        append('\\').append(c);
      } else {
        append("\\u")
            .append(HEX[c >> 12])
            .append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf])
            .append(HEX[c & 0xf]);
      }
      copied = i + 1;
    }
    append(value, copied, value.length());
    append('"');
  }

  private JsonWriter append(char c) {
    try {
      out.append(c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  private JsonWriter append(CharSequence text) {
    return append(text, 0, text.length());
  }

  private JsonWriter append(CharSequence text, int from, int to) {
    if (from < to) {
      try {
        out.append(text, from, to);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return this;
  }
}
