package dev.bumper.container;

import dev.bumper.secret.SecretMask;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where the credentials for a registry come from, highest first:
 *
 * <ol>
 *   <li>{@code BUMPER_REGISTRY_USERNAME} and {@code BUMPER_REGISTRY_PASSWORD}, for the registries
 *       the command gives them to (the one it pushes to), so that a push token is not sent to the
 *       registry of a public base image;
 *   <li>Docker's {@code config.json}: the registry's credential helper ({@code credHelpers}, else
 *       {@code credsStore}), then its {@code auths} entry.
 * </ol>
 *
 * Every secret handed out is added to {@link SecretMask}, so that it is masked wherever it might
 * appear. Answers are cached: a helper runs once per registry.
 */
public final class RegistryCredentials {
  static final String USERNAME_VARIABLE = "BUMPER_REGISTRY_USERNAME";
  static final String PASSWORD_VARIABLE = "BUMPER_REGISTRY_PASSWORD";

  private final Map<String, String> env;
  private final Predicate<String> takesEnvironmentCredentials;
  private final SecretMask secrets;
  private final Map<String, Optional<Credential>> cache = new HashMap<>();
  private DockerConfig config;

  /**
   * @param takesEnvironmentCredentials which registries (host[:port]) get the environment's
   *     credentials
   */
  public RegistryCredentials(
      Map<String, String> env, Predicate<String> takesEnvironmentCredentials, SecretMask secrets) {
    this.env = env;
    this.takesEnvironmentCredentials = takesEnvironmentCredentials;
    this.secrets = secrets;
    String user = env.get(USERNAME_VARIABLE);
    String password = env.get(PASSWORD_VARIABLE);
    secrets.add(password);
    secrets.addUser(user);
    if (isSet(user) != isSet(password)) {
      throw ContainerException.usage(
          (isSet(user) ? PASSWORD_VARIABLE : USERNAME_VARIABLE)
              + " is not set, but "
              + (isSet(user) ? USERNAME_VARIABLE : PASSWORD_VARIABLE)
              + " is: set both or neither");
    }
  }

  private static boolean isSet(String value) {
    return value != null && !value.isEmpty();
  }

  public SecretMask secrets() {
    return secrets;
  }

  /** The credentials for {@code registry} (host[:port] as in {@link ImageName#registry()}). */
  public synchronized Optional<Credential> forRegistry(String registry) {
    Optional<Credential> cached = cache.get(registry);
    if (cached == null) {
      cached = lookUp(registry);
      cached.ifPresent(credential -> {
        secrets.addUser(credential.username());
        secrets.add(credential.secret());
      });
      cache.put(registry, cached);
    }
    return cached;
  }

  private Optional<Credential> lookUp(String registry) {
    String user = env.get(USERNAME_VARIABLE);
    if (isSet(user) && takesEnvironmentCredentials.test(registry)) {
      return Optional.of(
          new Credential(user, env.get(PASSWORD_VARIABLE), USERNAME_VARIABLE + "/" + PASSWORD_VARIABLE));
    }
    if (config == null) {
      config = DockerConfig.load(DockerConfig.location(env));
    }
    Optional<String> helper = config.helperFor(registry);
    if (helper.isPresent()) {
      String serverUrl = ImageName.isDockerHub(registry) ? ImageName.DOCKER_HUB_CONFIG_KEY : registry;
      Optional<Credential> found = new CredentialHelper(helper.get(), env).get(serverUrl);
      if (found.isPresent()) {
        return found;
      }
    }
    return config.authFor(registry);
  }
}
