package dev.bumper.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A config repo with two environments as teams lay them out: a base Deployment, and staging and
 * production overlays that each set images by digest in their kustomization, run a plain
 * Deployment of their own and hold Helm values. Staging runs newer builds than production; each
 * runs one image the other does not.
 */
final class PromoteFixture {
  private PromoteFixture() {}

  static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }

  static final String BASE_DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
              - name: web
                image: web:latest # replaced by each overlay
              - name: worker
                image: ghcr.io/acme/worker:0.0.0
      """;

  static final String BASE_KUSTOMIZATION = "resources:\n  - deployment.yaml\n";

  static final String STAGING_KUSTOMIZATION = """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      resources:
        - ../../base
        - report.yaml
      images:
        # the app, built on every merge
        - name: web
          newName: ghcr.io/acme/web
          newTag: "1.4.2"
          digest: %s
        - name: ghcr.io/acme/worker
          newTag: 2.1.0
          digest: %s
        - name: ghcr.io/acme/debug # staging only
          newTag: "7"
          digest: %s
      """.formatted(digest('a'), digest('b'), digest('e'));

  static final String STAGING_REPORT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: report
      spec:
        template:
          spec:
            containers:
            - name: report
              image: ghcr.io/acme/report:3.2.0@%s
      """.formatted(digest('c'));

  static final String STAGING_VALUES = """
      api:
        image:
          registry: ghcr.io
          repository: acme/api
          tag: "5.0.1"
          digest: %s
      """.formatted(digest('d'));

  static final String PRODUCTION_KUSTOMIZATION = """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      resources:
        - ../../base
        - report.yaml
      images:
        # promoted from staging by hand, once a week
        - name: web
          newName: ghcr.io/acme/web
          newTag: "1.4.0"   # the last good one
          digest: %s
        - name: ghcr.io/acme/worker
          newTag: 2.0.9
          digest: %s
        - name: ghcr.io/acme/legacy # production only
          newTag: 0.9.1
          digest: %s
      """.formatted(digest('1'), digest('2'), digest('9'));

  static final String PRODUCTION_REPORT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: report
        annotations:
          note: "ghcr.io/acme/report:3.1.0 is pinned below"
      spec:
        template:
          spec:
            containers:
            - name: report
              image: 'ghcr.io/acme/report:3.1.0@%s'
      """.formatted(digest('3'));

  static final String PRODUCTION_VALUES = """
      # production values
      api:
        replicas: 4
        image:
          registry: ghcr.io
          repository: acme/api
          tag: "5.0.0"
          digest: %s
      """.formatted(digest('4'));

  /** Production once staging's images are promoted: only the references differ. */
  static final String PRODUCTION_KUSTOMIZATION_PROMOTED = PRODUCTION_KUSTOMIZATION
      .replace("newTag: \"1.4.0\"", "newTag: \"1.4.2\"").replace(digest('1'), digest('a'))
      .replace("newTag: 2.0.9", "newTag: 2.1.0").replace(digest('2'), digest('b'));

  static final String PRODUCTION_REPORT_PROMOTED = PRODUCTION_REPORT
      .replace("image: 'ghcr.io/acme/report:3.1.0@" + digest('3') + "'",
          "image: 'ghcr.io/acme/report:3.2.0@" + digest('c') + "'");

  static final String PRODUCTION_VALUES_PROMOTED = PRODUCTION_VALUES
      .replace("tag: \"5.0.0\"", "tag: \"5.0.1\"").replace(digest('4'), digest('d'));

  /** The repository's files, path to content. */
  static Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("base/deployment.yaml", BASE_DEPLOYMENT);
    files.put("base/kustomization.yaml", BASE_KUSTOMIZATION);
    files.put("overlays/staging/kustomization.yaml", STAGING_KUSTOMIZATION);
    files.put("overlays/staging/report.yaml", STAGING_REPORT);
    files.put("overlays/staging/values.yaml", STAGING_VALUES);
    files.put("overlays/production/kustomization.yaml", PRODUCTION_KUSTOMIZATION);
    files.put("overlays/production/report.yaml", PRODUCTION_REPORT);
    files.put("overlays/production/values.yaml", PRODUCTION_VALUES);
    return files;
  }

  /** The files once staging is promoted to production. */
  static Map<String, String> promoted() {
    Map<String, String> files = files();
    files.put("overlays/production/kustomization.yaml", PRODUCTION_KUSTOMIZATION_PROMOTED);
    files.put("overlays/production/report.yaml", PRODUCTION_REPORT_PROMOTED);
    files.put("overlays/production/values.yaml", PRODUCTION_VALUES_PROMOTED);
    return files;
  }
}
