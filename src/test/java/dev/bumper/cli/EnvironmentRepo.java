package dev.bumper.cli;

import static dev.bumper.cli.TestProcesses.git;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A config repo with a staging and a production overlay (kustomize images with digests), Helm
 * values and a plain Deployment, in a bare repository on this machine, and what history, rollback
 * and release tests make of it.
 */
final class EnvironmentRepo {
  static final String KUSTOMIZATION = """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      # production runs what staging ran, pinned
      resources:
        - ../../base
      images:
        - name: web
          newName: ghcr.io/acme/web
          newTag: "1.0.0"
          digest: %s
      replicas:
        - name: web
          count: 3
      """;
  static final String VALUES = """
      # Helm values of the api
      api:
        image:
          repository: ghcr.io/acme/api
          tag: "2.0.0"
      """;
  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: worker
      spec:
        template:
          spec:
            containers:
              - name: worker
                image: ghcr.io/acme/worker:3.0.0
      """;

  /** A digest made of one repeated hex digit, so that each version has its own. */
  static String digest(int n) {
    return "sha256:" + Integer.toHexString(n % 16).repeat(64);
  }

  static Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("base/kustomization.yaml", "resources:\n  - deployment.yaml\n");
    files.put("base/deployment.yaml", DEPLOYMENT.replace("worker", "web")
        .replace("ghcr.io/acme/web:3.0.0", "web"));
    files.put("overlays/production/kustomization.yaml", KUSTOMIZATION.formatted(digest(0)));
    files.put("overlays/production/values.yaml", VALUES);
    files.put("overlays/production/worker.yaml", DEPLOYMENT);
    files.put("overlays/staging/kustomization.yaml", KUSTOMIZATION.formatted(digest(0)));
    files.put("README.md", "config\n");
    return files;
  }

  /** The bare repository at {@code bare}, with the files above on main. */
  static Path create(Path bare) throws Exception {
    return TestProcesses.bareRepository(bare, files());
  }

  /** A CI environment whose trailers name build {@code n}. */
  static Map<String, String> ci(int n) {
    return Map.of("SEMAPHORE", "true", "SEMAPHORE_GIT_SHA", "%040x".formatted(1000 + n),
        "SEMAPHORE_ORGANIZATION_URL", "https://acme.semaphoreci.com",
        "SEMAPHORE_WORKFLOW_ID", "wf-" + n);
  }

  /** Commits a hand edit of {@code file} in {@code work} and pushes it, with a message. */
  static void handCommit(Path work, String file, String from, String to, String message)
      throws Exception {
    git(work, "pull", "-q", "--rebase", "origin", "main");
    Path path = work.resolve(file);
    String text = Files.readString(path);
    if (!text.contains(from)) {
      throw new AssertionError(file + " lacks " + from + ":\n" + text);
    }
    Files.writeString(path, text.replace(from, to));
    git(work, "add", "-A");
    git(work, "-c", "user.name=Hand Maker", "-c", "user.email=hand@example.com", "commit", "-q",
        "-m", message);
    git(work, "push", "-q", "origin", "main");
  }

  /** The file at {@code path} on main of the bare repository. */
  static String show(Path bare, String path) throws Exception {
    return git(bare, "--git-dir=" + bare, "show", "main:" + path);
  }

  /** {@code git fsck --strict} passes on the bare repository. */
  static void fsck(Path bare) throws Exception {
    git(bare, "--git-dir=" + bare, "fsck", "--strict");
  }

  private EnvironmentRepo() {}
}
