package dev.bumper.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.yaml.SourceText;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ApplicationSets as Argo CD's documentation writes them (operator-manual/applicationset:
 * Generators-List, Generators-Git, GoTemplate), expanded far enough to find an application's
 * source by its name.
 */
class ArgoCdApplicationSetsTest {
  private static final List<String> DIRECTORIES = List.of("apps", "apps/guestbook",
      "apps/guestbook/base", "apps/billing_API", "apps/excluded", "clusters", "clusters/dev");

  private static ArgoCdApplicationSets.Found find(String yaml, String name) {
    return ArgoCdApplicationSets.find(SourceText.of("appsets.yaml", yaml), name, DIRECTORIES);
  }

  @Test
  void aListGeneratorsElementsFillTheTemplate() {
    String set = """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: guestbook
        spec:
          generators:
          - list:
              elements:
              - cluster: engineering-dev
                url: https://1.2.3.4
              - cluster: engineering-prod
                url: https://2.4.6.8
          template:
            metadata:
              name: '{{cluster}}-guestbook'
            spec:
              source:
                repoURL: https://github.com/argoproj/argo-cd.git
                path: applicationset/examples/list-generator/guestbook/{{ cluster }}
                kustomize: {}
        """;
    assertThat(find(set, "engineering-prod-guestbook").sources()).containsExactly(
        new ArgoCdApplications.Source("applicationset/examples/list-generator/guestbook/engineering-prod",
            false, true));
    assertThat(find(set, "guestbook").sources()).isEmpty();
  }

  @Test
  void goTemplatesLookUpFieldsNestedValuesAndSegments() {
    String set = """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: addons
        spec:
          goTemplate: true
          goTemplateOptions: ["missingkey=error"]
          generators:
          - list:
              elements:
              - env: {name: staging}
          - git:
              repoURL: https://github.com/acme/config.git
              revision: HEAD
              directories:
              - path: apps/*
              - path: apps/excluded
                exclude: true
          template:
            metadata:
              name: '{{.path.basenameNormalized}}-{{index .path.segments 0}}'
            spec:
              source:
                path: '{{.path.path}}'
                helm:
                  valueFiles: [values.yaml]
        """;
    assertThat(find(set, "guestbook-apps").sources())
        .containsExactly(new ArgoCdApplications.Source("apps/guestbook", true, false));
    // a DNS name: lower case, anything else a hyphen
    assertThat(find(set, "billing-api-apps").sources())
        .containsExactly(new ArgoCdApplications.Source("apps/billing_API", true, false));
    assertThat(find(set, "excluded-apps").sources()).isEmpty();
    // the list element has no .path: Go's template fails on it, and bumper says it did not expand
    assertThat(find(set, "guestbook-apps").unexpanded()).isNotEmpty();
  }

  @Test
  void theDefaultTemplatingHasFlatPathParametersAndAGeneratorsOwnTemplate() {
    String set = """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: clusters
        spec:
          generators:
          - git:
              repoURL: https://github.com/acme/config.git
              directories:
              - path: clusters/*
              template:
                metadata: {}
                spec:
                  source:
                    path: '{{path}}/overlay'
          template:
            metadata:
              name: '{{path[0]}}-{{path.basename}}'
            spec:
              source:
                path: '{{path}}'
        """;
    assertThat(find(set, "clusters-dev").sources())
        .containsExactly(new ArgoCdApplications.Source("clusters/dev/overlay", false, false));
  }

  @Test
  void generatorsBumperCannotExpandAreNamed() {
    String set = """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: fleet
        spec:
          generators:
          - matrix:
              generators:
              - clusters: {}
              - list:
                  elements: [{app: web}]
          - clusters: {}
          template:
            metadata:
              name: '{{name}}-web'
            spec:
              source:
                path: apps/web
        """;
    ArgoCdApplicationSets.Found found = find(set, "prod-web");
    assertThat(found.sources()).isEmpty();
    assertThat(found.unexpanded()).containsExactly(
        "appsets.yaml: ApplicationSet fleet (a matrix generator)",
        "appsets.yaml: ApplicationSet fleet (a clusters generator)");
  }

  @Test
  void anUnknownParameterStaysAsArgoCdLeavesIt() {
    assertThat(ArgoCdApplicationSets.render("{{cluster}}-{{nope}}", Map.of("cluster", "dev"), false))
        .isEqualTo("dev-{{nope}}");
    assertThat(ArgoCdApplicationSets.render("{{ .cluster | upper }}", Map.of("cluster", "dev"), true))
        .isNull();
  }

  @Test
  void directoryPatternsAreGoPathMatchPatterns() {
    assertThat(ArgoCdApplicationSets.glob("apps/*").matcher("apps/web").matches()).isTrue();
    assertThat(ArgoCdApplicationSets.glob("apps/*").matcher("apps/web/base").matches()).isFalse();
    assertThat(ArgoCdApplicationSets.glob("apps/?eb").matcher("apps/web").matches()).isTrue();
    assertThat(ArgoCdApplicationSets.glob("apps/[a-m]*").matcher("apps/web").matches()).isFalse();
    assertThat(ArgoCdApplicationSets.glob("apps/[^a-m]*").matcher("apps/web").matches()).isTrue();
    assertThat(ArgoCdApplicationSets.glob("apps/a.b").matcher("apps/axb").matches()).isFalse();
    assertThat(ArgoCdApplicationSets.glob("apps/\\*").matcher("apps/*").matches()).isTrue();
  }
}
