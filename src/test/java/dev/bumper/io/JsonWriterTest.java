package dev.bumper.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

  private final StringBuilder out = new StringBuilder();
  private final JsonWriter json = new JsonWriter(out);

  @Test
  void writesCompactObject() {
    json.beginObject().name("a").value(1).name("b").beginArray().value(true).endArray().endObject();

    assertThat(out).hasToString("{\"a\":1,\"b\":[true]}");
    assertThat(json.isComplete()).isTrue();
  }

  @Test
  void writesNestedContainersWithCommasOnlyBetweenElements() {
    json.beginObject()
        .name("files")
        .beginArray()
        .beginObject()
        .name("path")
        .value("deploy/app.yaml")
        .name("changes")
        .beginArray()
        .endArray()
        .name("empty")
        .beginObject()
        .endObject()
        .endObject()
        .beginObject()
        .name("path")
        .value("b.yaml")
        .endObject()
        .beginArray()
        .beginArray()
        .endArray()
        .value(false)
        .nullValue()
        .endArray()
        .endArray()
        .name("count")
        .value(-42)
        .name("missing")
        .value((String) null)
        .endObject();

    assertThat(out)
        .hasToString(
            "{\"files\":[{\"path\":\"deploy/app.yaml\",\"changes\":[],\"empty\":{}},"
                + "{\"path\":\"b.yaml\"},[[],false,null]],\"count\":-42,\"missing\":null}");
  }

  @Test
  void writesScalarsAtTopLevel() {
    assertThat(write(w -> w.value(Long.MIN_VALUE))).isEqualTo("-9223372036854775808");
    assertThat(write(w -> w.value(Long.MAX_VALUE))).isEqualTo("9223372036854775807");
    assertThat(write(w -> w.value(false))).isEqualTo("false");
    assertThat(write(JsonWriter::nullValue)).isEqualTo("null");
    assertThat(write(w -> w.value(""))).isEqualTo("\"\"");
    assertThat(write(w -> w.beginArray().endArray())).isEqualTo("[]");
  }

  @Test
  void escapesQuoteBackslashAndControlCharacters() {
    json.value("say \"hi\"\\ path C:\\x\n\r\t\b\f\u0000\u001f end");

    assertThat(out)
        .hasToString(
            "\"say \\\"hi\\\"\\\\ path C:\\\\x"
                + "\\u000a\\u000d\\u0009\\u0008\\u000c\\u0000\\u001f end\"");
  }

  @Test
  void escapesLineAndParagraphSeparators() {
    json.value("a\u2028b\u2029c");

    assertThat(out).hasToString("\"a\\u2028b\\u2029c\"");
  }

  @Test
  void keepsOtherCharactersAsTheyAre() {
    json.value("/ ü 東京 \u007f \uD83D\uDE80 '<>&");

    assertThat(out).hasToString("\"/ ü 東京 \u007f \uD83D\uDE80 '<>&\"");
  }

  @Test
  void escapesUnpairedSurrogates() {
    json.value("a\uD83Db \uDE80 \uD83D");

    assertThat(out).hasToString("\"a\\ud83db \\ude80 \\ud83d\"");
  }

  @Test
  void escapesNames() {
    json.beginObject().name("we\"ird\n").value(1).endObject();

    assertThat(out).hasToString("{\"we\\\"ird\\u000a\":1}");
  }

  @Test
  void rejectsValueWithoutNameInObject() {
    json.beginObject();

    assertThatThrownBy(() -> json.value(1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> json.beginArray()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsNameOutsideObject() {
    assertThatThrownBy(() -> json.name("a")).isInstanceOf(IllegalStateException.class);
    json.beginArray();
    assertThatThrownBy(() -> json.name("a")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsTwoNamesInARow() {
    json.beginObject().name("a");

    assertThatThrownBy(() -> json.name("b")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsClosingWithNameWaiting() {
    json.beginObject().name("a");

    assertThatThrownBy(() -> json.endObject())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("name");
  }

  @Test
  void rejectsClosingTheWrongContainer() {
    json.beginObject();
    assertThatThrownBy(() -> json.endArray()).isInstanceOf(IllegalStateException.class);

    JsonWriter other = new JsonWriter(new StringBuilder());
    other.beginArray();
    assertThatThrownBy(() -> other.endObject()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).endObject())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsSecondTopLevelValue() {
    json.beginObject().endObject();

    assertThatThrownBy(() -> json.beginObject()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> json.value("x")).isInstanceOf(IllegalStateException.class);
    assertThat(out).hasToString("{}");
  }

  @Test
  void isCompleteOnlyAfterTheTopLevelValueIsClosed() {
    assertThat(json.isComplete()).isFalse();
    json.beginObject().name("a").beginArray();
    assertThat(json.isComplete()).isFalse();
    json.endArray().endObject();
    assertThat(json.isComplete()).isTrue();
  }

  @Test
  void reportsWriteErrorsUnchecked() {
    Writer failing =
        new Writer() {
          @Override
          public void write(char[] chars, int offset, int length) throws IOException {
            throw new IOException("closed");
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };

    assertThatThrownBy(() -> new JsonWriter(failing).value("x"))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("closed");
  }

  private static String write(Consumer<JsonWriter> writes) {
    StringBuilder buffer = new StringBuilder();
    writes.accept(new JsonWriter(buffer));
    return buffer.toString();
  }
}
