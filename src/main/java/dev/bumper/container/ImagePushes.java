package dev.bumper.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code push}: a tarball to a registry, or an image from one repository to another (promotion),
 * keeping its digest. Both hand the manifest bytes over unchanged; only blobs move.
 */
public final class ImagePushes {
  private ImagePushes() {}

  /**
   * Pushes the image in {@code tarball} to {@code to}, also under {@code extraTags}. The registry
   * is reached once first, so that one that is down is reported after the retries of one request.
   */
  public static ImageMetadata pushTarball(
      Path tarball, ImageName to, List<String> extraTags, RegistryAccess access, Progress progress) {
    try (ArchiveImage image = ArchiveImage.read(tarball)) {
      List<String> tags = tags(to, extraTags, image.digest());
      RegistryClient target = access.client(to.registry());
      target.connect();
      ImageTransfer transfer = new ImageTransfer(target, to.repository(), image.store(), progress);
      ImageTransfer.Result result = transfer.push(image.manifest(), image.mediaType(), tags);
      progress.done();
      return ImageMetadata.of(to, tags, result.digest(), image.imageId(), true);
    }
  }

  /** Copies the image {@code from} names to {@code to}, also under {@code extraTags}. */
  public static ImageMetadata copy(
      ImageName from, ImageName to, List<String> extraTags, RegistryAccess access, Progress progress) {
    RegistryClient source = access.client(from.registry());
    source.connect();
    RegistryClient target = access.client(to.registry());
    target.connect();
    RegistryClient.Manifest manifest = source.manifest(from.repository(), from.reference());
    List<String> tags = tags(to, extraTags, manifest.digest());
    ImageTransfer.Store store =
        new ImageTransfer.Store() {
          @Override
          public Blob.Source source(Blob blob) {
            return () -> source.openBlob(from.repository(), blob.digest());
          }

          @Override
          public byte[] manifest(Blob blob) {
            return source.manifest(from.repository(), blob.digest()).bytes();
          }

          @Override
          public String mountFrom(String targetRegistry) {
            return targetRegistry.equals(from.registry()) ? from.repository() : null;
          }
        };
    ImageTransfer transfer = new ImageTransfer(target, to.repository(), store, progress);
    ImageTransfer.Result result = transfer.push(manifest.bytes(), manifest.mediaType(), tags);
    progress.done();
    ManifestJson.Parsed parsed = ManifestJson.parse(manifest.bytes(), manifest.mediaType(), from.toString());
    return ImageMetadata.of(to, tags, result.digest(), parsed.isIndex() ? null : parsed.config().digest(), true);
  }

  /**
   * The tags to push under: {@code to}'s (or {@code latest}), then the extra ones. A digest in
   * {@code to} must be the image's.
   */
  static List<String> tags(ImageName to, List<String> extraTags, String digest) {
    if (to.digest() != null && !to.digest().equals(digest)) {
      throw ContainerException.usage("--to " + to + ": the image's digest is " + digest + ", not " + to.digest());
    }
    List<String> tags = new ArrayList<>();
    String first = to.tagOrLatest();
    if (first != null) {
      tags.add(first);
    }
    for (String tag : extraTags) {
      if (!tags.contains(tag)) {
        tags.add(tag);
      }
    }
    return tags;
  }
}
