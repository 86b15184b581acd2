package dev.bumper.yaml;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Inputs the fuzz tests ({@link YamlFuzzTest}) found to break a documented contract, one test
 * each, named by what was wrong. The raw inputs are also kept beside the fuzz tests, in {@code
 * src/test/resources/dev/bumper/yaml/YamlFuzzTestInputs/}, where Jazzer replays them.
 */
class FuzzFindingsTest {

  @Test
  void aHexEscapeCutOffByTheEndOfTheFileIsInvalidYamlNotANumberFormatException() {
    // SnakeYAML Engine 3.2 throws NumberFormatException for "\x at the end of the stream
    for (String text : new String[] {"\"\\x", "key: \"\\u12", "\"\\U1234"}) {
      assertThatThrownBy(() -> ComposedYaml.compose(SourceText.of("f.yaml", text)))
          .as(text)
          .isInstanceOf(InvalidYamlException.class)
          .hasMessageContaining("not valid YAML");
    }
  }
}
