package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The smallest image manifest a registry serves, and what tests that play a registry need with it. */
final class TestManifests {
  static final String CONFIG = "{}";
  /** The digest of {@link #CONFIG}, spelt out: a case label needs a constant. */
  static final String CONFIG_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
  static final String MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
  static final String MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"" + MEDIA_TYPE + "\","
          + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":2,"
          + "\"digest\":\"" + CONFIG_DIGEST + "\"},\"layers\":[]}";
  static final String DIGEST = "sha256:" + sha256(MANIFEST);

  private TestManifests() {}

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The head of an HTTP request read from a raw socket, up to its blank line (or the end). */
  static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
