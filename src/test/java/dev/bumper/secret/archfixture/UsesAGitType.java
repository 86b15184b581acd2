package dev.bumper.secret.archfixture;

import dev.bumper.git.RemoteUrl;

/**
 * Deliberately wrong, for {@code ArchitectureTest}: a core class that borrows an edge's type, here
 * the git package's URL parser to hide a password. The edges depend on the core, never the other
 * way round, so the core builds and runs without them.
 */
public final class UsesAGitType {
  private UsesAGitType() {}

  public static String redact(String url) {
    return RemoteUrl.parse(url).redacted();
  }
}
