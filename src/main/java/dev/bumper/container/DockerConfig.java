package dev.bumper.container;

import dev.bumper.io.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Docker's client configuration, {@code $DOCKER_CONFIG/config.json} or {@code
 * ~/.docker/config.json}: which credentials or credential helper a registry uses. Read the way the
 * Docker CLI reads it: a registry's {@code credHelpers} entry first, then the {@code credsStore}
 * for every registry, then the {@code auths} entry. Keys may be written with or without a scheme
 * and path ({@code https://ghcr.io}, {@code ghcr.io/v1/}); Docker Hub's key is {@code
 * https://index.docker.io/v1/}.
 */
final class DockerConfig {
  private final Path path;
  private final Map<String, Object> json;

  private DockerConfig(Path path, Map<String, Object> json) {
    this.path = path;
    this.json = json;
  }

  /** Where the Docker CLI would look, given the environment; null when neither variable is set. */
  static Path location(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir, "config.json");
    }
    String home = env.get("HOME");
    return home == null || home.isBlank() ? null : Path.of(home, ".docker", "config.json");
  }

  /** The configuration at {@code path}; an empty one when there is no such file. */
  static DockerConfig load(Path path) {
    if (path == null) {
      return new DockerConfig(null, Map.of());
    }
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new DockerConfig(path, Map.of());
    } catch (IOException e) {
      throw ContainerException.failure("cannot read " + path + ": " + e.getMessage());
    }
    try {
      return new DockerConfig(path, JsonReader.parseObject(text));
    } catch (JsonReader.JsonException e) {
      throw ContainerException.invalidInput(path + ": " + e.getMessage());
    }
  }

  Path path() {
    return path;
  }

  /** The credential helper (the NAME of {@code docker-credential-NAME}) for {@code registry}. */
  Optional<String> helperFor(String registry) {
    Object helper = entryFor(json.get("credHelpers"), registry);
    if (helper instanceof String name && !name.isBlank()) {
      return Optional.of(name);
    }
    Object store = json.get("credsStore");
    if (store instanceof String name && !name.isBlank()) {
      return Optional.of(name);
    }
    return Optional.empty();
  }

  /** The credentials stored for {@code registry} in {@code auths}. */
  Optional<Credential> authFor(String registry) {
    if (!(entryFor(json.get("auths"), registry) instanceof Map<?, ?> entry)) {
      return Optional.empty();
    }
    String source = path + " (auths)";
    if (entry.get("identitytoken") instanceof String token && !token.isEmpty()) {
      return Optional.of(new Credential(Credential.IDENTITY_TOKEN_USER, token, source));
    }
    if (entry.get("auth") instanceof String auth && !auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw ContainerException.invalidInput(path + ": the auth of " + registry + " is not Base64");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw ContainerException.invalidInput(path + ": the auth of " + registry + " is not USER:PASSWORD");
      }
      return Optional.of(new Credential(decoded.substring(0, colon), decoded.substring(colon + 1), source));
    }
    if (entry.get("username") instanceof String user && entry.get("password") instanceof String password) {
      return Optional.of(new Credential(user, password, source));
    }
    return Optional.empty();
  }

  /** The value of the key in {@code section} (a JSON object) that names {@code registry}. */
  private static Object entryFor(Object section, String registry) {
    if (!(section instanceof Map<?, ?> map)) {
      return null;
    }
    String wanted = normalize(registry);
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (entry.getKey() instanceof String key && normalize(key).equals(wanted)) {
        return entry.getValue();
      }
    }
    return null;
  }

  /** {@code host[:port]} of a config key or registry, with Docker Hub's names made one. */
  static String normalize(String key) {
    String host = key.strip().toLowerCase(Locale.ROOT);
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    return ImageName.isDockerHub(host) ? "docker.io" : host;
  }
}
