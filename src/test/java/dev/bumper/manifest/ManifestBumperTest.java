package dev.bumper.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.image.ImageUpdate;
import dev.bumper.yaml.EditConflictException;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ManifestBumperTest {
  private static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  /** Bumps {@code yaml} with {@code -i} specs; returns the new text. */
  private static String bump(String yaml, String... images) {
    return bumpFile("deploy.yaml", yaml, images).edited().newText();
  }

  private static FileBump bumpFile(String path, String yaml, String... images) {
    List<ImageUpdate> updates = new ArrayList<>();
    for (String image : images) {
      updates.add(ImageUpdate.parse(image));
    }
    return new ManifestBumper(new BumpRequest(updates, List.of(), List.of()))
        .bump(path, SourceText.of(path, yaml));
  }

  private static FileBump request(String yaml, BumpRequest request) {
    return new ManifestBumper(request).bump("f.yaml", SourceText.of("f.yaml", yaml));
  }

  private static String pod(String image) {
    return "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: web\n      image: " + image + "\n";
  }

  @Nested
  class Containers {
    @Test
    void setsTagKeepingEverythingElse() {
      String in = pod("ghcr.io/acme/web:1.0   # pinned by CI");
      assertThat(bump(in, "ghcr.io/acme/web:1.1"))
          .isEqualTo(pod("ghcr.io/acme/web:1.1   # pinned by CI"));
    }

    @Test
    void findsInitEphemeralAndNestedContainers() {
      String in =
          """
          kind: CronJob
          spec:
            jobTemplate:
              spec:
                template:
                  spec:
                    initContainers:
                      - name: init
                        image: web:1
                    containers:
                      - {name: main, image: web:1}
                    ephemeralContainers: [{name: debug, image: "web:1"}]
          """;
      FileBump result = bumpFile("cron.yaml", in, "web:2");
      assertThat(result.edited().newText())
          .isEqualTo(in.replace("image: web:1", "image: web:2").replace("\"web:1\"", "\"web:2\""));
      assertThat(result.changes()).extracting(ValueChange::kind).containsOnly(Kind.CONTAINER);
      assertThat(result.changes()).extracting(ValueChange::line).containsExactly(9, 11, 12);
    }

    @Test
    void dockerHubSpellingsAreOneRepositoryAndKeepTheirSpelling() {
      String in =
          """
          spec:
            containers:
              - image: nginx:1.25
              - image: docker.io/nginx:1.25
              - image: index.docker.io/library/nginx:1.25
              - image: docker.io/library/nginx
              - image: quay.io/nginx:1.25
          """;
      assertThat(bump(in, "docker.io/library/nginx:1.27"))
          .isEqualTo(
              """
              spec:
                containers:
                  - image: nginx:1.27
                  - image: docker.io/nginx:1.27
                  - image: index.docker.io/library/nginx:1.27
                  - image: docker.io/library/nginx:1.27
                  - image: quay.io/nginx:1.25
              """);
    }

    @Test
    void registriesWithPorts() {
      String in = pod("localhost:5000/team/web:1.0");
      assertThat(bump(in, "localhost:5000/team/web:2.0")).isEqualTo(pod("localhost:5000/team/web:2.0"));
      assertThat(bump(in, "localhost:5001/team/web:2.0")).isEqualTo(in);
    }

    @Test
    void digestOnlySpecRemovesTheTagAndStarKeepsIt() {
      String in = pod("web:1.0");
      assertThat(bump(in, "web@" + DIGEST)).isEqualTo(pod("web@" + DIGEST));
      assertThat(bump(in, "web:*@" + DIGEST)).isEqualTo(pod("web:1.0@" + DIGEST));
    }

    @Test
    void renames() {
      assertThat(bump(pod("web:1.0"), "web=ghcr.io/acme/web:1.1")).isEqualTo(pod("ghcr.io/acme/web:1.1"));
      assertThat(bump(pod("web:1.0"), "web=ghcr.io/acme/web:*")).isEqualTo(pod("ghcr.io/acme/web:1.0"));
    }

    @Test
    void noOpLeavesTextIdenticalAndReportsAMatch() {
      String in = pod("web:1.0");
      FileBump result = bumpFile("p.yaml", in, "web:1.0");
      assertThat(result.changed()).isFalse();
      assertThat(result.edited().newText()).isEqualTo(in);
      assertThat(result.changes()).isEmpty();
      assertThat(result.matched().get(0)).isTrue();
    }

    @Test
    void otherRepositoriesAreUntouched() {
      FileBump result = bumpFile("p.yaml", pod("ghcr.io/acme/web2:1.0"), "ghcr.io/acme/web:1.1");
      assertThat(result.changed()).isFalse();
      assertThat(result.matched().isEmpty()).isTrue();
    }

    @Test
    void twoSpecsSettingOnePlaceDifferentlyConflict() {
      assertThatThrownBy(() -> bump(pod("nginx:1"), "nginx:2", "docker.io/library/nginx:3"))
          .isInstanceOf(EditConflictException.class)
          .hasMessageContaining("deploy.yaml:6");
    }
  }

  @Nested
  class Quoting {
    @Test
    void quotedValuesKeepTheirQuotes() {
      assertThat(bump(pod("\"web:1\""), "web:2")).isEqualTo(pod("\"web:2\""));
      assertThat(bump(pod("'web:1'"), "web:2")).isEqualTo(pod("'web:2'"));
    }

    @Test
    void helmTagThatWasQuotedStaysQuoted() {
      String in = "image:\n  repository: alpine\n  tag: \"3.24\"\n";
      assertThat(bump(in, "alpine:3.25")).isEqualTo("image:\n  repository: alpine\n  tag: \"3.25\"\n");
    }

    @Test
    void plainTagThatWouldReadAsANumberIsQuoted() {
      String in = "image:\n  repository: app\n  tag: 0.1\n";
      assertThat(bump(in, "app:0.10")).isEqualTo("image:\n  repository: app\n  tag: \"0.10\"\n");
      assertThat(bump(in, "app:v0.10")).isEqualTo("image:\n  repository: app\n  tag: v0.10\n");
    }
  }

  @Nested
  class Syntax {
    @Test
    void keepsAUtf8Bom() {
      String in = "\uFEFF" + pod("web:1");
      assertThat(bump(in, "web:2")).isEqualTo("\uFEFF" + pod("web:2"));
    }

    @Test
    void documentMarkersAndDirectives() {
      String in = "%YAML 1.2\n---\n" + pod("web:1") + "...\n---\n" + pod("web:1") + "...\n";
      assertThat(bump(in, "web:2")).isEqualTo(in.replace("web:1", "web:2"));
    }

    @Test
    void anchoredImageIsEditedOnceAtItsAnchor() {
      String in =
          """
          x-image: &img ghcr.io/acme/web:1.0
          spec:
            containers:
              - name: a
                image: *img
              - name: b
                image: *img
          """;
      FileBump result = bumpFile("a.yaml", in, "ghcr.io/acme/web:1.1");
      assertThat(result.edited().newText()).isEqualTo(in.replace("web:1.0", "web:1.1"));
      assertThat(result.changes()).hasSize(1);
      assertThat(result.changes().get(0).line()).isEqualTo(1);
      assertThat(result.changes().get(0).column()).isEqualTo(15);
    }

    @Test
    void flowStyleMappingsAndSequences() {
      String in = "spec: {containers: [{name: a, image: web:1}, {image: 'web:1', name: b}]}\n";
      assertThat(bump(in, "web:2")).isEqualTo(in.replace("web:1", "web:2"));
    }

    @Test
    void crlfCrOnlyTabsAndNoFinalNewline() {
      String lf = pod("web:1");
      for (String eol : List.of("\r\n", "\r")) {
        String in = lf.replace("\n", eol);
        assertThat(bump(in, "web:2")).isEqualTo(in.replace("web:1", "web:2"));
      }
      String tabs = "spec:\n  containers:\n    - name:\tweb\n      image:\t\tweb:1\t# tabbed\n";
      assertThat(bump(tabs, "web:2")).isEqualTo(tabs.replace("web:1", "web:2"));
      String noNewline = lf.substring(0, lf.length() - 1);
      assertThat(bump(noNewline, "web:2")).isEqualTo(noNewline.replace("web:1", "web:2"));
    }

    @Test
    void multiByteCharactersAroundTheParserBufferBoundary() {
      // SnakeYAML reads in windows of 1024 code points and counts marks in code points: put
      // characters of 2, 3 and 4 UTF-8 bytes (one a surrogate pair) on both sides of the boundary.
      for (int pad = 1000; pad < 1040; pad++) {
        String comment = "# " + "é".repeat(pad / 3) + "中".repeat(pad / 3) + "😀".repeat(pad / 3) + "\n";
        String in = comment + pod("web:1") + comment + "# 😀\n" + "other:\n  image: web:1 # 😀 中\n";
        assertThat(bump(in, "web:2")).as("pad %d", pad).isEqualTo(in.replace("web:1", "web:2"));
      }
    }

    @Test
    void commentedOutImagesAreNeverTouched() {
      String in = "spec:\n  containers:\n    - name: a\n      # image: web:0.9\n      image: web:1\n";
      assertThat(bump(in, "web:2")).isEqualTo(in.replace("image: web:1", "image: web:2"));
    }

    @Test
    void duplicateKeysOnThePathAreRefused() {
      String in = "spec:\n  containers:\n    - name: a\n      image: web:1\n      image: web:0\n";
      assertThatThrownBy(() -> bump(in, "web:2"))
          .isInstanceOf(InvalidYamlException.class)
          .hasMessageContaining("deploy.yaml:5:7")
          .hasMessageContaining("duplicate key 'image'");
      String upper = "spec:\n  containers: []\nspec:\n  containers:\n    - image: web:1\n";
      assertThatThrownBy(() -> bump(upper, "web:2")).isInstanceOf(InvalidYamlException.class);
    }

    @Test
    void duplicateKeysElsewhereAreNoneOfOurBusiness() {
      String in = "metadata:\n  labels: {a: 1, a: 2}\nspec:\n  containers:\n    - image: web:1\n";
      assertThat(bump(in, "web:2")).isEqualTo(in.replace("web:1", "web:2"));
    }

    @Test
    void imageInABlockScalarIsRefused() {
      String in = "spec:\n  containers:\n    - name: a\n      image: |\n        web:1\n";
      assertThatThrownBy(() -> bump(in, "web:2"))
          .isInstanceOf(InvalidYamlException.class)
          .hasMessageContaining("deploy.yaml:4")
          .hasMessageContaining("block scalar");
    }

    @Test
    void textInsideBlockScalarsIsNotAnImage() {
      String in = "annotations:\n  images: |\n    - image: web:1\n";
      FileBump result = bumpFile("c.yaml", in, "web:2");
      assertThat(result.changed()).isFalse();
      assertThat(result.matched().isEmpty()).isTrue();
    }

    @Test
    void invalidYamlNamesLineAndColumn() {
      assertThatThrownBy(() -> bump("a: [1, 2\nb: web:1\n", "web:2"))
          .isInstanceOf(InvalidYamlException.class)
          .hasMessageMatching("deploy\\.yaml:\\d+:\\d+: not valid YAML: .*");
    }

    @Test
    void documentsAreComposedOneByOneWithFileLineNumbers() {
      String in = pod("other:1") + "---\n" + pod("web:1") + "--- |\n  text\n---\n" + pod("web:1");
      FileBump result = bumpFile("multi.yaml", in, "web:2");
      assertThat(result.edited().newText()).isEqualTo(in.replace("web:1", "web:2"));
      assertThat(result.changes()).extracting(ValueChange::line).containsExactly(13, 22);
      assertThat(result.edited().edits()).hasSize(2);
      String broken = pod("other:1") + "---\n" + pod("web:1") + "---\na: [web\n";
      assertThatThrownBy(() -> bump(broken, "web:2"))
          .isInstanceOf(InvalidYamlException.class)
          .hasMessageStartingWith("deploy.yaml:16:");
    }

    @Test
    void aDocumentMarkerInsideABlockScalarEndsTheDocumentAsInTheWholeStream() {
      String in = "a: |\n  x\n---\n" + pod("web:1");
      assertThat(bump(in, "web:2")).isEqualTo(in.replace("web:1", "web:2"));
    }
  }

  @Nested
  class Places {
    @Test
    void imageVolumes() {
      String in = "spec:\n  volumes:\n    - name: data\n      image:\n        reference: ghcr.io/acme/data:1\n";
      FileBump result = bumpFile("v.yaml", in, "ghcr.io/acme/data:2");
      assertThat(result.edited().newText()).isEqualTo(in.replace("data:1", "data:2"));
      assertThat(result.changes()).extracting(ValueChange::kind).containsExactly(Kind.VOLUME);
    }

    @Test
    void helmRegistryRepositoryTagAndDigest() {
      String in =
          """
          image:
            registry: docker.io
            repository: bitnami/nginx
            tag: 1.25.3-debian-12-r0
            digest: ""
          """;
      FileBump result = bumpFile("values.yaml", in, "docker.io/bitnami/nginx:1.25.4@" + DIGEST);
      assertThat(result.edited().newText())
          .isEqualTo(in.replace("1.25.3-debian-12-r0", "1.25.4").replace("\"\"", "\"" + DIGEST + "\""));
      assertThat(result.changes()).singleElement().satisfies(c -> {
        assertThat(c.kind()).isEqualTo(Kind.HELM);
        assertThat(c.old()).isEqualTo("docker.io/bitnami/nginx:1.25.3-debian-12-r0");
        assertThat(c.now()).isEqualTo("docker.io/bitnami/nginx:1.25.4@" + DIGEST);
      });
      // a tag-only spec clears the digest again
      String pinned = result.edited().newText();
      assertThat(bump(pinned, "bitnami/nginx:1.26")).isEqualTo(in.replace("1.25.3-debian-12-r0", "\"1.26\""));
    }

    @Test
    void helmTagWithDigestInOneField() {
      String in = "controllers:\n  app:\n    image:\n      repository: ghcr.io/home/app\n      tag: 1.0.0@sha256:" + "a".repeat(64) + "\n";
      assertThat(bump(in, "ghcr.io/home/app:1.1.0@" + DIGEST))
          .isEqualTo(in.replace("1.0.0@sha256:" + "a".repeat(64), "1.1.0@" + DIGEST));
      assertThat(bump(in, "ghcr.io/home/app:1.1.0"))
          .isEqualTo(in.replace("1.0.0@sha256:" + "a".repeat(64), "1.1.0"));
    }

    @Test
    void helmStringsUnderImageKeys() {
      String in = "sidecarImage: envoy:v1\nimage: web:1\nnested:\n  initImage: web:1\n";
      FileBump result = bumpFile("values.yaml", in, "web:2", "envoy:v2");
      assertThat(result.edited().newText()).isEqualTo("sidecarImage: envoy:v2\nimage: web:2\nnested:\n  initImage: web:2\n");
      assertThat(result.changes()).extracting(ValueChange::kind).containsOnly(Kind.HELM);
    }

    @Test
    void kustomizeImagesSetAddAndRemoveFields() {
      String in =
          """
          apiVersion: kustomize.config.k8s.io/v1beta1
          kind: Kustomization
          images:
            # the app
            - name: web
              newName: ghcr.io/acme/web  # moved registry
              newTag: "1.0"
            - name: busybox
          patches:
            - target:
                kind: Deployment
              patch: |-
                - op: replace
                  path: /spec/template/spec/containers/0/image
                  value: ghcr.io/acme/web:0.1
          """;
      assertThat(bump(in, "ghcr.io/acme/web:1.1"))
          .isEqualTo(in.replace("newTag: \"1.0\"", "newTag: \"1.1\""));
      assertThat(bump(in, "ghcr.io/acme/web@" + DIGEST))
          .isEqualTo(in.replace("    newTag: \"1.0\"\n", "").replace("# moved registry", "# moved registry\n    digest: " + DIGEST));
      assertThat(bump(in, "busybox:1.36"))
          .isEqualTo(in.replace("  - name: busybox\n", "  - name: busybox\n    newTag: \"1.36\"\n"));
      assertThat(bump(in, "web=quay.io/acme/web:2"))
          .isEqualTo(in.replace("ghcr.io/acme/web  #", "quay.io/acme/web  #").replace("\"1.0\"", "\"2\""));
    }

    @Test
    void fluxKustomizationSpecImages() {
      String in =
          "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  images:\n    - name: web\n      newTag: 1.0.0\n";
      FileBump result = bumpFile("flux.yaml", in, "web:1.0.1");
      assertThat(result.edited().newText()).isEqualTo(in.replace("1.0.0", "1.0.1"));
      assertThat(result.changes()).extracting(ValueChange::kind).containsExactly(Kind.KUSTOMIZE);
    }

    @Test
    void patchTargetsAndReplacementSelectorsAreNotImages() {
      String in =
          """
          patches:
            - target:
                image: web:1
          replacements:
            - source:
                image: web:1
              targets:
                - select:
                    image: web:1
          """;
      FileBump result = bumpFile("kustomization.yaml", in, "web:2");
      assertThat(result.changed()).isFalse();
      assertThat(result.matched().isEmpty()).isTrue();
    }

    @Test
    void argoCdWriteBackFiles() {
      String in = "kustomize:\n  images:\n    - ghcr.io/acme/web:1.0\n    - web=ghcr.io/acme/web:1.0\n    - other:1\n";
      FileBump result = bumpFile("apps/.argocd-source-web.yaml", in, "ghcr.io/acme/web:1.1");
      assertThat(result.edited().newText()).isEqualTo(in.replace("web:1.0", "web:1.1"));
      assertThat(result.changes()).extracting(ValueChange::kind).containsOnly(Kind.ARGOCD);
      // the same shape in another file is not a write-back file
      assertThat(bumpFile("apps/values.yaml", in, "ghcr.io/acme/web:1.1").changed()).isFalse();
    }

    @Test
    void aBareNameInAnArgoCdWriteBackFileIsRefusedAsKustomizeWould() {
      String in = "kustomize:\n  images:\n    - nginx:1.25\n";
      assertThatThrownBy(() -> bumpFile("apps/.argocd-source-web.yaml", in, "nginx"))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("apps/.argocd-source-web.yaml:3: nginx in an Argo CD override file needs a tag or a digest");
      // in a manifest, a bare name is what the spec asks for
      assertThat(bump("spec:\n  containers:\n    - image: nginx:1.25\n", "nginx")).contains("image: nginx\n");
    }
  }

  @Nested
  class PathsAndPolicies {
    @Test
    void setByPathWithIndexSelectorAndQuotedKey() {
      String in =
          """
          spec:
            containers:
              - name: sidecar
                image: envoy:1
              - name: web
                image: web:1
          metadata:
            annotations:
              "acme.io/version": "1"
          replicas: 2
          """;
      BumpRequest request =
          new BumpRequest(
              List.of(),
              List.of(
                  PathAssignment.parse("spec.containers[name=web].image=web:2"),
                  PathAssignment.parse("spec.containers[0].image=envoy:2"),
                  PathAssignment.parse("metadata.annotations.\"acme.io/version\"=2"),
                  PathAssignment.parse("replicas=3")),
              List.of());
      FileBump result = request(in, request);
      assertThat(result.edited().newText())
          .isEqualTo(in.replace("web:1", "web:2").replace("envoy:1", "envoy:2")
              .replace("\"1\"", "\"2\"").replace("replicas: 2", "replicas: 3"));
      assertThat(result.changes()).extracting(ValueChange::kind).containsOnly(Kind.PATH);
      assertThat(result.matched().cardinality()).isEqualTo(4);
    }

    @Test
    void settingWhatAValueAlreadyIsIsANoOpWhateverItsStyle() {
      String in = "steps:\n  run: >-\n    echo hello\n  script: |\n    make test\n  plain: a\n    b\n";
      BumpRequest request = new BumpRequest(List.of(), List.of(
          PathAssignment.parse("steps.run=echo hello"),
          PathAssignment.parse("steps.script=make test\n"),
          PathAssignment.parse("steps.plain=a b")), List.of());
      FileBump result = request(in, request);
      assertThat(result.changed()).isFalse();
      assertThat(result.edited().newText()).isEqualTo(in);
      assertThat(result.matched().cardinality()).isEqualTo(3);
      // a new value for a block scalar is still refused: bumper edits one-line scalars only
      BumpRequest change = new BumpRequest(List.of(), List.of(PathAssignment.parse("steps.run=echo bye")), List.of());
      assertThatThrownBy(() -> request(in, change)).isInstanceOf(InvalidYamlException.class)
          .hasMessageContaining("block scalar");
    }

    @Test
    void createKeysAddsAMissingLastKeyInTheMappingsOwnLayout() {
      String block = "image:\r\n    repository: ghcr.io/acme/web\r\n    pullPolicy: IfNotPresent\r\nreplicas: 1\r\n";
      String flow = "image: {repository: ghcr.io/acme/web}\n";
      BumpRequest request =
          new BumpRequest(List.of(), List.of(PathAssignment.parse("image.tag=1.4.2")), List.of(), true);
      assertThat(request(block, request).edited().newText())
          .isEqualTo(block.replace("IfNotPresent\r\n", "IfNotPresent\r\n    tag: 1.4.2\r\n"));
      FileBump fromFlow = request(flow, request);
      assertThat(fromFlow.edited().newText()).isEqualTo("image: {repository: ghcr.io/acme/web, tag: 1.4.2}\n");
      // a value that would read as a number is quoted: the key holds a string
      BumpRequest number =
          new BumpRequest(List.of(), List.of(PathAssignment.parse("image.tag=1.5")), List.of(), true);
      assertThat(request(flow, number).edited().newText())
          .isEqualTo("image: {repository: ghcr.io/acme/web, tag: \"1.5\"}\n");
      assertThat(fromFlow.changes()).singleElement()
          .satisfies(c -> assertThat(c.old()).isNull())
          .satisfies(c -> assertThat(c.now()).isEqualTo("1.4.2"));
      // a key that is there is set as usual, not added again
      String there = "image:\n  tag: \"1.0\"\n";
      assertThat(request(there, request).edited().newText()).isEqualTo("image:\n  tag: \"1.4.2\"\n");
    }

    @Test
    void createKeysAddsOnlyTheLastKeyAndOnlyWhenAsked() {
      String in = "image:\n  repository: ghcr.io/acme/web\n";
      BumpRequest deeper =
          new BumpRequest(List.of(), List.of(PathAssignment.parse("image.pull.policy=Always")), List.of(), true);
      FileBump missingParent = request(in, deeper);
      assertThat(missingParent.changed()).isFalse();
      assertThat(missingParent.matched().isEmpty()).isTrue();
      BumpRequest notAsked = new BumpRequest(List.of(), List.of(PathAssignment.parse("image.tag=1.4.2")), List.of());
      FileBump without = request(in, notAsked);
      assertThat(without.changed()).isFalse();
      assertThat(without.matched().isEmpty()).isTrue();
    }

    @Test
    void setOnAMappingIsRefused() {
      BumpRequest request = new BumpRequest(List.of(), List.of(PathAssignment.parse("spec=x")), List.of());
      assertThatThrownBy(() -> request("spec:\n  a: 1\n", request))
          .isInstanceOf(InvalidYamlException.class)
          .hasMessageContaining("not a scalar");
    }

    @Test
    void setAnEmptyValue() {
      BumpRequest request = new BumpRequest(List.of(), List.of(PathAssignment.parse("image.tag=1.2.3")), List.of());
      assertThat(request("image:\n  tag:\n  pull: Always\n", request).edited().newText())
          .isEqualTo("image:\n  tag: 1.2.3\n  pull: Always\n");
    }

    @Test
    void allFourFluxMarkerForms() {
      String in =
          """
          spec:
            image: ghcr.io/acme/web:1.0 # {"$imagepolicy": "flux-system:web"}
          values:
            image:
              repository: ghcr.io/acme/web # {"$imagepolicy": "flux-system:web:name"}
              tag: "1.0" # {"$imagepolicy": "flux-system:web:tag"}
              digest: sha256:old # {"$imagepolicy": "flux-system:web:digest"}
            other: ghcr.io/acme/web:1.0 # {"$imagepolicy": "flux-system:other"}
          """;
      BumpRequest request =
          new BumpRequest(
              List.of(),
              List.of(),
              List.of(PolicyAssignment.parse("flux-system:web=quay.io/acme/web:1.1@" + DIGEST)));
      FileBump result = request(in, request);
      assertThat(result.edited().newText())
          .isEqualTo(
              in.replace("spec:\n  image: ghcr.io/acme/web:1.0", "spec:\n  image: quay.io/acme/web:1.1@" + DIGEST)
                  .replace("repository: ghcr.io/acme/web", "repository: quay.io/acme/web")
                  .replace("\"1.0\"", "\"1.1\"")
                  .replace("sha256:old", DIGEST));
      assertThat(result.changes()).extracting(ValueChange::kind).containsOnly(Kind.MARKER).hasSize(4);
    }

    @Test
    void markerInsideAStringIsNotAMarker() {
      String in = "a: 'x # {\"$imagepolicy\": \"ns:web\"}'\n";
      BumpRequest request = new BumpRequest(List.of(), List.of(), List.of(PolicyAssignment.parse("ns:web=web:2")));
      FileBump result = request(in, request);
      assertThat(result.changed()).isFalse();
      assertThat(result.matched().isEmpty()).isTrue();
    }
  }
}
