package dev.bumper.container;

import dev.bumper.io.JsonReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The image in a tarball, as it will be pushed: its manifest bytes and where each blob's bytes
 * are. Two layouts are read:
 *
 * <ul>
 *   <li>an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}), as
 *       {@code build-image --format oci --tar} and {@code docker save} (Docker 25 and later) write:
 *       the manifest is in the tarball and is pushed byte for byte, so the digest is the one the
 *       tarball was made with;
 *   <li>a docker-archive ({@code manifest.json} with {@code Config} and {@code Layers}), as {@code
 *       build-image --tar} and older {@code docker save} write: the tarball holds no manifest, so
 *       one is made, exactly as Jib makes it. Gzip-compressed layers are pushed as they are (the
 *       digest is then the one {@code build-image --tar} recorded); uncompressed layers ({@code
 *       docker save}) are gzip-compressed first.
 * </ul>
 */
final class ArchiveImage implements AutoCloseable {
  /** A layer file Jib names by its digest, so it need not be read to be named. */
  private static final Pattern DIGEST_NAMED = Pattern.compile("(?:.*/)?([0-9a-f]{64})(?:\\.tar\\.gz)?");

  private final byte[] manifest;
  private final String mediaType;
  private final String digest;
  private final String imageId;
  private final List<String> repoTags;
  private final Map<String, Blob.Source> blobs;
  private final List<Path> temporary;

  private ArchiveImage(
      byte[] manifest,
      String mediaType,
      String imageId,
      List<String> repoTags,
      Map<String, Blob.Source> blobs,
      List<Path> temporary) {
    this.manifest = manifest;
    this.mediaType = mediaType;
    this.digest = Digests.of(manifest);
    this.imageId = imageId;
    this.repoTags = repoTags;
    this.blobs = blobs;
    this.temporary = temporary;
  }

  /**
   * Reads the image in {@code tarball}.
   *
   * @throws ContainerException usage when there is no such file, invalid input when it is not an
   *     image tarball
   */
  static ArchiveImage read(Path tarball) {
    TarIndex tar;
    try {
      tar = TarIndex.read(tarball);
    } catch (NoSuchFileException e) {
      throw ContainerException.usage(tarball + ": no such file");
    } catch (IOException e) {
      throw ContainerException.failure("cannot read " + tarball + ": " + e.getMessage());
    }
    try {
      ArchiveImage image = null;
      if (tar.contains("index.json") && tar.contains("oci-layout")) {
        image = ociLayout(tar);
      } else if (tar.contains("manifest.json")) {
        image = dockerArchive(tar);
      }
      if (image != null) {
        try {
          image.verifyBlobs(tarball);
        } catch (RuntimeException e) {
          image.close();
          throw e;
        }
        return image;
      }
    } catch (IOException e) {
      throw ContainerException.failure("cannot read " + tarball + ": " + e.getMessage());
    }
    throw ContainerException.invalidInput(
        tarball + ": not an image tarball (neither manifest.json nor an OCI index.json in it)");
  }

  byte[] manifest() {
    return manifest;
  }

  String mediaType() {
    return mediaType;
  }

  /** The digest the manifest will have in any registry. */
  String digest() {
    return digest;
  }

  /** The config's digest (Docker's image id), or null for an index. */
  String imageId() {
    return imageId;
  }

  /** The names the tarball was saved with ({@code RepoTags}, or the OCI ref name). */
  List<String> repoTags() {
    return repoTags;
  }

  /** The blobs and child manifests of the image, to push from. */
  ImageTransfer.Store store() {
    return new ImageTransfer.Store() {
      @Override
      public Blob.Source source(Blob blob) {
        Blob.Source source = blobs.get(blob.digest());
        if (source == null) {
          throw ContainerException.invalidInput("the tarball lacks blob " + blob.digest() + " its manifest names");
        }
        return source;
      }

      @Override
      public byte[] manifest(Blob blob) {
        try (InputStream in = source(blob).open()) {
          return in.readAllBytes();
        } catch (IOException e) {
          throw ContainerException.failure("cannot read manifest " + blob.digest() + " from the tarball: " + e.getMessage());
        }
      }

      @Override
      public String mountFrom(String targetRegistry) {
        return null;
      }
    };
  }

