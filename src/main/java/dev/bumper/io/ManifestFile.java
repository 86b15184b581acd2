package dev.bumper.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file to scan: {@code path} is where its bytes are (a symlink resolved), {@code display} the
 * path relative to the root, with {@code /} separators, as users see it in output.
 */
public record ManifestFile(Path path, String display) implements ManifestSource {
  @Override
  public byte[] read() throws IOException {
    return Files.readAllBytes(path);
  }
}
