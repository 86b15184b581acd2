package dev.bumper.image.archfixture;

import java.net.URI;

/**
 * Allowed, for {@code ArchitectureTest}: a core class that parses a URI. {@code java.net.URI} is
 * text about an address, not a connection, so the rule against network APIs lets it through.
 */
public final class ParsesAUri {
  private ParsesAUri() {}

  public static String host(String url) {
    return URI.create(url).getHost();
  }
}
