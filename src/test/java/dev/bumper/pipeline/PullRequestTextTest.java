package dev.bumper.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.edit.ArgoCdSourceEdit;
import dev.bumper.edit.KustomizationEdit;
import dev.bumper.edit.ManifestEdit;
import dev.bumper.failure.UsageException;
import dev.bumper.image.ImageUpdate;
import dev.bumper.manifest.PathAssignment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Branch names, titles and bodies of pull requests, from the edit and the templates. */
class PullRequestTextTest {
  private static ManifestEdit bump(List<String> paths, String... images) {
    return new ManifestEdit("", List.of(images).stream().map(ImageUpdate::parse).toList(),
        List.of(), List.of(), List.of(), List.of(), paths, false);
  }

  @Test
  void theBranchIsNamedAfterWhatTheEditTargetsNotTheNewTag() {
    String first = PullRequestText.branch(PullRequestText.DEFAULT_BRANCH,
        bump(List.of("overlays/prod"), "ghcr.io/acme/web:1.4.2"), "main", Map.of());
    String next = PullRequestText.branch(PullRequestText.DEFAULT_BRANCH,
        bump(List.of("./overlays/prod"), "ghcr.io/acme/web:1.5.0@sha256:" + "a".repeat(64)),
        "main", Map.of());
    assertThat(first).isEqualTo("bumper/main/overlays-prod-web").isEqualTo(next);
    assertThat(PullRequestText.branch(PullRequestText.DEFAULT_BRANCH, bump(List.of(),
        "localhost:5000/web:1", "api=ghcr.io/acme/api:2"), "release/1.x", Map.of()))
        .isEqualTo("bumper/release/1.x/api-web");
    assertThat(PullRequestText.branch(PullRequestText.DEFAULT_BRANCH,
        bump(List.of("b/", "./a"), "web:2", "api:3"), "main", Map.of()))
        .isEqualTo(PullRequestText.branch(PullRequestText.DEFAULT_BRANCH,
            bump(List.of("a", "b"), "api:1", "web:1"), "main", Map.of()))
        .isEqualTo("bumper/main/a-b-api-web");
  }

  @Test
  void everyKindOfEditHasATarget() {
    assertThat(PullRequestText.target(new KustomizationEdit("", "overlays/prod/kustomization.yaml",
        List.of("ghcr.io/acme/web:1.4.2")))).isEqualTo("overlays-prod-web");
    assertThat(PullRequestText.target(new ArgoCdSourceEdit("", "web-prod", null,
        List.of(ImageUpdate.parse("ghcr.io/acme/web:1.4.2")), "image.name", "image.tag")))
        .isEqualTo("argocd-web-prod-web");
    assertThat(PullRequestText.target(new ManifestEdit("", List.of(),
        List.of(PathAssignment.parse("image.tag=1.4.2")), List.of(), List.of(), List.of(),
        List.of("values.yaml"), false))).isEqualTo("values.yaml-image.tag");
  }

  @Test
  void aTemplateMakesAValidBranchNameOrIsRefused() {
    assertThat(PullRequestText.branch("deploy/{base}//{short_sha} x..y.lock/", bump(List.of(),
        "web:1"), "main", Map.of("sha", "0123456789abcdef"))).isEqualTo("deploy/main/0123456-x.y-lock");
    assertThatThrownBy(() -> PullRequestText.branch("..", bump(List.of(), "web:1"), "main",
        Map.of())).isInstanceOf(UsageException.class).hasMessageContaining("makes no branch name");
    assertThatThrownBy(() -> PullRequestText.branch("{base}", bump(List.of(), "web:1"), "main",
        Map.of())).isInstanceOf(UsageException.class).hasMessageContaining("of its own");
    assertThat(PullRequestText.branch("x.lock.", bump(List.of(), "web:1"), "main", Map.of()))
        .isEqualTo("x-lock");
  }

  @Test
  void theSourceCommitIsALinkWhenItsRepositoryIsKnown() {
    assertThat(PullRequestText.render("{source_commit}", Map.of("sha", "0123456789abcdef",
        "source_repo", "https://github.com/acme/app.git")))
        .isEqualTo("[0123456](https://github.com/acme/app/commit/0123456789abcdef)");
    assertThat(PullRequestText.render("{source_commit}", Map.of("sha", "0123456789abcdef",
        "source_repo", "git@github.com:acme/app.git"))).isEqualTo("0123456789abcdef");
  }

  @Test
  void theTitleIsOneLineAndTheBodyATableOfTheChanges() {
    assertThat(PullRequestText.title("Deploy {summary} ({short_sha})",
        List.of("web 1.4.1 -> 1.4.2", "api 2 -> 3"), Map.of("sha", "0123456789abcdef")))
        .isEqualTo("Deploy web 1.4.1 -> 1.4.2 (and 1 more) (0123456)");
    assertThat(PullRequestText.title("{summary}\n{nope}", List.of(), Map.of()))
        .isEqualTo("Update config {nope}");
  }
}
