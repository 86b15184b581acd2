package dev.bumper.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.yaml.SourceText;
import org.junit.jupiter.api.Test;

class RepositoriesInUseTest {
  private static java.util.Set<String> of(String path, String text) {
    return RepositoriesInUse.of(path, SourceText.of(path, text));
  }

  @Test
  void everyKindOfPlaceNamesItsRepository() {
    String text = """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {ports: [{port: 80}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: ghcr.io/acme/web:1.0
              initContainers:
                - name: migrate
                  image: "quay.io/acme/migrate@sha256:%s"
        ---
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        images:
          - name: nginx
            newName: registry.acme.internal/nginx
        ---
        sidecarImage:
          registry: docker.io
          repository: acme/proxy
          tag: "2"
        """.formatted("a".repeat(64));

    // as the files spell them, without tag or digest; a kustomize entry by the name it matches
    assertThat(of("apps/web.yaml", text)).containsExactlyInAnyOrder(
        "ghcr.io/acme/web", "quay.io/acme/migrate", "nginx", "docker.io/acme/proxy");
  }

  @Test
  void aDocumentWithoutAnImageKeyIsNotParsedAndNamesNothing() {
    assertThat(RepositoriesInUse.mayHoldAPlace("kind: Service\nspec: {ports: [{port: 80}]}\n")).isFalse();
    assertThat(RepositoriesInUse.mayHoldAPlace("images:\n- name: web\n")).isTrue();
    assertThat(RepositoriesInUse.mayHoldAPlace("webImage: {repository: acme/web}\n")).isTrue();
    // not YAML bumper can read, but without an image key it is never parsed, so never refused
    assertThat(of("broken.yaml", "kind: ConfigMap\ndata: [unclosed\n")).isEmpty();
    assertThat(of("broken.yaml", "image: [unclosed\n")).isEmpty();
  }
}
