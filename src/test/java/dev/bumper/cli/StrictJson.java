package dev.bumper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A strict JSON reader for tests: one value, no trailing text, no duplicate keys. */
final class StrictJson {
  private final String s;
  private int i;

  private StrictJson(String s) {
    this.s = s;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parseObject(String text) {
    StrictJson json = new StrictJson(text);
    json.ws();
    Object value = json.value();
    json.ws();
    assertThat(json.i).as("one JSON value and nothing after it: " + text).isEqualTo(text.length());
    assertThat(value).as("a JSON object").isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  private Object value() {
    ws();
    char c = peek();
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        return number();
    }
  }

  private Map<String, Object> object() {
    expect('{');
    Map<String, Object> map = new LinkedHashMap<>();
    ws();
    if (peek() == '}') {
      i++;
      return map;
    }
    while (true) {
      ws();
      String key = string();
      ws();
      expect(':');
      assertThat(map).as("duplicate JSON key " + key).doesNotContainKey(key);
      map.put(key, value());
      ws();
      if (peek() == ',') {
        i++;
      } else {
        expect('}');
        return map;
      }
    }
  }

  private List<Object> array() {
    expect('[');
    List<Object> list = new ArrayList<>();
    ws();
    if (peek() == ']') {
      i++;
      return list;
    }
    while (true) {
      list.add(value());
      ws();
      if (peek() == ',') {
        i++;
      } else {
        expect(']');
        return list;
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw new AssertionError("control character in JSON string at " + (i - 1));
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          i += 4;
        }
        default -> throw new AssertionError("bad JSON escape \\" + e);
      }
    }
  }

  private Object literal(String word, Object value) {
    if (!s.startsWith(word, i)) {
      throw new AssertionError("bad JSON at " + i + ": " + s.substring(i, Math.min(s.length(), i + 20)));
    }
    i += word.length();
    return value;
  }

  private Long number() {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (start == i) {
      throw new AssertionError("bad JSON at " + i + ": " + s.substring(i, Math.min(s.length(), i + 20)));
    }
    return Long.parseLong(s.substring(start, i));
  }

  private char peek() {
    if (i >= s.length()) {
      throw new AssertionError("JSON ends early");
    }
    return s.charAt(i);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw new AssertionError("expected '" + c + "' at " + i + " in JSON: " + s);
    }
    i++;
  }

  private void ws() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
  }
}
