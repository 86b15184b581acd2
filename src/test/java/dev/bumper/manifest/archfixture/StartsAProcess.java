package dev.bumper.manifest.archfixture;

import java.io.IOException;

/**
 * Deliberately wrong, for {@code ArchitectureTest}: a core class that starts a process. A bump of
 * a manifest is text in, text out; running a program belongs to an edge package, never the core.
 */
public final class StartsAProcess {
  private StartsAProcess() {}

  public static Process render(String chart) throws IOException {
    return new ProcessBuilder("helm", "template", chart).start();
  }
}
