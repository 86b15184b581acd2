package dev.bumper.manifest;

import dev.bumper.image.ImageReference;
import dev.bumper.image.ImageUpdate;
import dev.bumper.image.PartChange;

/** How an update's parts (name, tag, digest) apply to the parts of a reference a place holds. */
final class ReferenceParts {
  private ReferenceParts() {}

  /** Applies an update to a reference that was matched by another name (an alias or entry name). */
  static ImageReference rewrite(ImageUpdate update, ImageReference current) {
    ImageReference named = update.newName().map(current::withName).orElse(current);
    return named
        .withTag(update.tagChange().applyTo(current.tag()))
        .withDigest(update.digestChange().applyTo(current.digest()));
  }

  /**
   * Helm charts fall back to their appVersion when the tag is empty, which would deploy another
   * image; so a spec without a tag leaves a Helm tag as it is.
   */
  static String keepIfRemoved(PartChange change, String current) {
    String next = change.applyTo(current);
    return next == null ? current : next;
  }

  static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  static String display(String name, String tag, String digest) {
    StringBuilder sb = new StringBuilder(name == null ? "" : name);
    if (tag != null && !tag.isEmpty()) {
      sb.append(':').append(tag);
    }
    if (digest != null && !digest.isEmpty()) {
      sb.append('@').append(digest);
    }
    return sb.toString();
  }
}
