package dev.bumper.image.archfixture;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Deliberately wrong, for {@code ArchitectureTest}: a core class that goes to the network, here to
 * resolve a registry's host name. An image reference is parsed from text; asking a registry or a
 * name server about it is the edge's work ({@code dev.bumper.container}).
 */
public final class ResolvesAHost {
  private ResolvesAHost() {}

  public static boolean registryExists(String host) {
    try {
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
