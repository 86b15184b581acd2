package dev.bumper.cli;

import static dev.bumper.cli.TestProcesses.git;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Command lines that handle credentials, through success and failure: a config repo served over
 * smart HTTP behind a token ({@link GitHttpServer}), the token in the environment, in URLs and in
 * Docker's {@code config.json}; each command in memory, in clone mode and in a checkout; an
 * unreachable host, a refused token, a missing or malformed repository, usage errors that echo
 * arguments, {@code -v} and {@code --output json}. {@link #forbidden()} lists every form of the
 * secrets that must appear in no output.
 *
 * <p>build-image, push and bump-manifest's --pin-digest run against Debian's registry over TLS
 * with htpasswd logins, with the registry credentials of {@link #env()} (config.json,
 * BUMPER_REGISTRY_*): accepted, refused, and a registry that is not there.
 */
final class SecretCases implements AutoCloseable {
  static final String TOKEN = "ghp_s3cretT0kenZ9yX8wV7uT6sR5qP4";
  static final String WRONG = "ghp_wr0ngT0kenA1bC2dE3fG4hI5jK6";

  /** One command line, the environment it runs with, and the exit codes it may end with. */
  record Case(String name, Map<String, String> env, List<String> args, List<Integer> codes) {
    @Override
    public String toString() {
      return name + ": bumper " + String.join(" ", args);
    }
  }

  private static final String DEPLOYMENT =
      "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
          + "        - name: web\n          image: ghcr.io/acme/web:1.0.0\n";
  private static final String KUSTOMIZATION = "images:\n- name: web\n  newTag: \"1.0\"\n";

  private final Path tmp;
  private final Path bare;
  private final GitHttpServer server;
  private final Path dockerConfig;
  private final TestRegistry registry;
  private int tag;

  SecretCases(Path tmp) throws Exception {
    this.tmp = tmp;
    Path served = Files.createDirectories(tmp.resolve("served"));
    bare = served.resolve("config.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    Path seed = tmp.resolve("seed");
    git(tmp, "clone", "-q", bare.toString(), seed.toString());
    Files.createDirectories(seed.resolve("apps"));
    Files.writeString(seed.resolve("apps/web.yaml"), DEPLOYMENT);
    Files.writeString(seed.resolve("kustomization.yaml"), KUSTOMIZATION);
    git(seed, "add", "-A");
    git(seed, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init");
    git(seed, "push", "-q", "origin", "main");
    server = new GitHttpServer(served, TOKEN);
    registry = TestRegistry.start(Files.createDirectories(tmp.resolve("registry")), "robot", TOKEN);
    dockerConfig = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(dockerConfig.resolve("config.json"),
        "{\"auths\": {\"ghcr.io\": {\"auth\": \"" + b64("robot:" + TOKEN) + "\"},"
            + " \"" + registry.host() + "\": {\"auth\": \"" + b64("robot:" + TOKEN) + "\"},"
            + " \"registry.example.com\": {\"identitytoken\": \"" + TOKEN + "\"}}}\n");
  }

  /** The environment every case has: registry credentials that no git command should print. */
  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("DOCKER_CONFIG", dockerConfig.toString());
    env.put("BUMPER_REGISTRY_USERNAME", "robot");
    env.put("BUMPER_REGISTRY_PASSWORD", TOKEN);
    return env;
  }

  /** Every form of the secrets: as written, and base64 with each user name they were sent with. */
  static List<String> forbidden() {
    List<String> forms = new ArrayList<>();
    for (String secret : new String[] {TOKEN, WRONG}) {
      forms.add(secret);
      forms.add(b64(secret));
      forms.add(b64(secret + ":"));
      for (String user : new String[] {"x-access-token", "deployer", "robot", "x"}) {
        forms.add(b64(user + ":" + secret));
      }
    }
    return forms;
  }

  List<Case> cases() throws Exception {
    String url = server.url("config.git");
    String withToken = url.replace("http://", "http://x-access-token:" + TOKEN + "@");
    String tokenAsUser = url.replace("http://", "http://" + TOKEN + "@");
    String wrongInUrl = url.replace("http://", "http://deployer:" + WRONG + "@");
    String missing = server.url("missing.git").replace("http://", "http://x-access-token:" + TOKEN + "@");
    String tls = withToken.replace("http://", "https://");
    String closed = "http://x-access-token:" + TOKEN + "@127.0.0.1:" + TestProcesses.freePort() + "/config.git";
    Map<String, String> token = Map.of("GIT_TOKEN", TOKEN);
    Map<String, String> userPassword = Map.of("GIT_USERNAME", "deployer", "GIT_PASSWORD", TOKEN);
    Map<String, String> wrong = Map.of("GIT_TOKEN", WRONG);
    List<Integer> ok = List.of(0);
    List<Integer> failed = List.of(1);
    List<Integer> usage = List.of(2);

    List<Case> cases = new ArrayList<>();
    // success
    cases.add(new Case("in memory, GIT_TOKEN", token, List.of("-v", "bump-manifest", "--repo", url, "--push", "-i", image()), ok));
    cases.add(new Case("clone mode, token in the URL, JSON", Map.of(),
        List.of("-v", "--output", "json", "bump-manifest", "--repo", withToken, "-C", dir("clone-a"), "--push", "-i", image()), ok));
    cases.add(new Case("dry run, token in the URL", Map.of(), List.of("-v", "bump-manifest", "--repo", withToken, "--dry-run", "-i", image()), ok));
    cases.add(new Case("kustomize in memory, GIT_USERNAME and GIT_PASSWORD", userPassword,
        List.of("-v", "kustomize-set-image", "--repo", url, "--push", "web:" + next()), ok));
    cases.add(new Case("kustomize clone mode, token in the URL", Map.of(),
        List.of("-v", "kustomize-set-image", "--repo", withToken, "-C", dir("clone-k"), "--push", "web:" + next()), ok));
    cases.add(new Case("commit-push in a checkout, GIT_TOKEN", token, List.of("-v", "commit-push", "--add-new", "-C", checkout("checkout-ok", url)), ok));
    cases.add(new Case("commit-push in a clone, token in the URL", Map.of(),
        List.of("-v", "--output", "json", "commit-push", "--repo", withToken, "-C", tmp.resolve("clone-a").toString()), ok));
    // an unreachable host
    cases.add(new Case("unreachable, in memory", Map.of(), List.of("-v", "bump-manifest", "--repo", closed, "--push", "-i", image()), failed));
    cases.add(new Case("unreachable, clone mode, JSON", Map.of(),
        List.of("-v", "--output", "json", "kustomize-set-image", "--repo", closed, "-C", dir("clone-u"), "web:2"), failed));
    cases.add(new Case("unreachable, commit-push clone", Map.of(), List.of("-v", "commit-push", "--repo", closed, "-C", dir("clone-u2")), failed));
    cases.add(new Case("unreachable, commit-push checkout", token,
        List.of("-v", "commit-push", "--add-new", "-C", checkout("checkout-u", closed.replace("x-access-token:" + TOKEN + "@", ""))), failed));
    // refused credentials
    cases.add(new Case("refused GIT_TOKEN, in memory", wrong, List.of("-v", "bump-manifest", "--repo", url, "--push", "-i", image()), failed));
    cases.add(new Case("refused token as the URL's user", Map.of(),
        List.of("-v", "kustomize-set-image", "--repo", tokenAsUser, "--push", "web:2"), failed));
    cases.add(new Case("refused password in the URL, clone mode", Map.of(),
        List.of("-v", "bump-manifest", "--repo", wrongInUrl, "-C", dir("clone-r"), "-i", image()), failed));
    cases.add(new Case("refused GIT_PASSWORD, checkout", Map.of("GIT_USERNAME", "deployer", "GIT_PASSWORD", WRONG),
        List.of("-v", "commit-push", "--add-new", "-C", checkout("checkout-r", url)), failed));
    // a bad repository
    cases.add(new Case("no such repository", Map.of(), List.of("-v", "bump-manifest", "--repo", missing, "--push", "-i", image()), failed));
    cases.add(new Case("TLS to a plain HTTP server, which never answers", Map.of(),
        List.of("-v", "kustomize-set-image", "--repo", tls, "--push", "--timeout", "3", "web:2"), failed));
    cases.add(new Case("malformed URL", Map.of(), List.of("-v", "bump-manifest", "--repo", "http://x:" + TOKEN + "@", "--push", "-i", image()), usage));
    cases.add(new Case("not a checkout", token, List.of("-v", "commit-push", "-C", dir("not-a-checkout")), usage));
    // usage errors that quote arguments
    cases.add(new Case("bad option value", Map.of(), List.of("commit-push", "--attempts=" + withToken), usage));
    cases.add(new Case("unknown option", Map.of(), List.of("bump-manifest", "--repo=" + withToken, "--bogus", "-i", image()), usage));
    cases.add(new Case("bad image spec, JSON", Map.of(),
        List.of("--output", "json", "bump-manifest", "--repo", withToken, "--push", "-i", "Not A " + TOKEN), usage));
    cases.addAll(registryCases());
    return cases;
  }

  /** build-image, push and --pin-digest, with credentials accepted, refused, and no registry. */
  private List<Case> registryCases() throws Exception {
    String host = registry.host();
    String closed = "127.0.0.1:" + TestProcesses.freePort();
    Path layer = Files.createDirectories(tmp.resolve("layer"));
    Files.writeString(layer.resolve("app.txt"), "app\n");
    String tarball = tmp.resolve("image.tar").toString();
    Path config = Files.createDirectories(tmp.resolve("registry-config"));
    Files.writeString(config.resolve("web.yaml"), DEPLOYMENT.replace("ghcr.io/acme/web:1.0.0", host + "/acme/web:1"));
    Map<String, String> wrong = Map.of("BUMPER_REGISTRY_PASSWORD", WRONG);
    List<Integer> ok = List.of(0);
    List<Integer> failed = List.of(1);
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("build-image --tar", Map.of(), List.of("-v", "build-image", "--to", host + "/acme/web:1",
        "--layer", layer + ":/app", "--tar", tarball, "--metadata-file", tmp.resolve("built.json").toString()), ok));
    cases.add(new Case("push, BUMPER_REGISTRY_*", Map.of(), List.of("-v", "--output", "json", "push", tarball,
        "--to", host + "/acme/web:1", "--insecure-registry", host), ok));
    cases.add(new Case("push --from/--to, config.json and BUMPER_REGISTRY_*", Map.of(), List.of("-v", "push",
        "--from", host + "/acme/web:1", "--to", host + "/acme/copy:1", "--insecure-registry", host), ok));
    cases.add(new Case("bump-manifest --pin-digest", Map.of("BUMPER_INSECURE_REGISTRIES", host), List.of("-v",
        "bump-manifest", "-C", config.toString(), "-i", host + "/acme/web:1", "--pin-digest"), ok));
    cases.add(new Case("push, refused password", wrong, List.of("-v", "push", tarball, "--to", host + "/acme/web:2",
        "--insecure-registry", host, "--retries", "1"), failed));
    cases.add(new Case("build-image to the registry, refused password, JSON", wrong, List.of("-v", "--output", "json",
        "build-image", "--to", host + "/acme/web:3", "--layer", layer + ":/app", "--insecure-registry", host,
        "--retries", "1"), failed));
    cases.add(new Case("push, no registry there", Map.of(), List.of("-v", "push", tarball, "--to", closed + "/acme/web:1",
        "--insecure-registry", closed, "--retries", "1"), failed));
    return cases;
  }

  /** Checks one run's output for every forbidden form and for crashes. */
  static void check(Case c, int code, String out, String err) {
    String all = out + err;
    String shown = c + "\nexit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    assertThat(code).as(shown).isIn(c.codes());
    for (String form : forbidden()) {
      assertThat(all).as(shown).doesNotContain(form);
    }
    assertThat(all).as(shown).doesNotContainPattern(DamagedCorpus.CRASH);
    if (code != 0) {
      assertThat(err.strip()).as("a failure says why\n" + shown).isNotEmpty();
    }
  }

  /**
   * Checks what the runs left on disk, outside object databases: clones' configuration, fetch
   * heads, reflogs and intents, and the commit messages of the config repo.
   */
  void checkFiles() throws Exception {
    List<Path> leaks = new ArrayList<>();
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path file : all.filter(Files::isRegularFile).toList()) {
        String path = file.toString();
        if (path.contains("/objects/") || file.startsWith(dockerConfig)) {
          continue;
        }
        String text = new String(Files.readAllBytes(file), UTF_8);
        if (text.contains(TOKEN) || text.contains(WRONG)) {
          leaks.add(file);
        }
      }
    }
    assertThat(leaks).as("files holding a secret").isEmpty();
    String log = git(tmp, "--git-dir=" + bare, "log", "--format=%an %ae%n%B", "main");
    assertThat(log).doesNotContain(TOKEN).doesNotContain(WRONG);
  }

  private String image() {
    return "ghcr.io/acme/web:" + next();
  }

  private String next() {
    return "2.0." + (++tag);
  }

  private String dir(String name) {
    return tmp.resolve(name).toString();
  }

  /** A checkout with a change to commit, its origin at {@code url}. */
  private String checkout(String name, String url) throws IOException, InterruptedException {
    Path dir = tmp.resolve(name);
    git(tmp, "clone", "-q", bare.toString(), dir.toString());
    git(dir, "remote", "set-url", "origin", url);
    // a file of its own: the other cases push to the same branch before this one runs
    Files.writeString(dir.resolve("apps/" + name + ".yaml"), DEPLOYMENT.replace("1.0.0", next()));
    return dir.toString();
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
    registry.close();
  }

  /** Cases by name, for a test that runs some of them. */
  Map<String, Case> byName() throws Exception {
    Map<String, Case> byName = new LinkedHashMap<>();
    for (Case c : cases()) {
      byName.put(c.name(), c);
    }
    return byName;
  }
}
