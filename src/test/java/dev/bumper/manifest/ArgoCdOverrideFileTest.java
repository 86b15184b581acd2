package dev.bumper.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The override files Argo CD reads (its documented format: {@code kustomize.images}, a list of
 * {@code kustomize edit set image} strings; {@code helm.parameters}, a list of {@code name},
 * {@code value}, {@code forcestring}), written as Argo CD Image Updater writes them. The expected
 * bytes follow the updater's marshalParamsOverride (argoproj-labs/argocd-image-updater
 * pkg/argocd/update.go at de2cfec6: yaml.v3, indent 2, compact sequences; kustomize images merged
 * by image name, new ones appended; Helm parameters replaced by name, new ones in name order) and
 * its Test_MarshalParamsOverride cases named below.
 */
class ArgoCdOverrideFileTest {
  private static String kustomize(String before, String... images) {
    return ArgoCdOverrideFile.kustomize(SourceText.of(".argocd-source-web.yaml", before), List.of(images)).newText();
  }

  private static String helm(String before, Map<String, String> parameters) {
    return ArgoCdOverrideFile.helm(SourceText.of(".argocd-source-web.yaml", before), parameters).newText();
  }

  @Test
  void kustomizeFromNothingThenANewImageThenANewTagIsWhatTheUpdaterWrites() {
    String created = kustomize("", "ghcr.io/acme/web:1.4.2");
    assertThat(created).isEqualTo("kustomize:\n  images:\n  - ghcr.io/acme/web:1.4.2\n");
    String added = kustomize(created, "ghcr.io/acme/api:2.0.0");
    assertThat(added).isEqualTo("kustomize:\n  images:\n  - ghcr.io/acme/web:1.4.2\n  - ghcr.io/acme/api:2.0.0\n");
    String retagged = kustomize(added, "ghcr.io/acme/web:1.4.3");
    assertThat(retagged).isEqualTo("kustomize:\n  images:\n  - ghcr.io/acme/web:1.4.3\n  - ghcr.io/acme/api:2.0.0\n");

    Map<String, Object> read = argoCdReads(retagged);
    assertThat(read).containsOnlyKeys("kustomize");
    assertThat(section(read, "kustomize")).containsOnlyKeys("images");
    assertThat(section(read, "kustomize").get("images")).isEqualTo(List.of("ghcr.io/acme/web:1.4.3", "ghcr.io/acme/api:2.0.0"));
  }

  @Test
  void helmFromNothingThenANewImageThenANewTagIsWhatTheUpdaterWrites() {
    String created = helm("", params("image.name", "ghcr.io/acme/web", "image.tag", "1.4.2"));
    assertThat(created).isEqualTo("""
        helm:
          parameters:
          - name: image.name
            value: ghcr.io/acme/web
            forcestring: true
          - name: image.tag
            value: 1.4.2
            forcestring: true
        """);
    String added = helm(created, params("api.image.name", "ghcr.io/acme/api", "api.image.tag", "2.0"));
    assertThat(added).isEqualTo("""
        helm:
          parameters:
          - name: api.image.name
            value: ghcr.io/acme/api
            forcestring: true
          - name: api.image.tag
            value: "2.0"
            forcestring: true
          - name: image.name
            value: ghcr.io/acme/web
            forcestring: true
          - name: image.tag
            value: 1.4.2
            forcestring: true
        """);
    String retagged = helm(added, params("image.name", "ghcr.io/acme/web", "image.tag", "1.4.3"));
    assertThat(retagged).isEqualTo(added.replace("1.4.2", "1.4.3"));

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> parameters =
        (List<Map<String, Object>>) section(argoCdReads(retagged), "helm").get("parameters");
    assertThat(parameters).hasSize(4);
    for (Map<String, Object> parameter : parameters) {
      assertThat(parameter).containsOnlyKeys("name", "value", "forcestring");
      assertThat(parameter.get("value")).isInstanceOf(String.class);
      assertThat(parameter.get("forcestring")).isEqualTo(true);
    }
    assertThat(parameters.stream().map(p -> p.get("name")).toList())
        .containsExactly("api.image.name", "api.image.tag", "image.name", "image.tag");
  }