  @Override
  public void close() {
    for (Path path : temporary) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // a temporary file left behind is not worth failing a finished push for
      }
    }
  }

  /**
   * Checks every blob the manifest names, and those of the manifests an index names, against its
   * digest and size before anything is pushed: a registry would refuse a corrupted layer only
   * after the other blobs went up, and a lying size would be sent as it is.
   */
  private void verifyBlobs(Path tarball) throws IOException {
    java.util.ArrayDeque<Reference> pending = new java.util.ArrayDeque<>(references(manifest, mediaType, tarball + ": the manifest"));
    java.util.Set<String> seen = new java.util.HashSet<>();
    while (!pending.isEmpty()) {
      Reference next = pending.pop();
      Blob blob = next.blob();
      if (!seen.add(blob.digest())) {
        continue;
      }
      Blob.Source source = blobs.get(blob.digest());
      if (source == null) {
        throw ContainerException.invalidInput(tarball + ": the manifest names blob " + blob.digest() + ", which is not in the tarball");
      }
      MessageDigest sha256 = Digests.sha256();
      long size = 0;
      java.io.ByteArrayOutputStream child = next.manifest() ? new java.io.ByteArrayOutputStream() : null;
      try (InputStream in = source.open()) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; size += n) {
          sha256.update(buffer, 0, n);
          if (child != null) {
            if (size + n > ManifestJson.MAX_BYTES) {
              throw ContainerException.invalidInput(tarball + ": manifest " + blob.digest() + " is larger than the "
                  + ManifestJson.MAX_BYTES / (1024 * 1024) + " MB a registry takes");
            }
            child.write(buffer, 0, n);
          }
        }
      }
      String actual = Digests.of(sha256);
      if (!actual.equals(blob.digest())) {
        throw ContainerException.invalidInput(tarball + ": blob " + blob.digest() + " does not match its digest (its bytes hash to "
            + actual + "); nothing was pushed");
      }
      if (size != blob.size()) {
        throw ContainerException.invalidInput(tarball + ": blob " + blob.digest() + " is " + size
            + " bytes, its manifest says " + blob.size() + "; nothing was pushed");
      }
      if (child != null) {
        pending.addAll(references(child.toByteArray(), blob.mediaType(), tarball + ": manifest " + blob.digest()));
      }
    }
  }

  /** A blob a manifest names, and whether it is itself a manifest (an index names manifests). */
  private record Reference(Blob blob, boolean manifest) {}

  /** The blobs a manifest names: an image's config and layers, an index's manifests. */
  private static List<Reference> references(byte[] manifest, String mediaType, String what) {
    ManifestJson.Parsed parsed = ManifestJson.parse(manifest, mediaType, what);
    List<Reference> references = new ArrayList<>();
    if (parsed.isIndex()) {
      parsed.manifests().forEach(child -> references.add(new Reference(child.blob(), true)));
    } else {
      references.add(new Reference(parsed.config(), false));
      parsed.layers().forEach(layer -> references.add(new Reference(layer, false)));
    }
    return references;
  }

  // ---- OCI layout

  private static ArchiveImage ociLayout(TarIndex tar) throws IOException {
    String where = tar.file() + ": index.json";
    Map<String, Object> index = json(tar, "index.json");
    if (!(index.get("manifests") instanceof List<?> manifests) || manifests.isEmpty()) {
      throw ContainerException.invalidInput(where + " lists no manifest");
    }
    if (manifests.size() > 1) {
      throw ContainerException.invalidInput(
          where + " lists " + manifests.size() + " images; push takes a tarball of one");
    }
    ManifestJson.Parsed top = ManifestJson.parse(tarBytes(tar, "index.json"), RegistryClient.OCI_INDEX, where);
    ManifestJson.Child only = top.manifests().get(0);
    Map<String, Blob.Source> blobs = new HashMap<>();
    Pattern blobPath = Pattern.compile("blobs/sha256/([0-9a-f]{64})");
    for (String name : tar.names()) {
      Matcher m = blobPath.matcher(name);
      if (m.matches()) {
        TarIndex.Entry entry = tar.get(name);
        blobs.put("sha256:" + m.group(1), () -> tar.open(entry));
      }
    }
    TarIndex.Entry entry = tar.get("blobs/sha256/" + only.blob().digest().substring("sha256:".length()));
    if (entry == null) {
      throw ContainerException.invalidInput(where + " names manifest " + only.blob().digest() + ", which is not in the tarball");
    }
    // read whole, so its size is checked first: the entry may be any size the tar says
    if (entry.size() > ManifestJson.MAX_BYTES) {
      throw ContainerException.invalidInput(tar.file() + ": manifest " + only.blob().digest() + " is " + entry.size()
          + " bytes, more than the " + ManifestJson.MAX_BYTES / (1024 * 1024) + " MB a registry takes");
    }
    byte[] manifest = tar.read(entry);
    if (!Digests.of(manifest).equals(only.blob().digest())) {
      throw ContainerException.invalidInput(tar.file() + ": manifest " + only.blob().digest() + " does not match its digest");
    }
    if (manifest.length != only.blob().size()) {
      throw ContainerException.invalidInput(tar.file() + ": manifest " + only.blob().digest() + " is " + manifest.length
          + " bytes, index.json says " + only.blob().size());
    }
    ManifestJson.Parsed parsed = ManifestJson.parse(manifest, only.blob().mediaType(), tar.file() + ": the manifest");
    List<String> tags = new ArrayList<>();
    if (index.get("manifests") instanceof List<?> list
        && list.get(0) instanceof Map<?, ?> descriptor
        && descriptor.get("annotations") instanceof Map<?, ?> annotations
        && annotations.get("org.opencontainers.image.ref.name") instanceof String ref) {
      tags.add(ref);
    }
    String type = only.blob().mediaType().isEmpty() ? parsed.mediaType() : only.blob().mediaType();
    String imageId = parsed.isIndex() ? null : parsed.config().digest();
    return new ArchiveImage(manifest, type, imageId, tags, blobs, List.of());
  }

  // ---- docker-archive

  private static ArchiveImage dockerArchive(TarIndex tar) throws IOException {
    String where = tar.file() + ": manifest.json";
    Object parsed;
    try {
      parsed = JsonReader.parse(new String(tarBytes(tar, "manifest.json"), StandardCharsets.UTF_8));
    } catch (JsonReader.JsonException e) {
      throw ContainerException.invalidInput(where + ": " + e.getMessage());
    }
    if (!(parsed instanceof List<?> images) || images.isEmpty()) {
      throw ContainerException.invalidInput(where + " lists no image");
    }
    if (images.size() > 1) {
      throw ContainerException.invalidInput(where + " lists " + images.size() + " images; push takes a tarball of one");
    }
    if (!(images.get(0) instanceof Map<?, ?> image)
        || !(image.get("Config") instanceof String configName)
        || !(image.get("Layers") instanceof List<?> layerNames)) {
      throw ContainerException.invalidInput(where + ": the image needs Config and Layers");
    }
    Map<String, Blob.Source> blobs = new HashMap<>();
    List<Path> temporary = new ArrayList<>();
    byte[] config = tarBytes(tar, configName);
    Blob configBlob = new Blob(Digests.of(config), config.length, ManifestJson.DOCKER_CONFIG);
    blobs.put(configBlob.digest(), () -> new java.io.ByteArrayInputStream(config));
    List<Blob> layers = new ArrayList<>();
    try {
      for (Object layerName : layerNames) {
        if (!(layerName instanceof String name)) {
          throw ContainerException.invalidInput(where + ": a layer name is not a string");
        }
        TarIndex.Entry entry = entry(tar, name);
        Blob layer;
        if (isGzip(tar, entry)) {
          Matcher named = DIGEST_NAMED.matcher(name);
          String digest = named.matches() ? "sha256:" + named.group(1) : hash(tar, entry);
          layer = new Blob(digest, entry.size(), ManifestJson.DOCKER_LAYER_GZIP);
          blobs.put(digest, () -> tar.open(entry));
        } else {
          Path compressed = Files.createTempFile("bumper-layer-", ".tar.gz");
          temporary.add(compressed);
          layer = compress(tar, entry, compressed);
          blobs.put(layer.digest(), () -> Files.newInputStream(compressed));
        }
        layers.add(layer);
      }
    } catch (IOException | RuntimeException e) {
      for (Path path : temporary) {
        Files.deleteIfExists(path);
      }
      throw e;
    }
    List<String> tags = new ArrayList<>();
    if (image.get("RepoTags") instanceof List<?> repoTags) {
      for (Object tag : repoTags) {
        if (tag instanceof String text) {
          tags.add(text);
        }
      }
    }
    byte[] manifest = ManifestJson.dockerManifest(configBlob, layers);
    return new ArchiveImage(manifest, RegistryClient.DOCKER_MANIFEST, configBlob.digest(), tags, blobs, temporary);
  }

  private static TarIndex.Entry entry(TarIndex tar, String name) {
    TarIndex.Entry entry = tar.get(name);
    if (entry == null) {
      throw ContainerException.invalidInput(tar.file() + ": " + name + " is named in its manifest but not in the tarball");
    }
    return entry;
  }

  private static byte[] tarBytes(TarIndex tar, String name) throws IOException {
    return tar.read(entry(tar, name));
  }

  private static Map<String, Object> json(TarIndex tar, String name) throws IOException {
    try {
      return JsonReader.parseObject(new String(tarBytes(tar, name), StandardCharsets.UTF_8));
    } catch (JsonReader.JsonException e) {
      throw ContainerException.invalidInput(tar.file() + ": " + name + ": " + e.getMessage());
    }
  }

  private static boolean isGzip(TarIndex tar, TarIndex.Entry entry) throws IOException {
    try (InputStream in = tar.open(entry)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private static String hash(TarIndex tar, TarIndex.Entry entry) throws IOException {
    MessageDigest sha256 = Digests.sha256();
    try (InputStream in = tar.open(entry)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
      }
    }
    return Digests.of(sha256);
  }

  /** Gzips an uncompressed layer into {@code target}: a registry serves layers compressed. */
  private static Blob compress(TarIndex tar, TarIndex.Entry entry, Path target) throws IOException {
    MessageDigest sha256 = Digests.sha256();
    try (InputStream in = tar.open(entry);
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16);
        DigestOutputStream digesting = new DigestOutputStream(file, sha256);
        GZIPOutputStream gzip = new GZIPOutputStream(digesting, 1 << 16)) {
      in.transferTo(gzip);
    }
    return new Blob(Digests.of(sha256), Files.size(target), ManifestJson.DOCKER_LAYER_GZIP);
  }
}
