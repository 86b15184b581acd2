package dev.bumper.provider;

import dev.bumper.failure.UsageException;
import java.net.URI;
import java.util.Locale;

/**
 * Which provider hosts a config repo, where its API is, and the repository's path there, from
 * the repo's URL: {@code github.com} is GitHub (API {@code https://api.github.com/}), {@code
 * gitlab.com} or a host named {@code gitlab.*} is GitLab ({@code https://HOST/api/v4/}), any
 * other host is GitHub Enterprise ({@code https://HOST/api/v3/}) unless the kind is given.
 *
 * @param path {@code owner/repo} on GitHub, {@code group/subgroup/project} on GitLab
 */
public record ProviderTarget(Kind kind, URI api, String path) {
  /** The providers bumper opens pull requests on. */
  public enum Kind {
    GITHUB,
    GITLAB;

    public static Kind parse(String text) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "github" -> GITHUB;
        case "gitlab" -> GITLAB;
        default -> throw new UsageException("--provider " + text + ": github or gitlab");
      };
    }
  }

  /**
   * @param host the repo's host
   * @param repoPath the repo's path on the host, with or without {@code .git} and slashes
   * @param kind the provider, or null to tell it from the host
   * @param api the API's root, or null for the provider's default for the host
   */
  public static ProviderTarget of(String host, String repoPath, Kind kind, URI api) {
    String h = host.toLowerCase(Locale.ROOT);
    Kind k = kind != null ? kind
        : h.equals("gitlab.com") || h.startsWith("gitlab.") ? Kind.GITLAB : Kind.GITHUB;
    String path = repoPath.replaceAll("^/+", "").replaceAll("/+$", "").replaceAll("\\.git$", "");
    if (path.isEmpty() || (k == Kind.GITHUB && path.split("/").length != 2)) {
      throw new UsageException("--pull-request: " + repoPath + " is not a repository path on "
          + (k == Kind.GITHUB ? "GitHub (OWNER/REPO)" : "GitLab (GROUP/PROJECT)"));
    }
    URI root = api != null ? api
        : k == Kind.GITLAB ? URI.create("https://" + host + "/api/v4/")
        : h.equals("github.com") ? URI.create("https://api.github.com/")
        : URI.create("https://" + host + "/api/v3/");
    return new ProviderTarget(k, root, path);
  }
}
