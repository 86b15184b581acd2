package dev.bumper.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.image.ImageReference;
import dev.bumper.manifest.DeployedImages.Deployed;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an environment deploys, read from YAML text, and the plan {@code promote} makes of it. */
class PromotionTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  @Test
  void readsEveryKindOfPlaceWhole() {
    String yaml = """
        spec:
          containers:
            - image: nginx:1.27@%s
          volumes:
            - name: data
              image:
                reference: quay.io/acme/data:3
          api:
            image:
              registry: ghcr.io
              repository: acme/api
              tag: "5.0.1@%s"
          sidecarImage: ghcr.io/acme/sidecar:2
        """.formatted(A, B);

    List<Deployed> found = DeployedImages.of("env/all.yaml", SourceText.of("env/all.yaml", yaml));

    assertThat(found).extracting(place -> place.reference().toString()).containsExactly(
        "nginx:1.27@" + A, "quay.io/acme/data:3", "ghcr.io/acme/api:5.0.1@" + B,
        "ghcr.io/acme/sidecar:2");
    assertThat(found).extracting(Deployed::kind).containsExactly(
        Kind.CONTAINER, Kind.VOLUME, Kind.HELM, Kind.HELM);
    assertThat(found.get(0).repository()).isEqualTo("docker.io/library/nginx");
    assertThat(found.get(0).where()).isEqualTo("env/all.yaml:3");
  }

  @Test
  void aKustomizeEntryDeploysItsNewNameAndReplacesItsName() {
    String yaml = """
        images:
          - name: web
            newName: ghcr.io/acme/web
            newTag: "1.4.2"
            digest: %s
          - name: ghcr.io/acme/worker
            digest: %s
        """.formatted(A, B);

    List<Deployed> found = DeployedImages.of("kustomization.yaml", SourceText.of("k", yaml));

    assertThat(found).extracting(place -> place.reference().toString())
        .containsExactly("ghcr.io/acme/web:1.4.2@" + A, "ghcr.io/acme/worker@" + B);
    assertThat(found).extracting(Deployed::replaces)
        .containsExactly("docker.io/library/web", "ghcr.io/acme/worker");
  }

  @Test
  void anArgoCdOverrideDeploysWhatFollowsItsAlias() {
    String yaml = "kustomize:\n  images:\n  - web=ghcr.io/acme/web:2@" + A + "\n";

    List<Deployed> found = DeployedImages.of("apps/.argocd-source-web.yaml",
        SourceText.of("a", yaml));

    assertThat(found).singleElement().satisfies(place -> {
      assertThat(place.kind()).isEqualTo(Kind.ARGOCD);
      assertThat(place.reference().toString()).isEqualTo("ghcr.io/acme/web:2@" + A);
      assertThat(place.replaces()).isEqualTo("docker.io/library/web");
    });
  }

  @Test
  void aValueThatIsNoReferenceDeploysNothing() {
    String yaml = "containers:\n  - image: \"{{ .Values.image }}\"\n  - image: \"\"\n";

    assertThat(DeployedImages.of("t.yaml", SourceText.of("t", yaml))).isEmpty();
  }

  @Test
  void notYamlIsRefused() {
    assertThatThrownBy(() -> DeployedImages.of("bad.yaml", SourceText.of("b", "a: [\n")))
        .isInstanceOf(InvalidYamlException.class);
  }

  @Test
  void plansTheImagesBothUseAndLeavesOutTheRest() {
    List<Deployed> source = read("""
        images:
          - name: ghcr.io/acme/web
            newTag: "2"
            digest: %s
          - name: ghcr.io/acme/debug
            newTag: "7"
        """.formatted(A));
    List<Deployed> target = read("containers:\n  - image: ghcr.io/acme/web:1\n"
        + "  - image: ghcr.io/acme/legacy:1\n");

    Promotion.Plan plan = Promotion.plan(source, target, List.of(), "staging", "production");

    assertThat(plan.images()).singleElement().satisfies(image -> {
      assertThat(image.repository()).isEqualTo("ghcr.io/acme/web");
      assertThat(image.reference().toString()).isEqualTo("ghcr.io/acme/web:2@" + A);
    });
    assertThat(plan.unused()).extracting(Promotion.Image::repository)
        .containsExactly("ghcr.io/acme/debug");
  }

  @Test
  void anEntryOverridesTheResourcesItReplaces() {
    List<Deployed> source = new ArrayList<>(read("""
        containers:
          - image: web:latest
          - image: ghcr.io/acme/web:0.1
        """));
    source.addAll(read("""
        images:
          - name: web
            newName: ghcr.io/acme/web
            newTag: "2"
            digest: %s
          - name: ghcr.io/acme/web
            newTag: "2"
            digest: %s
        """.formatted(A, A)));

    Promotion.Plan plan = Promotion.plan(source, read("containers:\n  - image: ghcr.io/acme/web\n"),
        List.of(), "staging", "production");

    assertThat(plan.images()).singleElement().satisfies(image -> {
      assertThat(image.reference().toString()).isEqualTo("ghcr.io/acme/web:2@" + A);
      assertThat(image.places()).hasSize(2);
    });
  }

  @Test
  void twoReferencesOfOneImageAreRefusedNamingEach() {
    List<Deployed> source = read("""
        containers:
          - image: nginx:1.27@%s
          - image: docker.io/library/nginx:1.27@%s
          - image: index.docker.io/library/nginx:1.26@%s
        """.formatted(A, A, B));

    assertThatThrownBy(() -> Promotion.plan(source, read("image: nginx:1\n"), List.of(), "staging",
        "production"))
        .isInstanceOfSatisfying(Promotion.Refusal.class, refusal -> {
          assertThat(refusal.reason()).isEqualTo(Promotion.Refusal.Reason.AMBIGUOUS);
          assertThat(refusal.lines()).containsExactly(
              "bumper: staging deploys nginx at 2 references:",
              "  index.docker.io/library/nginx:1.26@" + B + " at t.yaml:4",
              "  nginx:1.27@" + A + " at t.yaml:2, t.yaml:3",
              "bumper: which one to promote is not clear; nothing written");
        });
  }

  @Test
  void aDuplicateKeyOnThePathIsAmbiguousToo() {
    List<Deployed> source = read("image:\n  repository: acme/web\n  tag: \"1\"\n  tag: \"2\"\n");

    assertThatThrownBy(() -> Promotion.plan(source, read("image: acme/web:0\n"), List.of(), "s",
        "p"))
        .isInstanceOfSatisfying(Promotion.Refusal.class, refusal ->
            assertThat(refusal.lines().get(0)).contains("t.yaml:4")
                .contains("duplicate key 'tag'"));
  }

  @Test
  void onlyTheImagesNamedAndEachMustBeInBoth() {
    List<Deployed> source = read("""
        containers:
          - image: ghcr.io/acme/web:2@%s
          - image: ghcr.io/acme/api:1@%s
          - image: ghcr.io/acme/api:2@%s
        """.formatted(A, A, B));
    List<Deployed> target = read("containers:\n  - image: ghcr.io/acme/web:1\n"
        + "  - image: ghcr.io/acme/api:1\n");

    Promotion.Plan plan = Promotion.plan(source, target,
        List.of(ImageReference.parse("GHCR.io/acme/web")), "s", "p");

    assertThat(plan.images()).extracting(Promotion.Image::repository)
        .containsExactly("ghcr.io/acme/web");
    assertThatThrownBy(() -> Promotion.plan(source, target,
        List.of(ImageReference.parse("ghcr.io/acme/wbe")), "s", "p"))
        .isInstanceOfSatisfying(Promotion.Refusal.class, refusal -> {
          assertThat(refusal.reason()).isEqualTo(Promotion.Refusal.Reason.NO_MATCH);
          assertThat(refusal.lines().get(0))
              .isEqualTo("bumper: --image ghcr.io/acme/wbe: s deploys no such image");
        });
  }

  @Test
  void nothingInCommonMatchesNothing() {
    assertThatThrownBy(() -> Promotion.plan(read("image: a/x:1\n"), read("image: a/y:1\n"),
        List.of(), "s", "p"))
        .isInstanceOfSatisfying(Promotion.Refusal.class, refusal -> {
          assertThat(refusal.reason()).isEqualTo(Promotion.Refusal.Reason.NO_MATCH);
          assertThat(refusal.getMessage()).contains("s deploys no image that p uses")
              .contains("docker.io/a/x").contains("docker.io/a/y");
        });
  }

  private static List<Deployed> read(String yaml) {
    return DeployedImages.of("t.yaml", SourceText.of("t.yaml", yaml));
  }
}
