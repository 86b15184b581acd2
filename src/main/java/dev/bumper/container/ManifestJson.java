package dev.bumper.container;

import dev.bumper.io.JsonReader;
import dev.bumper.io.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Image manifests and indexes: reading what they reference, and writing the Docker v2.2 manifest
 * of a docker-archive tarball.
 *
 * <p>The written manifest is compact JSON with the fields in the order Jib writes them ({@code
 * schemaVersion, mediaType, config, layers}, each descriptor {@code mediaType, digest, size}), so
 * that pushing the tarball Jib wrote gives the very digest Jib computed for the image, and the one
 * a direct push to the registry gives.
 */
final class ManifestJson {
  static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  /** The largest manifest a registry takes: Docker, containerd and distribution all stop at 4 MB. */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  private ManifestJson() {}

  /**
   * What a manifest references.
   *
   * @param mediaType the manifest's own media type
   * @param config the config blob of an image manifest, null for an index
   * @param layers the layers of an image manifest
   * @param manifests the manifests an index lists
   */
  record Parsed(String mediaType, Blob config, List<Blob> layers, List<Child> manifests) {
    boolean isIndex() {
      return config == null;
    }
  }

  /** A manifest an index lists, and its platform ({@code linux/arm64}, or empty). */
  record Child(Blob blob, String platform) {}

  static boolean isIndexType(String mediaType) {
    return RegistryClient.OCI_INDEX.equals(mediaType) || RegistryClient.DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  /**
   * Parses a manifest or index.
   *
   * @param contentType the media type the registry or archive gave it, used when the JSON has none
   * @throws ContainerException (invalid input) when it is not a manifest bumper can push
   */
  static Parsed parse(byte[] bytes, String contentType, String what) {
    Map<String, Object> json;
    try {
      json = JsonReader.parseObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (JsonReader.JsonException e) {
      throw ContainerException.invalidInput(what + ": not a JSON manifest: " + e.getMessage());
    }
    if (!Long.valueOf(2).equals(json.get("schemaVersion"))) {
      throw ContainerException.invalidInput(
          what + ": schemaVersion " + json.get("schemaVersion") + " is not supported (Docker v2.2 and OCI manifests are)");
    }
    String mediaType = json.get("mediaType") instanceof String type ? type : contentType;
    if (json.get("manifests") instanceof List<?> list) {
      List<Child> children = new ArrayList<>();
      for (Object item : list) {
        Map<?, ?> descriptor = object(item, what);
        String platform = "";
        if (descriptor.get("platform") instanceof Map<?, ?> p) {
          platform = p.get("os") + "/" + p.get("architecture") + (p.get("variant") instanceof String v ? "/" + v : "");
        }
        children.add(new Child(descriptor(descriptor, what), platform));
      }
      String type = mediaType == null || mediaType.isEmpty() ? RegistryClient.OCI_INDEX : mediaType;
      return new Parsed(type, null, List.of(), children);
    }
    if (!(json.get("config") instanceof Map<?, ?> config) || !(json.get("layers") instanceof List<?> layers)) {
      throw ContainerException.invalidInput(what + ": a manifest needs config and layers, or manifests");
    }
    List<Blob> layerBlobs = new ArrayList<>();
    for (Object layer : layers) {
      layerBlobs.add(descriptor(object(layer, what), what));
    }
    String type = mediaType == null || mediaType.isEmpty() ? RegistryClient.OCI_MANIFEST : mediaType;
    return new Parsed(type, descriptor(config, what), layerBlobs, List.of());
  }

  private static Map<?, ?> object(Object item, String what) {
    if (item instanceof Map<?, ?> map) {
      return map;
    }
    throw ContainerException.invalidInput(what + ": a descriptor is not a JSON object");
  }

  private static Blob descriptor(Map<?, ?> json, String what) {
    if (!(json.get("digest") instanceof String digest) || !Digests.isSha256(digest)) {
      throw ContainerException.invalidInput(what + ": a descriptor has no sha256 digest");
    }
    if (!(json.get("size") instanceof Long size) || size < 0) {
      throw ContainerException.invalidInput(what + ": descriptor " + digest + " has no size");
    }
    return new Blob(digest, size, json.get("mediaType") instanceof String type ? type : "");
  }

  /** The Docker v2.2 manifest of a config and layers, byte for byte as Jib writes it. */
  static byte[] dockerManifest(Blob config, List<Blob> layers) {
    StringBuilder out = new StringBuilder();
    JsonWriter json = new JsonWriter(out);
    json.beginObject()
        .name("schemaVersion").value(2)
        .name("mediaType").value(RegistryClient.DOCKER_MANIFEST)
        .name("config");
    descriptor(json, config);
    json.name("layers").beginArray();
    for (Blob layer : layers) {
      descriptor(json, layer);
    }
    json.endArray().endObject();
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void descriptor(JsonWriter json, Blob blob) {
    json.beginObject()
        .name("mediaType").value(blob.mediaType())
        .name("digest").value(blob.digest())
        .name("size").value(blob.size())
        .endObject();
  }
}
