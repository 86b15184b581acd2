package dev.bumper.manifest;

import dev.bumper.image.ImageReference;

/**
 * {@code --policy}: a value marked with a Flux image-automation setter comment gets the policy's
 * reference, or the part of it the marker names.
 */
final class MarkerSetter {
  private final StreamEdit edit;

  MarkerSetter(StreamEdit edit) {
    this.edit = edit;
  }

  /**
   * Sets the marked value if the marker names the policy.
   *
   * @return whether the marker names the policy, changed or already up to date
   */
  boolean set(Place.Marker marker, PolicyAssignment policy) {
    if (!policy.policy().equals(marker.policy())) {
      return false;
    }
    ImageReference ref = policy.ref();
    String field = marker.field();
    String value =
        field == null
            ? ref.toString()
            : switch (field) {
              case "tag" -> ref.tag();
              case "name" -> ref.name();
              case "digest" -> ref.digest();
              default ->
                  throw edit.invalidAt(
                      marker.scalar(), "unknown $imagepolicy field '" + field + "'");
            };
    if (value == null) {
      throw edit.invalidAt(
          marker.scalar(),
          "the marker asks for the "
              + field
              + " of policy "
              + marker.policy()
              + ", but "
              + ref
              + " has none");
    }
    if (edit.editor().setString(marker.scalar(), value)) {
      edit.record(marker.scalar(), Kind.MARKER, marker.scalar().getValue(), value);
    }
    return true;
  }
}
