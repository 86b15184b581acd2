package dev.bumper.container.archfixture;

import dev.bumper.cli.Main;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Deliberately wrong, for {@code ArchitectureTest}: a class outside {@code dev.bumper.cli} that
 * runs bumper's command line to get a bump done. {@code cli} parses, runs and renders the other
 * packages' work; what it runs must not reach back into it.
 */
public final class RunsTheCommandLine {
  private RunsTheCommandLine() {}

  public static int bump(String directory, String image, PrintWriter out, PrintWriter err) {
    String[] args = {"bump-manifest", "-C", directory, "-i", image};
    return Main.run(args, out, err, Map.of());
  }
}
