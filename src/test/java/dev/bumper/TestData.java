package dev.bumper;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's own directories as the tests see them: the test data kept in the repository under
 * {@code src/test/data} (each folder with its SOURCES.md and licence), and {@code target}.
 */
public final class TestData {
  private TestData() {}

  /** The project directory: Maven's {@code basedir}, else the working directory. */
  public static Path projectDir() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  /** {@code src/test/data/NAME}; its absence is a broken checkout, never a reason to skip. */
  public static Path dir(String name) {
    Path dir = projectDir().resolve("src/test/data").resolve(name);
    if (!Files.isDirectory(dir)) {
      fail("test data missing: " + dir + " (it is part of the repository; is the checkout complete?)");
    }
    return dir;
  }
}
