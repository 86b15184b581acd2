package dev.bumper.yaml.archfixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Deliberately wrong, for {@code ArchitectureTest}: a core class that reads a file. The core takes
 * text and returns text; reading and writing files is the edge's work ({@code dev.bumper.io}), so
 * that the core can be tested on strings alone.
 */
public final class ReadsAFile {
  private ReadsAFile() {}

  public static String load(Path manifest) throws IOException {
    return Files.readString(manifest);
  }
}