  @Test
  void theUpdatersMergeCases() {
    // Test_MarshalParamsOverride "Merge images param"
    assertThat(kustomize("kustomize:\n  images:\n  - existing:latest\n  - updated:old\n", "new:1", "updated:latest"))
        .isEqualTo("kustomize:\n  images:\n  - existing:latest\n  - updated:latest\n  - new:1\n");
    // "GitHub issue #1411 - should not create duplicates with docker.io explicit vs implicit"
    String once = kustomize("kustomize:\n  images:\n  - docker.io/jannfis/foobar:1.0.0\n", "jannfis/foobar:1.0.1");
    assertThat(once).isEqualTo("kustomize:\n  images:\n  - jannfis/foobar:1.0.1\n");
    // "... multiple update cycles should not accumulate duplicates"
    assertThat(kustomize(kustomize(once, "jannfis/foobar:1.0.1"), "jannfis/foobar:1.0.1")).isEqualTo(once);
    // a parameter the updater sets is a string: forcestring becomes true
    assertThat(helm("helm:\n  parameters:\n  - name: image.tag\n    value: \"1.0\"\n    forcestring: false\n",
            params("image.tag", "1.1")))
        .isEqualTo("helm:\n  parameters:\n  - name: image.tag\n    value: \"1.1\"\n    forcestring: true\n");
  }

  @Test
  void everythingElseInAnExistingFileStaysByteForByte() {
    String before = "# recorded by the pipeline\r\nkustomize:\r\n    images:\r\n    - ghcr.io/acme/web:1.0 # web\r\n"
        + "    - name=ghcr.io/acme/worker:3\r\n    namePrefix: x-\r\n";
    assertThat(kustomize(before, "ghcr.io/acme/web:1.1", "name=ghcr.io/acme/worker:4", "ghcr.io/acme/api:2"))
        .isEqualTo(before.replace("web:1.0", "web:1.1").replace("worker:3", "worker:4")
            .replace("worker:4\r\n", "worker:4\r\n    - ghcr.io/acme/api:2\r\n"));
    String already = "kustomize:\n  images:\n  - 'ghcr.io/acme/web:1.0'\n";
    assertThat(kustomize(already, "ghcr.io/acme/web:1.0")).isEqualTo(already);
  }

  @Test
  void aFileForAnotherKindOfSourceIsRefused() {
    assertThatThrownBy(() -> kustomize("helm:\n  parameters:\n  - name: a\n    value: b\n", "web:1"))
        .isInstanceOf(InvalidYamlException.class).hasMessageContaining("no kustomize: mapping");
    assertThatThrownBy(() -> helm("kustomize:\n  images:\n  - web:1\n", params("image.tag", "2")))
        .isInstanceOf(InvalidYamlException.class).hasMessageContaining("no helm: mapping");
  }

  @Test
  void aFileFromNothingWithNothingToRecordHoldsAnEmptyListAsTheUpdatersDoes() {
    // Test_MarshalParamsOverride "Empty originalData error with valid Helm source"
    assertThat(helm("", Map.of())).isEqualTo("helm:\n  parameters: []\n");
    assertThat(kustomize("")).isEqualTo("kustomize:\n  images: []\n");
  }

  @Test
  void anEmptyOrNullListBecomesABlockListAtTheKeysIndentation() {
    // what the updater's yaml.v3 writes for an empty and a nil list, and a key with no value
    assertThat(kustomize("kustomize:\n  images: []\n", "nginx:foo"))
        .isEqualTo("kustomize:\n  images:\n  - nginx:foo\n");
    assertThat(kustomize("kustomize:\n  images: null\n", "nginx:foo", "web:1"))
        .isEqualTo("kustomize:\n  images:\n  - nginx:foo\n  - web:1\n");
    assertThat(kustomize("# pinned by CI\r\nkustomize:\r\n    images:\r\n    # none yet\r\n", "nginx:foo"))
        .isEqualTo("# pinned by CI\r\nkustomize:\r\n    images:\r\n    - nginx:foo\r\n    # none yet\r\n");
    assertThat(helm("helm:\n  parameters: [] # set by CI\n", params("image.tag", "2", "image.name", "web")))
        .isEqualTo("""
            helm:
              parameters:
              - name: image.name
                value: web
                forcestring: true
              - name: image.tag
                value: "2"
                forcestring: true # set by CI
            """);
  }

  @Test
  void anEmptyListWithNothingToAddStaysAsItIs() {
    assertThat(kustomize("kustomize:\n  images: null\n")).isEqualTo("kustomize:\n  images: null\n");
    assertThat(helm("helm:\n  parameters: []\n", Map.of())).isEqualTo("helm:\n  parameters: []\n");
  }

  @Test
  void aListWithEntriesInFlowStyleIsRefusedNotRewritten() {
    assertThatThrownBy(() -> kustomize("kustomize:\n  images: [web:1]\n", "nginx:foo"))
        .isInstanceOf(InvalidYamlException.class)
        .hasMessageContaining("kustomize.images is not a list of entries, nor an empty or null one");
  }

  private static Map<String, String> params(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> argoCdReads(String text) {
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> file, String name) {
    return (Map<String, Object>) file.get(name);
  }
}
