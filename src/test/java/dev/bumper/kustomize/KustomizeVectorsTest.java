package dev.bumper.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.TestData;
import dev.bumper.yaml.SourceText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every {@code kustomize edit set image} vector of src/test/data/kustomize/vectors.json (kustomize
 * v5.8.1): the resulting {@code images:} list must be kustomize's (entries, fields, values,
 * order), error vectors must give kustomize's text, and everything outside the list must keep its
 * bytes.
 */
class KustomizeVectorsTest {
  /** Vectors about fields other than images, which bumper leaves alone on purpose. */
  private static final List<String> OUT_OF_SCOPE = List.of("legacy imageTags merged into images and removed");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> vectors() throws IOException {
    Path file = TestData.dir("kustomize").resolve("vectors.json");
    LoadSettings settings = LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build();
    return (Map<String, Object>) new Load(settings).loadFromString(Files.readString(file));
  }

  @TestFactory
  @SuppressWarnings("unchecked")
  Stream<DynamicTest> setImageVectors() throws IOException {
    Map<String, Object> vectors = vectors();
    List<Map<String, Object>> cases = new ArrayList<>((List<Map<String, Object>>) vectors.get("cases"));
    cases.addAll((List<Map<String, Object>>) vectors.get("derivedCases"));
    assertThat(cases).hasSize(53);
    return cases.stream()
        .filter(c -> !OUT_OF_SCOPE.contains(c.get("name")))
        .map(c -> DynamicTest.dynamicTest(String.valueOf(c.get("name")), () -> check(c)));
  }

  @SuppressWarnings("unchecked")
  private static void check(Map<String, Object> vector) {
    List<String> args = (List<String>) vector.get("args");
    String input = (String) vector.get("input");
    String error = (String) vector.get("expectError");
    if (error != null) {
      assertThatThrownBy(() -> KustomizationImages.set(SourceText.of("kustomization.yaml", input), ImageArg.parseAll(args)))
          .isInstanceOf(InvalidImageArgException.class)
          .hasMessage(error);
      return;
    }
    SetImageResult result = KustomizationImages.set(SourceText.of("kustomization.yaml", input), ImageArg.parseAll(args));
    String out = result.edited().newText();
    assertThat(images(out)).as("images of\n%s", out).isEqualTo(images((String) vector.get("expectedFull")));
    assertThat(quotedValues(out)).as("quoted values in\n%s", out)
        .containsAll(quotedValues(imagesText((String) vector.get("expectedFull"))));
    // Outside the images list, not a byte changes (kustomize would rewrite the whole file).
    assertThat(withoutImages(out)).isEqualTo(withoutImages(input));
  }

  /** The images list as kustomize's reader sees it: a list of string maps. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, String>> images(String yaml) {
    Object doc = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    if (!(doc instanceof Map<?, ?> map) || map.get("images") == null) {
      return List.of();
    }
    List<Map<String, String>> out = new ArrayList<>();
    for (Map<String, Object> entry : (List<Map<String, Object>>) map.get("images")) {
      Map<String, String> fields = new LinkedHashMap<>();
      entry.forEach((k, v) -> fields.put(k, String.valueOf(v)));
      out.add(new java.util.TreeMap<>(fields));
    }
    return out;
  }

  private static String imagesText(String yaml) {
    int at = yaml.indexOf("images:");
    return at < 0 ? "" : yaml.substring(at);
  }

  /** Values written in double quotes, as kustomize quotes strings YAML 1.1 reads otherwise. */
  private static List<String> quotedValues(String text) {
    List<String> quoted = new ArrayList<>();
    var m = java.util.regex.Pattern.compile("(?m)^\\s*-?\\s*(newTag|newName|digest|name): (\"[^\"]*\")").matcher(text);
    while (m.find()) {
      quoted.add(m.group(1) + ": " + m.group(2));
    }
    return quoted;
  }

  /** The text with the images key and its list taken out. */
  private static String withoutImages(String text) {
    return text.replaceAll("(?m)^images:.*(\\r?\\n(?:[ \\t-].*|\\s*#.*|)(?=\\r?\\n|$))*\\r?\\n?", "");
  }
}
