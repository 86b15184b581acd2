package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bumper.RequiresTools;
import dev.bumper.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --repo URL --push} over SSH as CI runs it: the packaged jar in a separate process, with
 * HOME pointing at a temporary home (its {@code .ssh} holds the client key, config and
 * known_hosts), against a real OpenSSH server on 127.0.0.1 serving a bare repository.
 */
@RequiresTools({"sshd", "ssh-keygen"})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SshPushIT {
  private static final long RUN_TIMEOUT_SECONDS = 120;
  /** GitHub's default key type; Apache MINA SSHD reads it through the net.i2p EdDSA provider. */
  private static final String KEY_TYPE = "ed25519";
  private static final String DEPLOY =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
          + "      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.0.0 # pinned\n";
  private static final String KUSTOMIZATION =
      "resources:\n  - deploy.yaml\nimages:\n  - name: ghcr.io/acme/api\n    newTag: 2.0.0\n";

  @TempDir static Path shared;
  private static Path jar;
  private static Path served;
  private static Path hostPublicKey;
  private static Path otherHostPublicKey;
  private static Path clientKey;
  private static Path deployKey;
  private static Path sshdLog;
  private static Process sshd;
  private static int port;
  private static String user;
  private static final List<Process> started = new ArrayList<>();

  @TempDir Path tmp;
  private Path bare;
  private Path home;
  private String seed;

  // ---- the server

  @BeforeAll
  static void startSshd() throws Exception {
    jar = TestProcesses.packagedJar();
    user = System.getProperty("user.name");
    served = Files.createDirectories(shared.resolve("served"));
    Path server = Files.createDirectories(shared.resolve("server"));
    Path keys = Files.createDirectories(shared.resolve("keys"));
    Path hostKey = server.resolve("ssh_host_ecdsa_key");
    keygen(hostKey);
    hostPublicKey = server.resolve("ssh_host_ecdsa_key.pub");
    keygen(keys.resolve("other_host_key"));
    otherHostPublicKey = keys.resolve("other_host_key.pub");
    clientKey = keys.resolve("id_ecdsa");
    keygen(clientKey);
    deployKey = keys.resolve("deploy_key");
    keygen(deployKey);
    Path authorized = server.resolve("authorized_keys");
    Files.writeString(
        authorized,
        Files.readString(Path.of(clientKey + ".pub")) + Files.readString(Path.of(deployKey + ".pub")),
        UTF_8);
    // sshd running as root wants its privilege separation directory
    Path privsep = Path.of("/run/sshd");
    if ("root".equals(user) && !Files.isDirectory(privsep)) {
      Files.createDirectories(privsep);
    }
    for (int tries = 1; ; tries++) {
      port = TestProcesses.freePort();
      Path config = server.resolve("sshd_config");
      Files.writeString(
          config,
          String.join(
              "\n",
              "Port " + port,
              "ListenAddress 127.0.0.1",
              "HostKey " + hostKey,
              "AuthorizedKeysFile " + authorized,
              "PidFile " + server.resolve("sshd.pid"),
              "StrictModes no",
              "UsePAM no",
              "PermitRootLogin prohibit-password",
              "PubkeyAuthentication yes",
              "PasswordAuthentication no",
              "KbdInteractiveAuthentication no",
              "AllowTcpForwarding no",
              "X11Forwarding no",
              "LogLevel VERBOSE",
              ""),
          UTF_8);
      sshdLog = shared.resolve("sshd-" + tries + ".log");
      ProcessBuilder pb = new ProcessBuilder(Tools.path("sshd"), "-D", "-e", "-f", config.toString());
      pb.redirectErrorStream(true).redirectOutput(sshdLog.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      sshd = pb.start();
      if (TestProcesses.waitForPort(port, sshd, 20_000)) {
        return;
      }
      stop(sshd);
      if (tries == 3) {
        fail("sshd did not listen on 127.0.0.1:" + port + ": " + Files.readString(sshdLog));
      }
    }
  }

  @AfterAll
  static void stopSshd() {
    if (sshd != null) {
      stop(sshd);
    }
  }

  @AfterEach
  void killLeftovers() {
    for (Process p : started) {
      if (p.isAlive()) {
        stop(p);
      }
    }
    started.clear();
  }

  @BeforeEach
  void seedRepo(TestInfo info) throws Exception {
    String name = info.getTestMethod().orElseThrow().getName();
    bare = served.resolve(name).resolve("config.git");
    Files.createDirectories(bare.getParent());
    git(null, "init", "-q", "--bare", "-b", "main", bare.toString());
    Path work = tmp.resolve("seed");
    git(null, "init", "-q", "-b", "main", work.toString());
    Files.writeString(work.resolve("deploy.yaml"), DEPLOY, UTF_8);
    Files.writeString(work.resolve("kustomization.yaml"), KUSTOMIZATION, UTF_8);
    git(work, "add", "-A");
    git(work, "commit", "-q", "-m", "seed");
    git(work, "push", "-q", bare.toString(), "main");
    seed = tip();
    home = Files.createDirectories(tmp.resolve("home"));
  }

  // ---- cases

  @Test
  void unknownHostKeyIsRefused() throws Exception {
    Path ssh = sshDir(true);
    Result r = bump(sshUrl(), "1.4.2");
    assertThat(r.code).as("%s", r).isEqualTo(1);
    assertThat(r.err)
        .contains("host key for 127.0.0.1:" + port
            + " is unknown; add it to ~/.ssh/known_hosts or pass --accept-new-host-keys");
    assertNoSecret(r);
    assertThat(tip()).isEqualTo(seed);
    assertThat(ssh.resolve("known_hosts")).doesNotExist();
  }

  @Test
  void acceptNewHostKeysAcceptsAndRecordsTheKey() throws Exception {
    Path ssh = sshDir(true);
    Result r = bump(sshUrl(), "1.4.2", "--accept-new-host-keys");
    assertThat(r.code).as("%s", r).isEqualTo(0);
    assertThat(r.out).contains("pushed");
    assertNoSecret(r);
    assertThat(tip()).isNotEqualTo(seed);
    assertThat(show("main:deploy.yaml")).contains("image: ghcr.io/acme/web:1.4.2 # pinned");
    String knownHosts = Files.readString(ssh.resolve("known_hosts"));
    assertThat(knownHosts).contains("[127.0.0.1]:" + port).contains(keyBlob(hostPublicKey));

    // the recorded key is then known: no flag needed
    String first = tip();
    Result again = bump(sshUrl(), "1.4.3");
    assertThat(again.code).as("%s", again).isEqualTo(0);
    assertThat(tip()).isNotEqualTo(first);
    assertThat(show("main:deploy.yaml")).contains("image: ghcr.io/acme/web:1.4.3 # pinned");
  }

  @Test
  void knownHostKeyIsAcceptedWithoutTheFlag() throws Exception {
    Path ssh = sshDir(true);
    Files.writeString(ssh.resolve("known_hosts"), knownHostsLine(hostPublicKey), UTF_8);
    Result r = bump(sshUrl(), "1.4.2");
    assertThat(r.code).as("%s", r).isEqualTo(0);
    assertThat(show("main:deploy.yaml")).contains("image: ghcr.io/acme/web:1.4.2 # pinned");
    assertThat(Files.readString(ssh.resolve("known_hosts"))).isEqualTo(knownHostsLine(hostPublicKey));
  }

  @Test
  void changedHostKeyIsRefusedEvenWithTheFlag() throws Exception {
    Path ssh = sshDir(true);
    String wrong = knownHostsLine(otherHostPublicKey);
    Files.writeString(ssh.resolve("known_hosts"), wrong, UTF_8);
    Result r = bump(sshUrl(), "1.4.2", "--accept-new-host-keys");
    assertThat(r.code).as("%s", r).isEqualTo(1);
    assertThat(r.err).contains("host key for 127.0.0.1:" + port + " has CHANGED");
    assertNoSecret(r);
    assertThat(tip()).isEqualTo(seed);
    assertThat(Files.readString(ssh.resolve("known_hosts"))).isEqualTo(wrong);
  }

  @Test
  void scpLikeUrlThroughSshConfigAlias() throws Exception {
    // no default identity: only the config's IdentityFile can log in
    Path ssh = sshDir(false);
    Files.copy(deployKey, ssh.resolve("deploy_key"));
    Files.setPosixFilePermissions(ssh.resolve("deploy_key"), PosixFilePermissions.fromString("rw-------"));
    Files.writeString(
        ssh.resolve("config"),
        "Host cfg\n  HostName 127.0.0.1\n  Port " + port + "\n  User " + user
            + "\n  IdentityFile ~/.ssh/deploy_key\n",
        UTF_8);
    Files.writeString(ssh.resolve("known_hosts"), knownHostsLine(hostPublicKey), UTF_8);
    Result r = bump("cfg:" + bare, "1.4.2");
    assertThat(r.code).as("%s", r).isEqualTo(0);
    assertThat(r.out).contains("pushed").contains("cfg:" + bare);
    assertThat(show("main:deploy.yaml")).contains("image: ghcr.io/acme/web:1.4.2 # pinned");
  }

  @Test
  void kustomizeSetImageTakesTheFlagToo() throws Exception {
    Path ssh = sshDir(true);
    Result refused = run("kustomize-set-image", "--repo", sshUrl(), "--push", "ghcr.io/acme/api:2.1.0");
    assertThat(refused.code).as("%s", refused).isEqualTo(1);
    assertThat(refused.err).contains("is unknown; add it to ~/.ssh/known_hosts or pass --accept-new-host-keys");
    assertThat(tip()).isEqualTo(seed);

    Result r = run("kustomize-set-image", "--repo", sshUrl(), "--push", "--accept-new-host-keys", "ghcr.io/acme/api:2.1.0");
    assertThat(r.code).as("%s", r).isEqualTo(0);
    assertThat(show("main:kustomization.yaml")).contains("newTag: 2.1.0");
    assertThat(Files.readString(ssh.resolve("known_hosts"))).contains(keyBlob(hostPublicKey));
  }

  // ---- helpers

  private String sshUrl() {
    return "ssh://" + user + "@127.0.0.1:" + port + bare;
  }

  /** The temporary home's .ssh, with the default client key when {@code withKey}. */
  private Path sshDir(boolean withKey) throws IOException {
    Path ssh = Files.createDirectories(home.resolve(".ssh"));
    Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
    if (withKey) {
      Files.copy(clientKey, ssh.resolve("id_ecdsa"));
      Files.copy(Path.of(clientKey + ".pub"), ssh.resolve("id_ecdsa.pub"));
      Files.setPosixFilePermissions(ssh.resolve("id_ecdsa"), PosixFilePermissions.fromString("rw-------"));
    }
    return ssh;
  }

  private static String knownHostsLine(Path publicKey) throws IOException {
    String[] parts = Files.readString(publicKey).strip().split("\\s+");
    return "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n";
  }

  private static String keyBlob(Path publicKey) throws IOException {
    return Files.readString(publicKey).strip().split("\\s+")[1];
  }

  private static void assertNoSecret(Result r) throws IOException {
    String all = r.out + r.err;
    assertThat(all).doesNotContain("PRIVATE KEY");
    for (Path key : List.of(clientKey, deployKey)) {
      for (String line : Files.readAllLines(key)) {
        if (!line.startsWith("-----") && line.length() > 16) {
          assertThat(all).doesNotContain(line);
        }
      }
    }
  }

  @Test
  void cloneModeAndCommitPushOverSsh() throws Exception {
    Path ssh = sshDir(true);
    Files.writeString(ssh.resolve("known_hosts"), knownHostsLine(hostPublicKey), UTF_8);
    Path clone = tmp.resolve("clone");

    Result bumped = run("bump-manifest", "--repo", sshUrl(), "-C", clone.toString(), "-i", "ghcr.io/acme/web:1.4.2");
    assertThat(bumped.code).as("%s", bumped).isEqualTo(0);
    assertThat(tip()).as("nothing pushed before commit-push").isEqualTo(seed);
    Result pushed = run("commit-push", "--repo", sshUrl(), "-C", clone.toString());

    assertThat(pushed.code).as("%s", pushed).isEqualTo(0);
    assertThat(pushed.out).contains("pushed");
    assertNoSecret(bumped);
    assertNoSecret(pushed);
    assertThat(show("main:deploy.yaml")).contains("image: ghcr.io/acme/web:1.4.2 # pinned");
  }

  @Test
  void commitPushInACheckoutRefusesAnUnknownHostKey() throws Exception {
    Path ssh = sshDir(true);
    Files.writeString(ssh.resolve("known_hosts"), knownHostsLine(hostPublicKey), UTF_8);
    Path clone = tmp.resolve("clone");
    Result bumped = run("bump-manifest", "--repo", sshUrl(), "-C", clone.toString(), "-i", "ghcr.io/acme/web:1.4.2");
    assertThat(bumped.code).as("%s", bumped).isEqualTo(0);
    Files.delete(ssh.resolve("known_hosts"));

    Result refused = run("commit-push", "-C", clone.toString());

    assertThat(refused.code).as("%s", refused).isEqualTo(1);
    assertThat(refused.err).contains("host key for 127.0.0.1:" + port + " is unknown");
    assertThat(tip()).isEqualTo(seed);
  }

  private Result bump(String url, String tag, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("bump-manifest", "--repo", url, "--push", "-i", "ghcr.io/acme/web:" + tag));
    args.addAll(List.of(extra));
    return run(args.toArray(new String[0]));
  }

  private record Result(int code, String out, String err) {}

  private Result run(String... args) throws Exception {
    Path out = Files.createTempFile(tmp, "out-", ".txt");
    Path err = Files.createTempFile(tmp, "err-", ".txt");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
    pb.environment().clear();
    pb.environment().putAll(cleanEnv());
    pb.environment().put("HOME", home.toString());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    started.add(p);
    if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      stop(p);
      fail("bumper " + String.join(" ", args) + " did not end within " + RUN_TIMEOUT_SECONDS + " s; sshd log:\n"
          + Files.readString(sshdLog));
    }
    return new Result(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
  }

  /** The test's environment, without CI, git, SSH or JVM variables that would change bumper's behaviour. */
  private static Map<String, String> cleanEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    System.getenv().forEach((k, v) -> {
      if (!(k.startsWith("SEMAPHORE") || k.startsWith("GITHUB_") || k.startsWith("GITLAB") || k.startsWith("CI")
          || k.startsWith("GIT_") || k.startsWith("BUMPER_") || k.startsWith("BUILDKITE") || k.startsWith("CIRCLE")
          || k.startsWith("JENKINS") || k.startsWith("SSH_") || k.equals("HOME") || k.equals("XDG_CONFIG_HOME")
          || k.startsWith("JAVA_TOOL_OPTIONS") || k.startsWith("_JAVA_OPTIONS") || k.startsWith("JDK_JAVA_OPTIONS"))) {
        env.put(k, v);
      }
    });
    return env;
  }

  private static void keygen(Path key) throws Exception {
    run(null, Map.of(), "ssh-keygen", "-q", "-t", KEY_TYPE, "-N", "", "-C", "bumper-test", "-f", key.toString());
  }

  private String tip() throws Exception {
    return git(null, "--git-dir=" + bare, "rev-parse", "main").strip();
  }

  private String show(String what) throws Exception {
    return git(null, "--git-dir=" + bare, "show", what);
  }

  private static String git(Path dir, String... args) throws Exception {
    Map<String, String> env = cleanEnv();
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_AUTHOR_NAME", "Seed");
    env.put("GIT_AUTHOR_EMAIL", "seed@example.com");
    env.put("GIT_COMMITTER_NAME", "Seed");
    env.put("GIT_COMMITTER_EMAIL", "seed@example.com");
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    return run(dir, env, command.toArray(new String[0]));
  }

  /** Runs a tool to its end (bounded), failing on a non-zero exit; returns its stdout. */
  private static String run(Path dir, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    if (!env.isEmpty()) {
      pb.environment().clear();
      pb.environment().putAll(env);
    }
    Path out = Files.createTempFile(shared, "tool-out-", ".txt");
    Path err = Files.createTempFile(shared, "tool-err-", ".txt");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      stop(p);
      fail(String.join(" ", command) + " did not end within 60 s");
    }
    String stdout = Files.readString(out, UTF_8);
    String stderr = Files.readString(err, UTF_8);
    Files.delete(out);
    Files.delete(err);
    assertThat(p.exitValue()).as("%s\n%s%s", String.join(" ", command), stdout, stderr).isZero();
    return stdout;
  }

  private static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
