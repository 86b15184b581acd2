package dev.bumper.manifest;

import dev.bumper.image.ImageUpdate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything one {@code bump-manifest} run sets: image updates, path assignments and Flux policy
 * assignments. Each one is a "spec" that must match at least one place.
 */
public record BumpRequest(
    List<ImageUpdate> images, List<PathAssignment> paths, List<PolicyAssignment> policies) {

  public BumpRequest {
    images = List.copyOf(images);
    paths = List.copyOf(paths);
    policies = List.copyOf(policies);
  }

  public boolean isEmpty() {
    return images.isEmpty() && paths.isEmpty() && policies.isEmpty();
  }

  /** All specs in the order given, as the user wrote them: for "matched nothing" messages. */
  public List<String> specs() {
    List<String> specs = new ArrayList<>();
    images.forEach(i -> specs.add("--image " + i));
    paths.forEach(p -> specs.add("--set " + p));
    policies.forEach(p -> specs.add("--policy " + p));
    return specs;
  }

  /**
   * Byte strings at least one of which a file must contain for any spec to match in it, or null
   * when every file must be parsed. Images are written with their repository's last path
   * component, so a file without it cannot hold them; this keeps a run over a large tree from
   * parsing files it could not change.
   */
  public List<byte[]> prefilter() {
    List<String> tokens = prefilterTokens();
    return tokens == null
        ? null
        : tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** The strings behind {@link #prefilter()}: a document without any of them cannot match. */
  public List<String> prefilterTokens() {
    Set<String> tokens = new LinkedHashSet<>();
    for (ImageUpdate image : images) {
      tokens.add(image.target().lastPathComponent());
    }
    for (PathAssignment path : paths) {
      String key = path.path().lastKey();
      if (key == null || key.isEmpty()) {
        return null;
      }
      tokens.add(key);
    }
    if (!policies.isEmpty()) {
      tokens.add("$imagepolicy");
    }
    return List.copyOf(tokens);
  }
}
