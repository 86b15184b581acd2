package dev.bumper.io.archfixture;

import dev.bumper.ci.archfixture.UsesIo;

/**
 * Deliberately wrong together with {@link UsesIo}, for {@code ArchitectureTest}: {@code io} asking
 * {@code ci} about the CI it runs on closes the cycle {@code ci -> io -> ci}.
 */
public final class UsesCi {
  private UsesCi() {}

  public static boolean isGitHub(String ciName) {
    return ciName.equals(UsesIo.gitHubName());
  }
}
