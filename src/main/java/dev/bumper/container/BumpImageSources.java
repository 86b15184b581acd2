package dev.bumper.container;

import dev.bumper.image.ImageReference;
import dev.bumper.image.ImageUpdate;
import dev.bumper.image.PartChange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns {@code bump-manifest --from-metadata FILE} and {@code --pin-digest} into plain {@code
 * --image} specs, so that the bump itself knows nothing of registries:
 *
 * <ul>
 *   <li>{@code --from-metadata} adds {@code repository:tag@digest} from the JSON that {@code
 *       build-image} or {@code push} wrote: the image that was built, pinned;
 *   <li>{@code --pin-digest} asks the registry for the digest of each spec that sets a tag but no
 *       digest, and adds it ({@code web=ghcr.io/acme/web:1.4.2} becomes {@code
 *       web=ghcr.io/acme/web:1.4.2@sha256:...}).
 * </ul>
 *
 * The registry is reached as {@code build-image} reaches it: {@code BUMPER_REGISTRY_USERNAME} /
 * {@code BUMPER_REGISTRY_PASSWORD} (for every registry looked up), Docker's config.json, {@code
 * BUMPER_INSECURE_REGISTRIES} and {@code --insecure-registry}, and the same retries.
 */
public final class BumpImageSources {
  private BumpImageSources() {}

  /**
   * The specs to bump with.
   *
   * @param fromMetadata the metadata file, or null
   * @param pinWith how registries are reached for {@code --pin-digest}, or null without it
   * @param verbose where the looked-up digests are reported for {@code -v}
   * @throws ContainerException for an unreadable metadata file or a failed lookup
   */
  public static List<ImageUpdate> resolve(
      List<ImageUpdate> images,
      Path fromMetadata,
      Supplier<RegistryAccess> pinWith,
      Consumer<String> verbose) {
    boolean pinDigest = pinWith != null;
    if (fromMetadata == null && !pinDigest) {
      return images;
    }
    List<ImageUpdate> resolved = new ArrayList<>(images);
    if (fromMetadata != null) {
      ImageMetadata metadata = ImageMetadata.read(fromMetadata);
      String ref = metadata.repository() + (metadata.tags().isEmpty() ? "" : ":" + metadata.tags().get(0)) + "@" + metadata.digest();
      resolved.add(parse(ref, fromMetadata + ": the image"));
    }
    if (!pinDigest) {
      return resolved;
    }
    RegistryAccess access = pinWith.get();
    List<ImageUpdate> pinned = new ArrayList<>();
    int count = 0;
    for (ImageUpdate image : resolved) {
      if (!(image.tagChange() instanceof PartChange.Set tag) || !(image.digestChange() instanceof PartChange.Remove)) {
        pinned.add(image);
        continue;
      }
      ImageReference repository = image.newName().map(ImageReference::parse).orElse(image.target());
      ImageName name = ImageName.of(repository.withTag(tag.value()));
      String digest = access.client(name.registry()).manifestDigest(name.repository(), tag.value());
      verbose.accept("bumper: " + name + " is " + digest);
      pinned.add(parse(image + "@" + digest, "--pin-digest"));
      count++;
    }
    if (count == 0) {
      throw ContainerException.usage("--pin-digest: no --image sets a tag without a digest, so there is nothing to look up");
    }
    return pinned;
  }

  private static ImageUpdate parse(String spec, String what) {
    try {
      return ImageUpdate.parse(spec);
    } catch (IllegalArgumentException e) {
      throw ContainerException.invalidInput(what + ": " + e.getMessage());
    }
  }
}
