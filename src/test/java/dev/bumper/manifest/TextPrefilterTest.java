package dev.bumper.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.Corpus;
import dev.bumper.image.ImageUpdate;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextPrefilterTest {
  private static final TextPrefilter WEB =
      TextPrefilter.of(new BumpRequest(List.of(ImageUpdate.parse("ghcr.io/acme/web:2")), List.of(), List.of()));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "image: ghcr.io/acme/web:1",
        "registry: ghcr.io\nrepository: acme/web\n",
        "registry: ghcr.io/acme\nrepository: web\n",
        "image: GHCR.IO/acme/web:1",
        "image: \"ghcr.io\\/acme\\/web:1\"",
        "image: \"ghcr.io/acme\\\n  /web:1\"",
        "image: \"\\tghcr.io/acme/web:1\"",
        "image: {registry: Ghcr.io/acme, repository: \"web\", tag: \"1\"}",
        "  - 'web=ghcr.io/acme/web:1'",
        "a: {note: \"see #1\", image: ghcr.io/acme/web:1}",
        "image: \"ghcr.io/acme/web:1\" # web",
        "x: 1\n# comment\nimage: ghcr.io/acme/web@sha256:abc",
        "webhook: web2 # web\nimage: WEB\nname: ghcr.io/acme/web",
        "registry: ghcr.io/acme\nrepository: web",
      })
  void keepsTextThatMayHoldTheImage(String text) {
    assertThat(WEB.mayMatch(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "image: ghcr.io/acme/web2:1",
        "image: ghcr.io/acme/website:1",
        "image: ghcr.io/acme/web-admin:1",
        "image: ghcr.io/acme-labs/web:1",
        "image: web:1",
        "value: http://web.web.svc.cluster.local",
        "# the web frontend (ghcr.io/acme/web)",
        "image: other:1   # was ghcr.io/acme/web:1",
        "repository: acme/web\n",
        "image: acme/web:1",
        "image: docker.io/acme/web:1",
        "image: ghcr.io.mirror.example/acme/web:1",
        "# pushed to ghcr.io\nimage: acme/web:1",
        "image: docker.io/acme/web:1\n---\nimage: ghcr.io/acme/gateway:1\n",
        "registry: ghcr.io\nrepository: other/web\n",
        "registry: ghcr.io/acme\nrepository: other/web\n",
        "",
      })
  void dropsTextThatCannot(String text) {
    assertThat(WEB.mayMatch(text)).isFalse();
  }

  /** The name is looked for where its last component is, whatever byte that starts with. */
  @Test
  void aNameWhoseLastComponentStartsWithADigitOrHasARegistryPort() {
    TextPrefilter twoFactor = TextPrefilter.of(
        new BumpRequest(List.of(ImageUpdate.parse("registry.example.com:5000/acme/2fa:2")), List.of(), List.of()));

    assertThat(twoFactor.mayMatch("image: registry.example.com:5000/acme/2fa:1")).isTrue();
    assertThat(twoFactor.mayMatch("image: REGISTRY.example.com:5000/acme/2fa")).isTrue();
    assertThat(twoFactor.mayMatch("registry: registry.example.com:5000\nrepository: acme/2fa\n")).isTrue();
    assertThat(twoFactor.mayMatch("image: registry.example.com:5000/acme/2fab:1")).isFalse();
    assertThat(twoFactor.mayMatch("image: registry.example.com:5000/acme/x2fa:1")).isFalse();
    assertThat(twoFactor.mayMatch("image: registry.example.com:5001/acme/2fa:1")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"image: nginx:1.25", "image: docker.io/library/nginx", "- name: nginx"})
  void dockerHubOfficialImagesNeedNotSpellLibrary(String text) {
    TextPrefilter nginx =
        TextPrefilter.of(new BumpRequest(List.of(ImageUpdate.parse("nginx:1.27")), List.of(), List.of()));
    assertThat(nginx.mayMatch(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"image: acme/web:1", "image: docker.io/acme/web", "image: index.docker.io/acme/web"})
  void dockerHubNeedNotBeNamed(String text) {
    TextPrefilter hub =
        TextPrefilter.of(new BumpRequest(List.of(ImageUpdate.parse("acme/web:2")), List.of(), List.of()));
    assertThat(hub.mayMatch(text)).isTrue();
  }

  /**
   * The filter's promise, on the real-world corpus: for every image bumper finds in a file, a bump
   * of that image keeps the file.
   */
  @Test
  void keepsEveryCorpusFileForEachImageItUses() {
    Corpus corpus = Corpus.load();
    int checked = 0;
    for (String path : corpus.paths()) {
      byte[] bytes = corpus.read(path);
      SourceText source;
      try {
        source = SourceText.decode(path, bytes);
      } catch (InvalidYamlException e) {
        continue;
      }
      for (ImagesInUse.Use use : ImagesInUse.of(path, source)) {
        TextPrefilter filter = TextPrefilter.of(
            new BumpRequest(List.of(ImageUpdate.parse(use.repository() + ":bumped")), List.of(), List.of()));
        assertThat(filter.mayMatch(bytes)).as(path + ": " + use.reference()).isTrue();
        checked++;
      }
    }
    // 471 when this was written; the corpus is pinned
    assertThat(checked).isGreaterThan(450);
  }

  @ParameterizedTest
  @ValueSource(strings = {"# {\"$imagepolicy\": \"ns:web\"}", "image: x # {\"$imagepolicy\": \"a:b\"}"})
  void policyMarkersLiveInComments(String text) {
    TextPrefilter policies =
        TextPrefilter.of(new BumpRequest(List.of(), List.of(), List.of(PolicyAssignment.parse("ns:web=web:2"))));
    assertThat(policies.mayMatch(text)).isTrue();
    assertThat(policies.mayMatch("image: web:1")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"replicas: 2", "spec:\n  \"replicas\": 2"})
  void setPathsFilterOnTheirLastKey(String text) {
    TextPrefilter set =
        TextPrefilter.of(new BumpRequest(List.of(), List.of(PathAssignment.parse("spec.replicas=3")), List.of()));
    assertThat(set.mayMatch(text)).isTrue();
    assertThat(set.mayMatch("replicasCount: 2")).isFalse();
  }
}
