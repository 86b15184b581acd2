package dev.bumper.kustomize;

/**
 * kustomize's split of an image reference into name, tag and digest (its {@code
 * SplitImageName}): {@code :} and {@code @} count only from the first {@code /} on, so
 * {@code foo.com:443/nginx:1.2} is name {@code foo.com:443/nginx}, tag {@code 1.2}. Unlike a
 * strict reference parser it accepts anything, which is what {@code edit set image} does.
 */
final class ImageNameSplit {
  private ImageNameSplit() {}

  /** {@code {name, tag, digest}}, empty strings for absent parts. */
  static String[] split(String image) {
    int slash = image.indexOf('/');
    int from = Math.max(slash, 0);
    int at = image.indexOf('@', from);
    int colon = image.indexOf(':', from);
    if (at < 0 && colon < 0) {
      return new String[] {image, "", ""};
    }
    if (at >= 0 && (colon < 0 || at < colon)) {
      return new String[] {image.substring(0, at), "", image.substring(at + 1)};
    }
    if (at >= 0) {
      return new String[] {image.substring(0, colon), image.substring(colon + 1, at), image.substring(at + 1)};
    }
    return new String[] {image.substring(0, colon), image.substring(colon + 1), ""};
  }
}
