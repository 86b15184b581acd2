package dev.bumper.io;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON value (RFC 8259) into plain Java values: objects as {@link Map}s in document
 * order, arrays as {@link List}s, strings, numbers as {@link Long} when integral and in range and
 * {@link BigDecimal} otherwise, booleans and {@code null}. Text after the value, a duplicate key
 * or nesting deeper than {@value #MAX_DEPTH} levels is an error, so that a file that is not what
 * it claims to be is refused rather than half read.
 */
public final class JsonParser {
  static final int MAX_DEPTH = 512;

  private final String text;
  private int at;
  private int depth;

  private JsonParser(String text) {
    this.text = text;
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the offset of the first thing that is not JSON
   */
  public static Object parse(String text) {
    JsonParser parser = new JsonParser(text);
    parser.whitespace();
    Object value = parser.value();
    parser.whitespace();
    if (parser.at != text.length()) {
      throw parser.error("text after the JSON value");
    }
    return value;
  }

  private Object value() {
    if (at >= text.length()) {
      throw error("a value is missing");
    }
    char c = text.charAt(at);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object() {
    enter();
    at++;
    Map<String, Object> object = new LinkedHashMap<>();
    whitespace();
    if (peek() == '}') {
      at++;
      depth--;
      return object;
    }
    while (true) {
      whitespace();
      if (peek() != '"') {
        throw error("a string key is expected");
      }
      int keyAt = at;
      String key = string();
      whitespace();
      expect(':');
      whitespace();
      Object value = value();
      if (object.containsKey(key)) {
        at = keyAt;
        throw error("duplicate key \"" + key + "\"");
      }
      object.put(key, value);
      whitespace();
      if (peek() == ',') {
        at++;
        continue;
      }
      expect('}');
      depth--;
      return object;
    }
  }

  private List<Object> array() {
    enter();
    at++;
    List<Object> array = new ArrayList<>();
    whitespace();
    if (peek() == ']') {
      at++;
      depth--;
      return array;
    }
    while (true) {
      whitespace();
      array.add(value());
      whitespace();
      if (peek() == ',') {
        at++;
        continue;
      }
      expect(']');
      depth--;
      return array;
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private String string() {
    at++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        at--;
        throw error("control character in a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char escape = text.charAt(at++);
      switch (escape) {
        case '"', '\\', '/' -> sb.append(escape);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(hex4());
        default -> {
          at--;
          throw error("invalid escape \\" + escape);
        }
      }
    }
  }

  private char hex4() {
    if (at + 4 > text.length()) {
      throw error("a \\u escape needs four hex digits");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(at + i), 16);
      if (digit < 0) {
        throw error("a \\u escape needs four hex digits");
      }
      value = value * 16 + digit;
    }
    at += 4;
    return (char) value;
  }

  private Object number() {
    int start = at;
    if (peek() == '-') {
      at++;
    }
    if (peek() == '0') {
      at++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      at = start;
      throw error("a value is expected");
    }
    boolean integral = true;
    if (peek() == '.') {
      integral = false;
      at++;
      if (!isDigit(peek())) {
        throw error("a digit is expected after the decimal point");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      at++;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      if (!isDigit(peek())) {
        throw error("a digit is expected in the exponent");
      }
      digits();
    }
    String literal = text.substring(start, at);
    if (integral && literal.length() <= 18) {
      return Long.parseLong(literal);
    }
    return new BigDecimal(literal);
  }

  private void digits() {
    while (isDigit(peek())) {
      at++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("a value is expected");
    }
    at += word.length();
    return value;
  }

  private void whitespace() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("'" + c + "' is expected");
    }
    at++;
  }

  private IllegalArgumentException error(String reason) {
    return new IllegalArgumentException("not JSON at offset " + at + ": " + reason);
  }
}
