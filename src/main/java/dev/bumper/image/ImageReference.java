package dev.bumper.image;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference, {@code [REGISTRY/]PATH[:TAG][@DIGEST]}, as written in a manifest or
 * on the command line.
 *
 * <p>Every part is kept exactly as spelled, because bumping a manifest must change only the tag or
 * digest and leave the rest of the file byte-for-byte alone: {@code nginx:1.25} has to become
 * {@code nginx:1.27}, not {@code docker.io/library/nginx:1.27}. Equality is therefore on the
 * spelling; use {@link #repository()} or {@link #sameRepository} to ask whether two spellings name
 * the same repository.
 *
 * <p>The grammar is the one of the OCI distribution reference (as implemented by {@code
 * distribution/reference}, which Docker, containerd and Kubernetes use), so that whatever a
 * cluster accepts parses here and whatever does not is reported instead of being rewritten.
 */
public final class ImageReference {

  /** The longest name (registry and path) a registry accepts. */
  static final int NAME_MAX_LENGTH = 255;

  /** The Docker Hub registry as {@link #repository()} spells it. */
  static final String DOCKER_HUB = "docker.io";

  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
              + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*");
  private static final Pattern IPV6_HOST = Pattern.compile("\\[[a-fA-F0-9:]+]");
  private static final Pattern PORT = Pattern.compile("[0-9]+");

  private static final String KIND = "image reference";

  private final String registry;
  private final String path;
  private final String tag;
  private final String digest;
  private final String repository;

  private ImageReference(String registry, String path, String tag, String digest) {
    this.registry = registry;
    this.path = path;
    this.tag = tag;
    this.digest = digest;
    this.repository = normalize(registry, path);
  }

  /**
   * Parses a reference given by the user, where a bad value is an error worth reporting.
   *
   * @throws InvalidReferenceException naming the part that does not follow the grammar
   */
  public static ImageReference parse(String text) {
    Objects.requireNonNull(text, "text");
    return parse(text, KIND, text);
  }

  /**
   * Parses a value found in a file, where most strings are not image references at all (templates
   * such as {@code {{ .Values.image }}} or {@code ${IMAGE}}, empty strings, prose), so failing to
   * parse is the normal answer rather than an error.
   *
   * @return the reference, or empty when {@code text} is null or not a valid reference
   */
  public static Optional<ImageReference> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(text, KIND, text));
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses {@code text}, a reference inside {@code whole} (which is what messages quote).
   *
   * @param kind what {@code whole} is meant to be, for messages
   */
  static ImageReference parse(String text, String kind, String whole) {
    if (text.isBlank()) {
      throw text.equals(whole)
          ? new InvalidReferenceException("empty " + kind)
          : InvalidReferenceException.whole(kind, whole, "empty image reference");
    }
    String rest = text;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = checkDigest(rest.substring(at + 1), whole);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = tagSeparator(rest);
    if (colon >= 0) {
      tag = checkTag(rest.substring(colon + 1), whole);
      rest = rest.substring(0, colon);
    }
    ImageReference name = parseName(rest, kind, whole);
    return new ImageReference(name.registry, name.path, tag, digest);
  }

  /**
   * Parses a bare name, {@code [REGISTRY/]PATH}, inside {@code whole}; a tag or digest in it is
   * reported as a bad repository path since the caller has already split them off.
   */
  static ImageReference parseName(String name, String kind, String whole) {
    if (name.isEmpty()) {
      throw InvalidReferenceException.whole(kind, whole, "missing repository name");
    }
    String registry = null;
    String path = name;
    int slash = name.indexOf('/');
    if (slash >= 0) {
      String first = name.substring(0, slash);
      if (first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first.equals("localhost")) {
        registry = checkRegistry(first, whole);
        path = name.substring(slash + 1);
      }
    }
    checkPath(path, kind, whole);
    if (name.length() > NAME_MAX_LENGTH) {
      throw InvalidReferenceException.whole(
          kind,
          whole,
          "image name longer than " + NAME_MAX_LENGTH + " characters (" + name.length() + ")");
    }
    return new ImageReference(registry, path, null, null);
  }

  /**
   * The index of the {@code :} that starts the tag in {@code nameAndTag}, or -1: the last colon,
   * as long as it is not part of the registry (a port, or an IPv6 address).
   */
  static int tagSeparator(String nameAndTag) {
    int colon = nameAndTag.lastIndexOf(':');
    boolean afterRegistry =
        colon > nameAndTag.lastIndexOf('/') && colon > nameAndTag.lastIndexOf(']');
    return afterRegistry ? colon : -1;
  }

  /** Returns {@code tag} when valid. */
  static String checkTag(String tag, String whole) {
    if (!TAG.matcher(tag).matches()) {
      String reason = null;
      if (tag.isEmpty()) {
        reason = "empty after \":\"";
      } else if (tag.length() > 128) {
        reason = "longer than 128 characters";
      }
      throw InvalidReferenceException.part("tag", tag, whole, reason);
    }
    return tag;
  }

  /** Returns {@code digest} when valid. */
  static String checkDigest(String digest, String whole) {
    if (!DIGEST.matcher(digest).matches()) {
      throw InvalidReferenceException.part(
          "digest", digest, whole, "expected ALGORITHM:HEX with at least 32 hex digits");
    }
    int colon = digest.indexOf(':');
    if (digest.substring(0, colon).equals("sha256")
        && !SHA256_HEX.matcher(digest.substring(colon + 1)).matches()) {
      throw InvalidReferenceException.part(
          "digest", digest, whole, "sha256 needs exactly 64 lowercase hex digits");
    }
    return digest;
  }

  private static String checkRegistry(String registry, String whole) {
    String host = registry;
    String port = null;
    if (registry.startsWith("[")) {
      int close = registry.indexOf(']');
      if (close >= 0) {
        host = registry.substring(0, close + 1);
        String afterHost = registry.substring(close + 1);
        if (afterHost.startsWith(":")) {
          port = afterHost.substring(1);
        } else if (!afterHost.isEmpty()) {
          throw InvalidReferenceException.part(
              "registry", registry, whole, "expected \":PORT\" after the IPv6 address");
        }
      }
      if (!IPV6_HOST.matcher(host).matches()) {
        throw InvalidReferenceException.part(
            "registry", registry, whole, "bad IPv6 address \"" + host + "\"");
      }
    } else {
      int colon = registry.indexOf(':');
      if (colon >= 0) {
        host = registry.substring(0, colon);
        port = registry.substring(colon + 1);
      }
      if (!HOST_NAME.matcher(host).matches()) {
        throw InvalidReferenceException.part(
            "registry", registry, whole, "bad host name \"" + host + "\"");
      }
    }
    if (port != null && !PORT.matcher(port).matches()) {
      throw InvalidReferenceException.part(
          "registry", registry, whole, "bad port \"" + port + "\"");
    }
    return registry;
  }

  private static void checkPath(String path, String kind, String whole) {
    if (path.isEmpty()) {
      throw InvalidReferenceException.whole(kind, whole, "missing repository path");
    }
    if (isValidPath(path)) {
      return;
    }
    if (isValidPath(path.toLowerCase(Locale.ROOT))) {
      throw InvalidReferenceException.whole(
          kind, whole, "repository path \"" + path + "\" must be lowercase");
    }
    for (String component : path.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        String reason =
            component.isEmpty() ? "empty component" : "bad component \"" + component + "\"";
        throw InvalidReferenceException.part("repository path", path, whole, reason);
      }
    }
    throw new AssertionError(path); // unreachable: some component must have failed
  }

  private static boolean isValidPath(String path) {
    for (String component : path.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        return false;
      }
    }
    return true;
  }

  private static String normalize(String registry, String path) {
    if (registry == null
        || registry.equalsIgnoreCase(DOCKER_HUB)
        || registry.equalsIgnoreCase("index.docker.io")
        || registry.equalsIgnoreCase("registry-1.docker.io")) {
      return DOCKER_HUB + "/" + (path.indexOf('/') < 0 ? "library/" + path : path);
    }
    return registry.toLowerCase(Locale.ROOT) + "/" + path;
  }

  /** The registry as spelled (host, optionally with {@code :port}), or null when absent. */
  public String registry() {
    return registry;
  }

  /** The repository path as spelled, e.g. {@code nginx} or {@code library/nginx}. */
  public String path() {
    return path;
  }

  /** The name as spelled: {@code registry/path}, or just the path when there is no registry. */
  public String name() {
    return registry == null ? path : registry + "/" + path;
  }

  /** The tag, or null when absent. */
  public String tag() {
    return tag;
  }

  /** The digest, e.g. {@code sha256:<64 hex>}, or null when absent. */
  public String digest() {
    return digest;
  }

  /**
   * The normalized name, so that all spellings of one repository compare equal: Docker Hub (no
   * registry, {@code docker.io}, {@code index.docker.io}, {@code registry-1.docker.io}) becomes
   * {@code docker.io}, a one-component path on Docker Hub gets {@code library/}, and the registry
   * is lowercased because host names are case-insensitive. E.g. {@code docker.io/library/nginx}
   * for {@code nginx}.
   */
  public String repository() {
    return repository;
  }

  /** Whether both name the same repository, however each is spelled; tags and digests ignored. */
  public boolean sameRepository(ImageReference other) {
    return repository.equals(other.repository);
  }

  /**
   * The last component of the path, e.g. {@code nginx} for {@code docker.io/library/nginx:1}.
   * Every spelling of a repository ends with it, so callers can skip text that does not contain it
   * before parsing anything.
   */
  public String lastPathComponent() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * This reference with another name, keeping tag and digest.
   *
   * @param name {@code [REGISTRY/]PATH}, without tag or digest
   * @throws InvalidReferenceException when {@code name} is not a valid name
   */
  public ImageReference withName(String name) {
    Objects.requireNonNull(name, "name");
    ImageReference parsed = parse(name, "image name", name);
    if (parsed.tag != null || parsed.digest != null) {
      throw InvalidReferenceException.whole(
          "image name", name, "must not carry a " + (parsed.tag != null ? "tag" : "digest"));
    }
    return new ImageReference(parsed.registry, parsed.path, tag, digest);
  }

  /**
   * This reference with another tag, or without one when {@code tagOrNull} is null.
   *
   * @throws InvalidReferenceException when the tag is not valid
   */
  public ImageReference withTag(String tagOrNull) {
    if (tagOrNull != null) {
      checkTag(tagOrNull, new ImageReference(registry, path, tagOrNull, digest).toString());
    }
    return new ImageReference(registry, path, tagOrNull, digest);
  }

  /**
   * This reference with another digest, or without one when {@code digestOrNull} is null.
   *
   * @throws InvalidReferenceException when the digest is not valid
   */
  public ImageReference withDigest(String digestOrNull) {
    if (digestOrNull != null) {
      checkDigest(digestOrNull, new ImageReference(registry, path, tag, digestOrNull).toString());
    }
    return new ImageReference(registry, path, tag, digestOrNull);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ImageReference)) {
      return false;
    }
    ImageReference other = (ImageReference) o;
    return Objects.equals(registry, other.registry)
        && path.equals(other.path)
        && Objects.equals(tag, other.tag)
        && Objects.equals(digest, other.digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(registry, path, tag, digest);
  }

  /** The reference as spelled: {@code name[:tag][@digest]}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(name());
    if (tag != null) {
      out.append(':').append(tag);
    }
    if (digest != null) {
      out.append('@').append(digest);
    }
    return out.toString();
  }
}
