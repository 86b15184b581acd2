package dev.bumper.ci;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web address of a repository, from the clone URL a CI reports: what an image's
 * {@code org.opencontainers.image.source} label and a person following a link expect.
 * {@code git@github.com:/org/repo.git} (Semaphore's form), {@code git@github.com:org/repo.git},
 * {@code ssh://git@host:22/org/repo.git} and {@code https://user:token@host/org/repo.git} all
 * become {@code https://host/org/repo}: SSH and git-protocol URLs are served over HTTPS by the
 * hosts CIs use, and credentials never leave this class.
 */
final class RepositoryUrl {
  private static final Pattern WITH_SCHEME =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://([^/]*)(.*)");
  private static final Pattern SCP_LIKE = Pattern.compile("(?:[^@/:]+@)?([^@/:]{2,}):(.*)");

  private RepositoryUrl() {}

  static String browsable(String url) {
    String u = url.strip();
    if (u.isEmpty()) {
      return "";
    }
    Matcher m = WITH_SCHEME.matcher(u);
    if (m.matches()) {
      String scheme = m.group(1).toLowerCase(Locale.ROOT);
      String authority = m.group(2);
      String host = authority.substring(authority.lastIndexOf('@') + 1);
      return switch (scheme) {
        case "http", "https" -> scheme + "://" + host + path(m.group(3));
        case "ssh", "git", "git+ssh", "ssh+git" ->
            "https://" + withoutPort(host) + path(m.group(3));
        default -> scheme + "://" + host + m.group(3);
      };
    }
    m = SCP_LIKE.matcher(u);
    if (m.matches()) {
      return "https://" + m.group(1) + path(m.group(2));
    }
    return u;
  }

  private static String withoutPort(String host) {
    int colon = host.lastIndexOf(':');
    return colon < 0 || host.endsWith("]") ? host : host.substring(0, colon);
  }

  /** One leading slash, no trailing slash, no {@code .git}. */
  private static String path(String path) {
    String p = path;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.endsWith(".git")) {
      p = p.substring(0, p.length() - ".git".length());
    }
    int start = 0;
    while (start < p.length() && p.charAt(start) == '/') {
      start++;
    }
    return p.isEmpty() ? "" : "/" + p.substring(start);
  }
}
