package dev.bumper.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
  @Test
  void readsEveryKindOfValue() {
    Map<String, Object> value =
        JsonReader.parseObject(" {\"s\": \"a\\\"b\\u00e9\\n\", \"i\": -12, \"big\": 12345678901234567890, \"d\": 1.5e3,"
            + " \"t\": true, \"f\": false, \"n\": null, \"a\": [1, [], {}]} ");
    assertThat(value.get("s")).isEqualTo("a\"b\u00e9\n");
    assertThat(value.get("i")).isEqualTo(-12L);
    assertThat(value.get("big")).isEqualTo(1.2345678901234567e19);
    assertThat(value.get("d")).isEqualTo(1500.0);
    assertThat(value.get("t")).isEqualTo(true);
    assertThat(value.get("f")).isEqualTo(false);
    assertThat(value).containsKey("n");
    assertThat(value.get("n")).isNull();
    assertThat(value.get("a")).isEqualTo(List.of(1L, List.of(), Map.of()));
  }

  @Test
  void keepsTheOrderOfKeys() {
    assertThat(JsonReader.parseObject("{\"b\":1,\"a\":2,\"c\":3}").keySet()).containsExactly("b", "a", "c");
  }

  @Test
  void refusesWhatIsNotExactlyOneValue() {
    for (String bad : new String[] {"", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "01", "1.", "\"a", "tru", "{} {}",
        "{\"a\":1,\"a\":2}", "\"\t\"", "{'a':1}", "[1] x"}) {
      assertThatThrownBy(() -> JsonReader.parse(bad)).as(bad).isInstanceOf(JsonReader.JsonException.class)
          .hasMessageStartingWith("invalid JSON at offset");
    }
  }

  @Test
  void parseObjectWantsAnObject() {
    assertThatThrownBy(() -> JsonReader.parseObject("[1]")).hasMessage("expected a JSON object");
  }

  @Test
  void refusesDeepNesting() {
    assertThatThrownBy(() -> JsonReader.parse("[".repeat(1000) + "]".repeat(1000))).hasMessageContaining("nested deeper");
  }
}
