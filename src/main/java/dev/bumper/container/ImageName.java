package dev.bumper.container;

import dev.bumper.image.ImageReference;
import dev.bumper.image.InvalidReferenceException;
import java.util.Locale;

/**
 * An image reference resolved to where it lives: the registry host bumper talks to, the
 * repository path on it, and the tag or digest. Docker Hub's short names are expanded the way
 * Docker does: {@code nginx} is {@code library/nginx} on {@code registry-1.docker.io}.
 *
 * @param registry host, with {@code :port} when given, lowercased
 * @param repository the repository path on that registry
 * @param tag the tag, or null
 * @param digest the digest, or null
 * @param name the name as the user spelled it, without tag or digest
 */
public record ImageName(String registry, String repository, String tag, String digest, String name) {
  /** Where Docker Hub's registry API answers. */
  static final String DOCKER_HUB_API = "registry-1.docker.io";

  /** How Docker's {@code config.json} names Docker Hub. */
  static final String DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";

  /**
   * Parses a reference given on the command line.
   *
   * @param what the option it came from, for the message
   * @throws ContainerException (usage) naming the bad part
   */
  public static ImageName parse(String text, String what) {
    ImageReference ref;
    try {
      ref = ImageReference.parse(text);
    } catch (InvalidReferenceException e) {
      throw ContainerException.usage(what + ": " + e.getMessage());
    }
    return of(ref);
  }

  /**
   * Returns {@code tag} when it is a valid tag.
   *
   * @throws ContainerException (usage) naming the option otherwise
   */
  public static String checkTag(String tag, String what) {
    try {
      ImageReference.parse("tag-check:" + tag);
    } catch (InvalidReferenceException e) {
      throw ContainerException.usage(
          what + " " + tag + ": not a valid tag (up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-')");
    }
    if (tag.contains("@") || tag.contains("/")) {
      throw ContainerException.usage(what + " " + tag + ": not a valid tag");
    }
    return tag;
  }

  /** The location of a parsed reference. */
  public static ImageName of(ImageReference ref) {
    String registry = ref.registry() == null ? "docker.io" : ref.registry().toLowerCase(Locale.ROOT);
    String repository = ref.path();
    if (isDockerHub(registry)) {
      registry = DOCKER_HUB_API;
      repository = repository.contains("/") ? repository : "library/" + repository;
    }
    return new ImageName(registry, repository, ref.tag(), ref.digest(), ref.name());
  }

  static boolean isDockerHub(String registry) {
    return registry.equals("docker.io")
        || registry.equals("index.docker.io")
        || registry.equals(DOCKER_HUB_API);
  }

  /** The tag or digest to ask the registry for: the digest when given, else the tag, else latest. */
  public String reference() {
    return digest != null ? digest : tag != null ? tag : "latest";
  }

  /** The tag, or {@code latest} when the reference has neither tag nor digest. */
  public String tagOrLatest() {
    return tag != null ? tag : digest == null ? "latest" : null;
  }

  /** This name with another tag and no digest. */
  public ImageName withTag(String newTag) {
    return new ImageName(registry, repository, newTag, null, name);
  }

  /** The name as spelled, with {@code @digest}. */
  public String pinned(String withDigest) {
    return tag == null ? name + "@" + withDigest : name + ":" + tag + "@" + withDigest;
  }

  /** Whether both are the same repository on the same registry. */
  public boolean sameRepository(ImageName other) {
    return registry.equals(other.registry) && repository.equals(other.repository);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(name);
    if (tag != null) {
      out.append(':').append(tag);
    }
    if (digest != null) {
      out.append('@').append(digest);
    }
    return out.toString();
  }
}
