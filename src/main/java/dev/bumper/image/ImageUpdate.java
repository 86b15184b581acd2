package dev.bumper.image;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code -i/--image SPEC} argument of {@code bump-manifest}: which repository to look for in
 * the manifests and what its references become.
 *
 * <p>SPEC is {@code REF} or {@code NAME=REF}:
 *
 * <ul>
 *   <li>{@code REF}: every use of REF's repository gets REF's tag and digest. The name keeps its
 *       spelling in the file ({@code nginx:1.25} stays {@code nginx:...} for {@code -i
 *       docker.io/library/nginx:1.27}), so a bump touches only what changed.
 *   <li>{@code NAME=REF}: uses of repository NAME become REF, which renames them (for a move to
 *       another registry, say). The spec is split at the first {@code =}.
 * </ul>
 *
 * <p>REF states the whole wanted reference, so a tag or digest it lacks is removed ({@code -i
 * web@sha256:...} turns {@code web:1.0} into {@code web@sha256:...}): a tag left next to a new
 * digest would name a different image than the digest and mislead readers. A part written {@code
 * *} is kept instead: {@code web=*:1.4.2} keeps the name, {@code ghcr.io/acme/web:*@sha256:...}
 * keeps the tag, {@code web:1.2@*} keeps the digest.
 */
public final class ImageUpdate {

  private static final String KIND = "image spec";
  private static final String ANY = "*";

  private final String spec;
  private final ImageReference target;
  private final String newName;
  private final PartChange tagChange;
  private final PartChange digestChange;

  private ImageUpdate(
      String spec,
      ImageReference target,
      String newName,
      PartChange tagChange,
      PartChange digestChange) {
    this.spec = spec;
    this.target = target;
    this.newName = newName;
    this.tagChange = tagChange;
    this.digestChange = digestChange;
  }

  /**
   * Parses a {@code -i/--image} value.
   *
   * @throws InvalidReferenceException naming the bad part (NAME, REF, tag, digest, a misplaced
   *     {@code *}), quoting {@code spec}
   */
  public static ImageUpdate parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    if (spec.isBlank()) {
      throw new InvalidReferenceException("empty " + KIND);
    }
    int equals = spec.indexOf('=');
    ImageReference name = equals >= 0 ? parseName(spec.substring(0, equals), spec) : null;
    String ref = equals >= 0 ? spec.substring(equals + 1) : spec;
    if (ref.isEmpty()) {
      throw InvalidReferenceException.whole(KIND, spec, "REF after \"=\" is empty");
    }

    String rest = ref;
    PartChange digestChange = PartChange.remove();
    int at = rest.indexOf('@');
    if (at >= 0) {
      String digest = rest.substring(at + 1);
      digestChange =
          digest.equals(ANY)
              ? PartChange.keep()
              : PartChange.set(ImageReference.checkDigest(digest, spec));
      rest = rest.substring(0, at);
    }
    PartChange tagChange = PartChange.remove();
    int colon = ImageReference.tagSeparator(rest);
    if (colon >= 0) {
      String tag = rest.substring(colon + 1);
      tagChange =
          tag.equals(ANY) ? PartChange.keep() : PartChange.set(ImageReference.checkTag(tag, spec));
      rest = rest.substring(0, colon);
    }

    if (rest.equals(ANY)) {
      if (name == null) {
        throw InvalidReferenceException.whole(
            KIND,
            spec,
            "\"*\" as the name keeps the name in the file, so it needs NAME=REF"
                + " (e.g. web=*:1.2)");
      }
      return new ImageUpdate(spec, name, null, tagChange, digestChange);
    }
    ImageReference refName = ImageReference.parseName(rest, KIND, spec);
    return name == null
        ? new ImageUpdate(spec, refName, null, tagChange, digestChange)
        : new ImageUpdate(spec, name, refName.name(), tagChange, digestChange);
  }

  private static ImageReference parseName(String name, String spec) {
    if (name.isEmpty()) {
      throw InvalidReferenceException.whole(KIND, spec, "NAME before \"=\" is empty");
    }
    if (name.equals(ANY)) {
      throw InvalidReferenceException.whole(
          KIND, spec, "NAME must be a repository, \"*\" is only allowed in REF");
    }
    ImageReference parsed = ImageReference.parse(name, KIND, spec);
    if (parsed.tag() != null || parsed.digest() != null) {
      throw InvalidReferenceException.whole(
          KIND,
          spec,
          "NAME \""
              + name
              + "\" must not carry a "
              + (parsed.tag() != null ? "tag" : "digest")
              + "; put it in REF");
    }
    return parsed;
  }

  /** The repository to look for (NAME when given, else REF's name), without tag or digest. */
  public ImageReference target() {
    return target;
  }

  /** Whether {@code ref} names the target repository, however it is spelled. */
  public boolean matches(ImageReference ref) {
    return target.sameRepository(ref);
  }

  /** REF's name as spelled when the spec renames ({@code NAME=REF}, REF's name not {@code *}). */
  public Optional<String> newName() {
    return Optional.ofNullable(newName);
  }

  /** What happens to the tag: set to REF's, kept for {@code :*}, removed when REF has none. */
  public PartChange tagChange() {
    return tagChange;
  }

  /** What happens to the digest: set to REF's, kept for {@code @*}, removed when REF has none. */
  public PartChange digestChange() {
    return digestChange;
  }

  /**
   * The new reference for {@code current}, a value found in a file. Keeps its spelling of the name
   * unless the spec renames.
   *
   * @throws IllegalArgumentException when {@code current} does not {@linkplain #matches match};
   *     rewriting another repository would be a silent, wrong edit
   */
  public ImageReference apply(ImageReference current) {
    if (!matches(current)) {
      throw new IllegalArgumentException(
          "\""
              + current
              + "\" is not a use of "
              + target.repository()
              + " (spec \""
              + spec
              + "\")");
    }
    ImageReference named = newName == null ? current : current.withName(newName);
    return named
        .withTag(tagChange.applyTo(current.tag()))
        .withDigest(digestChange.applyTo(current.digest()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageUpdate && spec.equals(((ImageUpdate) o).spec);
  }

  @Override
  public int hashCode() {
    return spec.hashCode();
  }

  /** The spec as given. */
  @Override
  public String toString() {
    return spec;
  }
}
