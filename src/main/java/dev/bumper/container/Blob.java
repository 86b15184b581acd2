package dev.bumper.container;

import java.io.IOException;
import java.io.InputStream;

/**
 * A blob (a layer, a config, or a manifest referenced from an index) as a descriptor names it.
 *
 * @param mediaType the media type the descriptor gives it
 */
record Blob(String digest, long size, String mediaType) {
  /** Where a blob's bytes can be read from, again for every attempt. */
  interface Source {
    InputStream open() throws IOException;
  }
}
