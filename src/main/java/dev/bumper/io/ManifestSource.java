package dev.bumper.io;

import java.io.IOException;

/**
 * A manifest to bump, wherever its bytes live: a file in a working tree, or a blob in a Git
 * object database when a config repo is bumped without a checkout.
 */
public interface ManifestSource {
  /** The path relative to the root, with {@code /} separators, as users see it in output. */
  String display();

  byte[] read() throws IOException;
}
