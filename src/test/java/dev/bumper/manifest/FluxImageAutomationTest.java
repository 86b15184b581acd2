package dev.bumper.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.image.ImageUpdate;
import dev.bumper.yaml.SourceText;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A config repo set up for Flux image automation holds objects that name images without running them. */
class FluxImageAutomationTest {
  private static FileBump bump(String yaml, String image) {
    return new ManifestBumper(new BumpRequest(List.of(ImageUpdate.parse(image)), List.of(), List.of()))
        .bump("flux.yaml", SourceText.of("flux.yaml", yaml));
  }

  @Test
  void anImageRepositoryKeepsItsBareRepository() {
    String in =
        """
        apiVersion: image.toolkit.fluxcd.io/v1beta2
        kind: ImageRepository
        metadata:
          name: web
          namespace: flux-system
        spec:
          image: ghcr.io/acme/web
          interval: 5m
        """;
    FileBump result = bump(in, "ghcr.io/acme/web:1.4.2");
    assertThat(result.changed()).isFalse();
    assertThat(result.matched().isEmpty()).isTrue();
  }

  @Test
  void theWorkloadsBesideItAreStillBumped() {
    String in =
        """
        apiVersion: image.toolkit.fluxcd.io/v1
        kind: ImageRepository
        spec:
          image: ghcr.io/acme/web
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        spec:
          images:
            - name: ghcr.io/acme/web
              newTag: 1.4.1 # {"$imagepolicy": "flux-system:web:tag"}
        """;
    FileBump result = bump(in, "ghcr.io/acme/web:1.4.2");
    assertThat(result.edited().newText()).isEqualTo(in.replace("newTag: 1.4.1", "newTag: 1.4.2"));
    assertThat(result.changes()).extracting(ValueChange::kind).containsExactly(Kind.KUSTOMIZE);
  }
}
