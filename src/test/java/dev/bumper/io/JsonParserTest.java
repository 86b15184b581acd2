package dev.bumper.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonParserTest {
  @Test
  void everyKindOfValue() {
    Object value =
        JsonParser.parse(
            " {\"s\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"n\": [0, -12, 3.5, 1e3, -2E-2, 12345678901234567890],"
                + " \"t\": true, \"f\": false, \"z\": null, \"o\": {}, \"a\": []}\n");
    assertThat(value).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) value;
    assertThat(map.keySet()).containsExactly("s", "n", "t", "f", "z", "o", "a");
    assertThat(map.get("s")).isEqualTo("a\"b\\c/d\b\f\n\r\té\ud83d\ude00");
    assertThat(map.get("n"))
        .isEqualTo(
            List.of(0L, -12L, new BigDecimal("3.5"), new BigDecimal("1e3"), new BigDecimal("-2E-2"),
                new BigDecimal("12345678901234567890")));
    assertThat(map.get("t")).isEqualTo(true);
    assertThat(map.get("f")).isEqualTo(false);
    assertThat(map.containsKey("z")).isTrue();
    assertThat(map.get("z")).isNull();
    assertThat(map.get("o")).isEqualTo(Map.of());
    assertThat(map.get("a")).isEqualTo(List.of());
  }

  @Test
  void scalarsAtTheTop() {
    assertThat(JsonParser.parse("\"x\"")).isEqualTo("x");
    assertThat(JsonParser.parse("42")).isEqualTo(42L);
    assertThat(JsonParser.parse("null")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", ".5", "-", "1e", "+1",
        "\"abc", "\"a\nb\"", "\"\\x\"", "\"\\u12\"", "tru", "nul", "{} {}", "[] x", "{\"a\":1,\"a\":2}", "'a'",
        "NaN", "Infinity"
      })
  void notJson(String text) {
    assertThatThrownBy(() -> JsonParser.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not JSON at offset ");
  }

  @Test
  void theOffsetOfTheProblemIsNamed() {
    assertThatThrownBy(() -> JsonParser.parse("{\"a\": 1, \"a\": 2}"))
        .hasMessage("not JSON at offset 9: duplicate key \"a\"");
  }

  @Test
  void deepNestingIsRefusedWithoutOverflowingTheStack() {
    char[] open = new char[100_000];
    Arrays.fill(open, '[');
    assertThatThrownBy(() -> JsonParser.parse(new String(open)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested deeper than 512 levels");
    String deepButAllowed = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
    assertThat(JsonParser.parse(deepButAllowed)).isInstanceOf(List.class);
  }
}
