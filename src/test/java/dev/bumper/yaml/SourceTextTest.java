package dev.bumper.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SourceTextTest {
  @Test
  void keepsTheBomAsCharZeroAndMapsParserIndexesPastIt() {
    SourceText source = SourceText.decode("f", "\uFEFFa: b\n".getBytes(StandardCharsets.UTF_8));
    assertThat(source.hasBom()).isTrue();
    assertThat(source.body()).isEqualTo("a: b\n");
    assertThat(source.offsetOfCodePoint(3)).isEqualTo(4);
    assertThat(source.columnOf(4)).isEqualTo(4);
  }

  @Test
  void mapsCodePointsToCharsAroundSupplementaryCharacters() {
    SourceText source = SourceText.of("f", "😀a😀b");
    assertThat(source.offsetOfCodePoint(0)).isZero();
    assertThat(source.offsetOfCodePoint(1)).isEqualTo(2);
    assertThat(source.offsetOfCodePoint(2)).isEqualTo(3);
    assertThat(source.offsetOfCodePoint(3)).isEqualTo(5);
    assertThat(source.columnOf(5)).isEqualTo(4);
  }

  @Test
  void linesEndAtLfCrlfAndLoneCr() {
    SourceText source = SourceText.of("f", "a\nb\r\nc\rd");
    assertThat(List.of(source.lineOf(0), source.lineOf(2), source.lineOf(5), source.lineOf(7)))
        .containsExactly(1, 2, 3, 4);
    assertThat(source.lineContentEnd(2)).isEqualTo(3);
    assertThat(source.lineContentEnd(3)).isEqualTo(6);
    assertThat(source.lineContentEnd(4)).isEqualTo(8);
    assertThat(source.nextLineStart(2)).isEqualTo(5);
    assertThat(source.lineBreak()).isEqualTo("\n");
    assertThat(SourceText.of("f", "a\r\nb").lineBreak()).isEqualTo("\r\n");
    assertThat(SourceText.of("f", "a\rb").lineBreak()).isEqualTo("\r");
  }

  @Test
  void aSliceKeepsTheFilesLineNumbers() {
    SourceText source = SourceText.of("f", "a: 1\n---\nb: 2\nc: 3\n");
    SourceText slice = source.slice(5, source.length());
    assertThat(slice.text()).isEqualTo("---\nb: 2\nc: 3\n");
    assertThat(slice.fileOffset()).isEqualTo(5);
    assertThat(slice.lineOf(4)).isEqualTo(3);
    assertThat(slice.lineStart(4)).isEqualTo(9);
    assertThat(slice.columnOf(6)).isEqualTo(3);
  }

  @Test
  void refusesMalformedUtf8NamingTheByte() {
    byte[] latin1 = "a: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> SourceText.decode("f.yaml", latin1))
        .isInstanceOf(InvalidYamlException.class)
        .hasMessage("f.yaml:1:7: not UTF-8: invalid byte 0xE9 at byte offset 6");
  }

  @Test
  void utf8ValidationAgreesWithTheJdkDecoder() {
    List<byte[]> cases =
        List.of(
            new byte[] {(byte) 0xC0, (byte) 0x80}, // overlong NUL
            new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // surrogate
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            new byte[] {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            new byte[] {'a', (byte) 0xE2, (byte) 0x82}, // truncated
            "é中😀".getBytes(StandardCharsets.UTF_8));
    for (byte[] bytes : cases) {
      assertThat(SourceText.firstInvalidUtf8(bytes) < 0).isEqualTo(jdkAccepts(bytes));
    }
    Random random = new Random(42);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[random.nextInt(8)];
      random.nextBytes(bytes);
      assertThat(SourceText.firstInvalidUtf8(bytes) < 0).as("round %d", round).isEqualTo(jdkAccepts(bytes));
    }
  }

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
