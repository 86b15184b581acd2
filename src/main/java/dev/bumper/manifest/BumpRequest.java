package dev.bumper.manifest;

import dev.bumper.image.ImageUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one {@code bump-manifest} run sets: image updates, path assignments and Flux policy
 * assignments. Each one is a "spec" that must match at least one place. With {@code createKeys},
 * a path whose last key is missing under a mapping that is there gets that key.
 */
public record BumpRequest(
    List<ImageUpdate> images, List<PathAssignment> paths, List<PolicyAssignment> policies, boolean createKeys) {

  public BumpRequest {
    images = List.copyOf(images);
    paths = List.copyOf(paths);
    policies = List.copyOf(policies);
  }

  /** A request that sets only values that are there: a path whose last key is missing matches nothing. */
  public BumpRequest(List<ImageUpdate> images, List<PathAssignment> paths, List<PolicyAssignment> policies) {
    this(images, paths, policies, false);
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
}
