package dev.bumper.container;

import dev.bumper.ci.CiEnvironment;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The OCI annotation labels that say where an image came from, from the CI environment: {@code
 * org.opencontainers.image.revision} (the commit built), {@code .source} (the repository, as an
 * https URL without credentials), {@code .version} (the tag, on tag builds) and {@code .created}
 * (the creation time, which comes from the commit, so digests stay reproducible). Labels given
 * with {@code --label} win over these.
 */
public final class OciLabels {
  static final String PREFIX = "org.opencontainers.image.";

  private OciLabels() {}

  public static Map<String, String> of(CiEnvironment ci, Optional<Instant> created) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (!ci.commit().isEmpty()) {
      labels.put(PREFIX + "revision", ci.commit());
    }
    String source = sourceUrl(ci.repoUrl());
    if (!source.isEmpty()) {
      labels.put(PREFIX + "source", source);
    }
    if (!ci.tag().isEmpty()) {
      labels.put(PREFIX + "version", ci.tag());
    }
    created.ifPresent(time -> labels.put(PREFIX + "created", time.toString()));
    return labels;
  }

  /**
   * A repository URL as a browsable https URL: scp-like {@code git@host:org/repo.git} and {@code
   * ssh://} URLs become {@code https://host/org/repo}, credentials and {@code .git} are dropped.
   */
  static String sourceUrl(String url) {
    String text = url.strip();
    if (text.isEmpty()) {
      return "";
    }
    String host;
    String path;
    int scheme = text.indexOf("://");
    if (scheme >= 0) {
      String rest = text.substring(scheme + 3);
      int slash = rest.indexOf('/');
      host = slash < 0 ? rest : rest.substring(0, slash);
      path = slash < 0 ? "" : rest.substring(slash + 1);
      int at = host.lastIndexOf('@');
      host = at < 0 ? host : host.substring(at + 1);
      if (text.startsWith("ssh://") || text.startsWith("git://")) {
        int colon = host.indexOf(':');
        host = colon < 0 ? host : host.substring(0, colon); // an SSH port is no web port
      }
    } else {
      int colon = text.indexOf(':');
      if (colon < 0) {
        return text;
      }
      host = text.substring(0, colon);
      int at = host.lastIndexOf('@');
      host = at < 0 ? host : host.substring(at + 1);
      path = text.substring(colon + 1);
    }
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.endsWith(".git")) {
      path = path.substring(0, path.length() - 4);
    }
    return "https://" + host + (path.isEmpty() ? "" : "/" + path);
  }
}
