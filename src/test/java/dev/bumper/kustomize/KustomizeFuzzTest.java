package dev.bumper.kustomize;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bumper.yaml.EditedYaml;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SelfCheckException;
import dev.bumper.yaml.SourceText;
import dev.bumper.yaml.UnifiedDiff;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@code kustomize-set-image}: its argument parser on any text, and the whole edit on any
 * kustomization with any arguments. The only failures are the documented ones: kustomize's own
 * argument error (exit 2), an input bumper may not edit (exit 4), and the self-check refusing a
 * result (exit 1, nothing written). A result set again with the same arguments does not change.
 */
class KustomizeFuzzTest {

  @FuzzTest
  void imageArguments(FuzzedDataProvider data) {
    String arg = data.consumeRemainingAsString();
    try {
      ImageArg parsed = ImageArg.parse(arg);
      assertThat(parsed.name()).isNotNull();
      assertThat(parsed.newName() + parsed.newTag() + parsed.digest()).isNotNull();
    } catch (InvalidImageArgException e) {
      assertThat(e.getMessage()).startsWith("invalid format of image");
    }
  }

  // In libFuzzer dictionary syntax: \\xNN is a byte, \\" a quote.
  @FuzzTest
  @DictionaryEntries({
    "images:", "- name: ", "newName: ", "newTag: ", "digest: ", "tagSuffix: ", "resources:",
    "apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", "[", "]", "{", "}", ", ",
    "\\x0A", "\\x0A  ", "\\x0A- ", "\\x0D\\x0A", "#", "&a ", "*a", "\\\"", "'", "web", "nginx", ":1.0",
    "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "=", "*",
  })
  void setImagesOnAnyKustomization(FuzzedDataProvider data) {
    List<String> specs = new ArrayList<>();
    int count = data.consumeInt(1, 3);
    for (int i = 0; i < count; i++) {
      specs.add(data.consumeString(80));
    }
    byte[] bytes = data.consumeRemainingAsBytes();
    List<ImageArg> args;
    try {
      args = ImageArg.parseAll(specs);
    } catch (InvalidImageArgException e) {
      return;
    }
    SourceText source;
    SetImageResult result;
    try {
      source = SourceText.decode("kustomization.yaml", bytes);
      result = KustomizationImages.set(source, args);
    } catch (InvalidYamlException | SelfCheckException e) {
      assertThat(e.getMessage()).startsWith("kustomization.yaml");
      return;
    }
    EditedYaml edited = result.edited();
    if (!edited.changed()) {
      return;
    }
    assertThat(UnifiedDiff.apply(source.text(), edited.edits())).isEqualTo(edited.newText());
    assertThat(edited.diff("kustomization.yaml")).startsWith("--- a/kustomization.yaml\n");
    SetImageResult again = KustomizationImages.set(SourceText.of("kustomization.yaml", edited.newText()), args);
    assertThat(again.edited().changed()).as("setting the same images again changes nothing").isFalse();
  }
}
