package dev.bumper.container;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tarballs built to break a reader, byte by byte: sizes that are negative or near 2^63 in GNU's
 * base-256 form, a PAX size that is no number, a long-name entry of negative size, a header that
 * promises more bytes than the file has; and well-formed tars whose manifest or index names a blob
 * they lack, or gives one the wrong size. Each of the first kind was a hang or an internal error once.
 */
public final class HostileTarballs {
  private static final int BLOCK = 512;

  /** A hostile tarball and words the error about it must contain: what is wrong with it. */
  public record Case(Path tarball, String problem) {}

  private HostileTarballs() {}

  /** Writes each hostile tarball into {@code dir}; returns them by what is wrong with them. */
  public static Map<String, Case> write(Path dir) throws IOException {
    Map<String, Case> cases = new LinkedHashMap<>();
    cases.put("a negative size (GNU base-256)", new Case(
        file(dir, "negative.tar", header("manifest.json", base256(BigInteger.valueOf(-2)), '0'), block(), end()),
        "negative size"));
    byte[] pax = paxRecord("size", "notanumber");
    cases.put("a PAX size that is not a number", new Case(
        file(dir, "pax-size.tar", header("././@PaxHeader", octal(pax.length), 'x'), padded(pax),
            header("manifest.json", octal(2), '0'), padded("[]".getBytes(UTF_8)), end()),
        "notanumber"));
    cases.put("a long-name entry of negative size", new Case(
        file(dir, "long-name.tar", header("././@LongLink", base256(BigInteger.valueOf(-5)), 'L'), block(), end()),
        "negative size"));
    cases.put("a size near 2^63", new Case(
        file(dir, "huge.tar", header("manifest.json", base256(BigInteger.ONE.shiftLeft(63).subtract(BigInteger.TEN)), '0'),
            block(), end()),
        "size is larger than the file"));
    cases.put("a truncated tarball", new Case(
        file(dir, "truncated.tar", header("manifest.json", octal(4096), '0'), "[{\"Config\":".getBytes(UTF_8)),
        "Truncated"));

    byte[] config = "{}".getBytes(UTF_8);
    cases.put("a manifest.json that names a missing layer", new Case(
        file(dir, "missing-layer.tar",
            entry("manifest.json", "[{\"Config\":\"config.json\",\"Layers\":[\"gone.tar.gz\"]}]".getBytes(UTF_8)),
            entry("config.json", config), end()),
        "gone.tar.gz is named in its manifest but not in the tarball"));

    String absent = "sha256:" + "ab".repeat(32);
    cases.put("an OCI index that names a missing manifest", new Case(
        file(dir, "missing-manifest.tar", entry("oci-layout", OCI_LAYOUT), entry("index.json", index(absent, 2)), end()),
        "names manifest " + absent + ", which is not in the tarball"));

    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.of(config)
        + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
        + "\"digest\":\"" + absent + "\",\"size\":10}]}").getBytes(UTF_8);
    cases.put("an OCI manifest that names a missing layer", new Case(
        file(dir, "missing-blob.tar", entry("oci-layout", OCI_LAYOUT),
            entry("index.json", index(Digests.of(manifest), manifest.length)),
            entry("blobs/sha256/" + Digests.of(manifest).substring(7), manifest),
            entry("blobs/sha256/" + Digests.of(config).substring(7), config), end()),
        "names blob " + absent + ", which is not in the tarball"));

    byte[] layer = "not the size the manifest gives".getBytes(UTF_8);
    byte[] lying = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.of(config)
        + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
        + "\"digest\":\"" + Digests.of(layer) + "\",\"size\":" + (layer.length + 1000) + "}]}").getBytes(UTF_8);
    cases.put("an OCI manifest that gives a layer the wrong size", new Case(
        file(dir, "wrong-size.tar", entry("oci-layout", OCI_LAYOUT),
            entry("index.json", index(Digests.of(lying), lying.length)),
            entry("blobs/sha256/" + Digests.of(lying).substring(7), lying),
            entry("blobs/sha256/" + Digests.of(config).substring(7), config),
            entry("blobs/sha256/" + Digests.of(layer).substring(7), layer), end()),
        "is " + layer.length + " bytes, its manifest says " + (layer.length + 1000)));
    return cases;
  }

  private static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(UTF_8);

  private static byte[] index(String manifestDigest, long size) {
    return ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"digest\":\"" + manifestDigest + "\",\"size\":" + size + "}]}").getBytes(UTF_8);
  }

  /** A regular file in a tar: its header, then its bytes padded to whole blocks. */
  private static byte[] entry(String name, byte[] bytes) {
    byte[] h = header(name, octal(bytes.length), '0');
    byte[] body = padded(bytes);
    byte[] both = new byte[h.length + body.length];
    System.arraycopy(h, 0, both, 0, h.length);
    System.arraycopy(body, 0, both, h.length, body.length);
    return both;
  }

  private static Path file(Path dir, String name, byte[]... parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.write(part);
    }
    return Files.write(dir.resolve(name), out.toByteArray());
  }

  /** A ustar header with its checksum; {@code size} is the 12-byte size field as given. */
  private static byte[] header(String name, byte[] size, char type) {
    byte[] h = new byte[BLOCK];
    put(h, 0, name.getBytes(UTF_8));
    put(h, 100, "0000644\0".getBytes(US_ASCII));
    put(h, 108, "0000000\0".getBytes(US_ASCII));
    put(h, 116, "0000000\0".getBytes(US_ASCII));
    put(h, 124, size);
    put(h, 136, "00000000000\0".getBytes(US_ASCII));
    h[156] = (byte) type;
    put(h, 257, "ustar\0".getBytes(US_ASCII));
    put(h, 263, "00".getBytes(US_ASCII));
    put(h, 148, "        ".getBytes(US_ASCII));
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, "%06o\0 ".formatted(sum).getBytes(US_ASCII));
    return h;
  }

  private static byte[] octal(long value) {
    return "%011o\0".formatted(value).getBytes(US_ASCII);
  }

  /** GNU's base-256 size: the top bit set, then the two's-complement value in the remaining bits. */
  private static byte[] base256(BigInteger value) {
    byte[] field = new byte[12];
    byte[] raw = value.toByteArray();
    byte fill = (byte) (value.signum() < 0 ? 0xff : 0x00);
    for (int i = 0; i < 12; i++) {
      int from = raw.length - 12 + i;
      field[i] = from >= 0 ? raw[from] : fill;
    }
    field[0] |= (byte) 0x80;
    return field;
  }

  private static byte[] paxRecord(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int length = body.length() + 2;
    if (String.valueOf(length).length() != 2) {
      throw new IllegalArgumentException("keep PAX records short");
    }
    return (length + body).getBytes(UTF_8);
  }

  private static byte[] padded(byte[] bytes) {
    byte[] out = new byte[(bytes.length + BLOCK - 1) / BLOCK * BLOCK];
    System.arraycopy(bytes, 0, out, 0, bytes.length);
    return out;
  }

  private static byte[] block() {
    return new byte[BLOCK];
  }

  private static byte[] end() {
    return new byte[2 * BLOCK];
  }

  private static void put(byte[] h, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, h, at, bytes.length);
  }
}
