package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A recorded intent is replayed on a new tip from its JSON alone: the edit is read back as a value
 * and applied to the tip's files, with no command line parsed, as commit-push does after a lost race.
 */
class IntentReplayTest {
  private static final String BASE = "0123456789abcdef0123456789abcdef01234567";

  /** The new tip: another pipeline bumped api, and web moved on to 1.1.0 by hand. */
  private static final Map<String, String> NEW_TIP = Map.of(
      "apps/web/deployment.yaml", """
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
          spec:
            template:
              spec:
                containers:
                  - name: web
                    image: ghcr.io/acme/web:1.1.0 # pinned by the release
                  - name: api
                    image: ghcr.io/acme/api:3.0.0
          """,
      "apps/web/values.yaml", "replicas: 2\n",
      "overlays/prod/kustomization.yaml", """
          resources:
            - ../../apps/web
          images:
            - name: ghcr.io/acme/api
              newTag: 3.0.0
            # the web image
            - name: ghcr.io/acme/web
              newTag: 1.1.0
          """);

  @Test
  void aBumpManifestIntentIsAppliedToTheNewTipFromItsJsonAlone() throws Exception {
    Intent intent = IntentStore.parse("""
        {"version":2,"edit":{"command":"bump-manifest","root":"apps","images":["ghcr.io/acme/web:2.0.0"],\
        "set":["spec.template.spec.containers[name=api].image=ghcr.io/acme/api:3.0.1"],"policy":[],\
        "include":["*.yaml"],"exclude":["values.yaml"],"paths":["web"],"allowNoMatch":false},\
        "base":"%s","summaries":["ghcr.io/acme/web 1.0.0 -> 2.0.0"],"files":["apps/web/deployment.yaml"]}
        """.formatted(BASE));

    TreeChange.Result result = EditChange.of(intent.edit()).apply(new MapSnapshot(NEW_TIP));

    assertThat(result.files()).containsOnlyKeys("apps/web/deployment.yaml");
    assertThat(text(result.files().get("apps/web/deployment.yaml")))
        .isEqualTo(NEW_TIP.get("apps/web/deployment.yaml")
            .replace("web:1.1.0 # pinned", "web:2.0.0 # pinned")
            .replace("api:3.0.0", "api:3.0.1"));
    assertThat(result.summaries()).containsExactly("ghcr.io/acme/web 1.1.0 -> 2.0.0", "ghcr.io/acme/api 3.0.0 -> 3.0.1");
  }

  @Test
  void aKustomizeSetImageIntentIsAppliedToTheNewTipFromItsJsonAlone() throws Exception {
    Intent intent = IntentStore.parse("""
        {"version":2,"edit":{"command":"kustomize-set-image","root":"overlays/prod","file":"kustomization.yaml",\
        "images":["ghcr.io/acme/web:2.0.0@sha256:%s"]},\
        "base":"%s","summaries":["ghcr.io/acme/web 1.0.0 -> 2.0.0"],"files":["overlays/prod/kustomization.yaml"]}
        """.formatted("a".repeat(64), BASE));

    TreeChange.Result result = EditChange.of(intent.edit()).apply(new MapSnapshot(NEW_TIP));

    assertThat(result.files()).containsOnlyKeys("overlays/prod/kustomization.yaml");
    assertThat(text(result.files().get("overlays/prod/kustomization.yaml")))
        .isEqualTo(NEW_TIP.get("overlays/prod/kustomization.yaml")
            .replace("newTag: 1.1.0", "newTag: 2.0.0\n    digest: sha256:" + "a".repeat(64)));
  }

  @Test
  void anIntentWrittenIsReadBackAsTheSameEdit() throws Exception {
    Intent recorded = IntentStore.parse("""
        {"version":2,"edit":{"command":"bump-manifest","root":"","images":["web=ghcr.io/acme/web:*@sha256:%s"],\
        "set":["a.\\"b.c\\"[0]=x"],"policy":["flux-system:web=ghcr.io/acme/web:1.2"],\
        "include":[],"exclude":[],"paths":["."],"allowNoMatch":true},\
        "base":"","summaries":[],"files":[]}
        """.formatted("b".repeat(64)));

    Intent again = IntentStore.parse(IntentStore.toJson(recorded));

    assertThat(IntentStore.toJson(again)).isEqualTo(IntentStore.toJson(recorded));
    assertThat(IntentStore.toJson(again)).contains("\"allowNoMatch\":true", "\"set\":[\"a.\\\"b.c\\\"[0]=x\"]");
  }

  @Test
  void anIntentOfAnotherVersionOrAnUnknownEditIsNotReplayed() {
    assertThat(IntentStore.parse("""
        {"version":1,"command":"bump-manifest","root":"","args":["--image=web:2"],"base":"","summaries":[],"files":[]}
        """)).isNull();
    assertThat(IntentStore.parse("""
        {"version":2,"edit":{"command":"rm-rf","root":""},"base":"","summaries":[],"files":[]}
        """)).isNull();
    assertThat(IntentStore.parse("""
        {"version":2,"edit":{"command":"bump-manifest","root":"","images":["not a ref!"],"set":[],"policy":[],\
        "include":[],"exclude":[],"paths":[],"allowNoMatch":false},"base":"","summaries":[],"files":[]}
        """)).isNull();
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A tip's files in memory. */
  private record MapSnapshot(Map<String, String> files) implements Snapshot {
    @Override
    public List<String> paths() {
      List<String> paths = new ArrayList<>(new LinkedHashMap<>(files).keySet());
      paths.sort(null);
      return paths;
    }

    @Override
    public byte[] read(String path) {
      return files.get(path).getBytes(StandardCharsets.UTF_8);
    }
  }
}
