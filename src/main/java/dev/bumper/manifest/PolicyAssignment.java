package dev.bumper.manifest;

import dev.bumper.image.ImageReference;

/**
 * One {@code --policy NS:NAME=REF}: the fields marked with the Flux image-automation setter
 * comment {@code # {"$imagepolicy": "NS:NAME"}} (or its {@code :tag}, {@code :name} and
 * {@code :digest} forms) get REF, or its tag, name or digest.
 */
public record PolicyAssignment(String policy, ImageReference ref) {

  /** Parses {@code NS:NAME=REF}. */
  public static PolicyAssignment parse(String text) {
    int eq = text.indexOf('=');
    if (eq < 0) {
      throw new InvalidRequestException(
          "invalid --policy \"" + text + "\": expected NS:NAME=REF, as in flux-system:web=ghcr.io/acme/web:1.2");
    }
    String policy = text.substring(0, eq);
    String[] parts = policy.split(":", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new InvalidRequestException(
          "invalid --policy \"" + text + "\": the policy must be NAMESPACE:NAME, got \"" + policy + "\"");
    }
    return new PolicyAssignment(policy, ImageReference.parse(text.substring(eq + 1)));
  }

  @Override
  public String toString() {
    return policy + "=" + ref;
  }
}
