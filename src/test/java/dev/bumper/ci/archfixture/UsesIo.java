package dev.bumper.ci.archfixture;

import dev.bumper.io.archfixture.UsesCi;

/**
 * Deliberately wrong together with {@link UsesCi}, for {@code ArchitectureTest}: {@code ci} using
 * {@code io} is fine on its own (the real {@code ci} reads GitHub's event file through it), but
 * {@code io} uses {@code ci} back, so neither package can be read without the other.
 */
public final class UsesIo {
  private UsesIo() {}

  public static String eventPathVariable(String ciName) {
    return UsesCi.isGitHub(ciName) ? "GITHUB_EVENT_PATH" : "";
  }

  public static String gitHubName() {
    return "github-actions";
  }
}
