package dev.bumper;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the test data shared beside the project ({@code ../shared}, or the directory named by
 * the {@code bumper.shared} system property). Absent data skips a test on a developer's machine
 * but fails it under {@code CI=true}, so CI never passes by skipping.
 */
public final class SharedData {
  private SharedData() {}

  public static Path dir(String name) {
    Path dir = Path.of(System.getProperty("bumper.shared", "../shared")).resolve(name);
    if (!Files.isDirectory(dir)) {
      String message = "shared test data not found: " + dir.toAbsolutePath();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " (required when CI=true)");
      }
      Assumptions.abort(message);
    }
    return dir;
  }
}
