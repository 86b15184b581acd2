package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bumper.RequiresTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed commits, checked with {@code git verify-commit}: OpenPGP with an RSA key made by {@code
 * gpg --batch --gen-key} in a GnuPG home of the test's own (JGit reads it through GNUPGHOME, set
 * when the JVM starts, so these run the jar), and SSH with a key made by {@code ssh-keygen}; in a
 * checkout, in clone mode, without a working tree, and on a commit made again after a lost race.
 * Keys protected by a passphrase, keys found through git's configuration, and the refusals: an
 * unknown key, a wrong passphrase, a key type whose OpenPGP signature would not verify.
 */
@RequiresTools({"gpg", "ssh-keygen"})
class SignedCommitIT {
  private static final String AUTHOR = "Deploy Bot <deploy@example.com>";
  private static final String PASSPHRASE = "correct horse battery";
  private static final String DEPLOYMENT =
      "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
          + "        - name: web\n          image: ghcr.io/acme/web:1.0.0\n";

  @TempDir Path tmp;
  private Path gnupg;
  private String fingerprint;
  private Path sshKey;
  private Path allowedSigners;
  private Path bare;
  private String url;
  private final List<Path> homes = new ArrayList<>();

  @BeforeEach
  void keysAndRepository() throws Exception {
    OpenPgpKey rsa = generateOpenPgpKey("gnupg", "RSA", "Key-Length: 2048");
    gnupg = rsa.home();
    fingerprint = rsa.fingerprint();
    sshKey = tmp.resolve("id_ed25519");
    run(tmp, Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-C", "deploy", "-f", sshKey.toString());
    allowedSigners = tmp.resolve("allowed_signers");
    Files.writeString(allowedSigners,
        "deploy@example.com namespaces=\"git\" " + Files.readString(tmp.resolve("id_ed25519.pub")));

    bare = tmp.resolve("config.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    Path seed = tmp.resolve("seed");
    git(tmp, "clone", "-q", bare.toString(), seed.toString());
    Files.createDirectories(seed.resolve("apps"));
    Files.writeString(seed.resolve("apps/web.yaml"), DEPLOYMENT);
    Files.writeString(seed.resolve("kustomization.yaml"), "images:\n- name: web\n  newTag: \"1.0\"\n");
    git(seed, "add", "-A");
    git(seed, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init");
    git(seed, "push", "-q", "origin", "main");
    url = bare.toUri().toString();
  }

  @AfterEach
  void stopGnupg() throws Exception {
    for (Path home : homes) {
      stopAgent(home);
    }
  }

  private static void stopAgent(Path home) throws Exception {
    ProcessBuilder kill = new ProcessBuilder("gpgconf", "--kill", "gpg-agent").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    kill.environment().put("GNUPGHOME", home.toString());
    kill.start().waitFor(10, TimeUnit.SECONDS);
  }

  @Test
  void openPgpSignaturesVerifyInACheckoutWithoutAWorkingTreeAndAfterALostRace() throws Exception {
    Map<String, String> env = Map.of("GNUPGHOME", gnupg.toString(), "BUMPER_SIGNING_PASSPHRASE", PASSPHRASE);
    Path stale = clone("stale");
    Files.writeString(stale.resolve("apps/api.yaml"), DEPLOYMENT.replace("web", "api"));

    Path checkout = clone("checkout");
    Files.writeString(checkout.resolve("apps/web.yaml"), DEPLOYMENT.replace("1.0.0", "1.1.0"));
    JarProcess.Result inCheckout = jar(env).run(checkout, "commit-push", "--sign", "--signing-key", fingerprint, "--author", AUTHOR);
    assertThat(inCheckout.code()).as(inCheckout.toString()).isZero();
    assertVerified("main", "gpg");

    Map<String, String> byEnv = new HashMap<>(env);
    byEnv.put("BUMPER_SIGN", "true");
    byEnv.put("BUMPER_SIGNING_KEY", "deploy@example.com");
    JarProcess.Result inMemory = jar(byEnv).run(tmp, "bump-manifest", "--repo", url, "--push", "--author", AUTHOR, "-i", "ghcr.io/acme/web:1.2.0");
    assertThat(inMemory.code()).as(inMemory.toString()).isZero();
    assertVerified("main", "gpg");

    // the stale checkout loses its first push and makes its commit again on the new tip
    JarProcess.Result race = jar(env).run(stale, "--output", "json", "commit-push", "--add-new", "--sign", "--signing-key", fingerprint, "--author", AUTHOR);
    assertThat(race.code()).as(race.toString()).isZero();
    assertThat(race.out()).contains("\"attempts\":2");
    assertVerified("main", "gpg");
    assertThat(git(tmp, "--git-dir=" + bare, "show", "main:apps/web.yaml")).contains("1.2.0");
    assertThat(inCheckout.out() + inCheckout.err() + inMemory.out() + inMemory.err() + race.out() + race.err())
        .doesNotContain(PASSPHRASE);
  }

  @Test
  void sshSignaturesVerifyWithKeysFromFlagsVariablesAndGitConfig() throws Exception {
    Map<String, String> env = Map.of("BUMPER_SIGNING_PASSPHRASE", PASSPHRASE);
    Map<String, String> byEnv = new HashMap<>(env);
    byEnv.put("BUMPER_SIGNING_FORMAT", "ssh");
    byEnv.put("BUMPER_SIGNING_KEY", sshKey.toString());
    JarProcess.Result cloneMode = jar(byEnv).run(tmp, "-v", "kustomize-set-image", "--repo", url, "-C",
        tmp.resolve("clone").toString(), "--push", "--sign", "--author", AUTHOR, "web:2.0");
    assertThat(cloneMode.code()).as(cloneMode.toString()).isZero();
    assertVerified("main", "ssh");

    Path checkout = clone("configured");
    git(checkout, "config", "gpg.format", "ssh");
    git(checkout, "config", "user.signingKey", sshKey.toString());
    Files.writeString(checkout.resolve("apps/extra.yaml"), DEPLOYMENT.replace("web", "extra"));
    JarProcess.Result configured = jar(env).run(checkout, "commit-push", "--sign", "--author", AUTHOR);
    assertThat(configured.code()).as(configured.toString()).isZero();
    assertVerified("main", "ssh");

    JarProcess.Result unsigned = jar(Map.of()).run(tmp, "bump-manifest", "--repo", url, "--push", "-i", "ghcr.io/acme/web:3.0.0");
    assertThat(unsigned.code()).as(unsigned.toString()).isZero();
    assertThat(git(tmp, "--git-dir=" + bare, "cat-file", "-p", "main")).doesNotContain("gpgsig");
  }

  @Test
  void ed25519KeysAsGnupgMakesThemSignCommitsGitVerifies() throws Exception {
    // GnuPG's default key type since 2.3, made as its manual says: with and without a passphrase
    Path protectedHome = gnupgHome("gnupg-ed25519");
    quickGenKey(protectedHome, PASSPHRASE);
    Path openHome = gnupgHome("gnupg-ed25519-open");
    quickGenKey(openHome, "");
    stopAgent(protectedHome); // it keeps the passphrase the key was made with

    Path checkout = clone("ed25519-checkout");
    Files.writeString(checkout.resolve("apps/web.yaml"), DEPLOYMENT.replace("1.0.0", "5.1.0"));
    JarProcess.Result inCheckout = jar(Map.of("GNUPGHOME", protectedHome.toString(), "BUMPER_SIGNING_PASSPHRASE", PASSPHRASE))
        .run(checkout, "-v", "commit-push", "--sign", "--signing-key", "ci@example.com", "--author", "CI <ci@example.com>");
    assertThat(inCheckout.code()).as(inCheckout.toString()).isZero();
    assertVerifiedBy("main", protectedHome);
    // gpg signed through its agent, which keeps no copy of the passphrase once bumper is done
    assertThat(signsWithoutThePassphrase(protectedHome)).isFalse();

    JarProcess.Result inMemory = jar(Map.of("GNUPGHOME", openHome.toString()))
        .run(tmp, "bump-manifest", "--repo", url, "--push", "--sign", "--author", "CI <ci@example.com>", "-i",
            "ghcr.io/acme/web:5.2.0");
    assertThat(inMemory.code()).as(inMemory.toString()).isZero();
    assertVerifiedBy("main", openHome);
    assertThat(inCheckout.out() + inCheckout.err() + inMemory.out() + inMemory.err()).doesNotContain(PASSPHRASE);

    // a passphrase the pipeline preset in the agent (as GnuPG's import actions do) is the
    // pipeline's: bumper signs with it and leaves it for the steps after
    Path text = Files.writeString(tmp.resolve("unlock.txt"), "text\n");
    run(tmp, Map.of("GNUPGHOME", protectedHome.toString()), "gpg", "--batch", "--pinentry-mode", "loopback",
        "--passphrase", PASSPHRASE, "--local-user", "ci@example.com", "--detach-sign", "--output",
        tmp.resolve("unlock.sig").toString(), text.toString());
    assertThat(signsWithoutThePassphrase(protectedHome)).isTrue();
    JarProcess.Result preset = jar(Map.of("GNUPGHOME", protectedHome.toString(), "BUMPER_SIGNING_PASSPHRASE", PASSPHRASE))
        .run(tmp, "bump-manifest", "--repo", url, "--push", "--sign", "--signing-key", "ci@example.com",
            "--author", "CI <ci@example.com>", "-i", "ghcr.io/acme/web:5.2.1");
    assertThat(preset.code()).as(preset.toString()).isZero();
    assertVerifiedBy("main", protectedHome);
    assertThat(signsWithoutThePassphrase(protectedHome)).isTrue();

    // an agent that does not hold the key: a wrong passphrase signs nothing
    stopAgent(protectedHome);
    String tip = git(tmp, "--git-dir=" + bare, "rev-parse", "main");
    JarProcess.Result wrong = jar(Map.of("GNUPGHOME", protectedHome.toString(), "BUMPER_SIGNING_PASSPHRASE", "not the passphrase"))
        .run(tmp, "bump-manifest", "--repo", url, "--push", "--sign", "--signing-key", "ci@example.com", "-i",
            "ghcr.io/acme/web:5.3.0");
    assertThat(wrong.code()).as(wrong.toString()).isEqualTo(1);
    assertThat(wrong.err()).as(wrong.toString()).contains("cannot sign the commit").contains("passphrase")
        .doesNotContain("not the passphrase").doesNotContain("internal error");
    assertThat(git(tmp, "--git-dir=" + bare, "rev-parse", "main")).isEqualTo(tip);
  }

  /** An ed25519 signing key for CI, made by {@code gpg --quick-gen-key}; an empty passphrase: none. */
  private void quickGenKey(Path home, String passphrase) throws Exception {
    run(tmp, Map.of("GNUPGHOME", home.toString()), "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase",
        passphrase, "--quick-gen-key", "CI <ci@example.com>", "ed25519", "sign", "never");
  }

  /** Whether GnuPG's agent in {@code home} signs for ci@example.com with a wrong passphrase. */
  private boolean signsWithoutThePassphrase(Path home) throws Exception {
    Path text = Files.writeString(tmp.resolve("to-sign.txt"), "text\n");
    return exec(tmp, Map.of("GNUPGHOME", home.toString()), "gpg", "--batch", "--pinentry-mode", "loopback",
        "--passphrase", "not the passphrase", "--local-user", "ci@example.com", "--detach-sign", "--armor",
        "--output", "-", text.toString()).exit() == 0;
  }

  private void assertVerifiedBy(String rev, Path home) throws Exception {
    String output = run(tmp, Map.of("GNUPGHOME", home.toString()), "git", "--git-dir=" + bare, "verify-commit", "-v", rev);
    assertThat(output).contains("Good signature from \"CI <ci@example.com>\"").contains("EDDSA");
  }

  @Test
  void aCommitThatCannotBeSignedIsNeitherMadeNorPushed() throws Exception {
    String tip = git(tmp, "--git-dir=" + bare, "rev-parse", "main");
    String image = "ghcr.io/acme/web:9.0.0";

    List<JarProcess.Result> refused = new ArrayList<>();
    refused.add(jar(Map.of("GNUPGHOME", gnupg.toString(), "BUMPER_SIGNING_PASSPHRASE", PASSPHRASE))
        .run(tmp, "bump-manifest", "--repo", url, "--push", "--sign", "--signing-key", "0123456789ABCDEF", "-i", image));
    // A wrong passphrase decrypts the key to noise, which fails differently from run to run.
    for (int i = 0; i < 3; i++) {
      refused.add(jar(Map.of("GNUPGHOME", gnupg.toString(), "BUMPER_SIGNING_PASSPHRASE", "not the passphrase " + i))
          .run(tmp, "-v", "bump-manifest", "--repo", url, "--push", "--sign", "--signing-key", fingerprint, "-i", image));
    }
    refused.add(jar(Map.of("GNUPGHOME", gnupg.toString()))
        .run(tmp, "bump-manifest", "--repo", url, "--push", "--sign", "--signing-key", fingerprint, "-i", image));
    refused.add(jar(Map.of())
        .run(tmp, "bump-manifest", "--repo", url, "--push", "--sign", "--signing-format", "ssh", "--signing-key",
            tmp.resolve("no-such-key").toString(), "-i", image));

    for (JarProcess.Result run : refused) {
      assertThat(run.code()).as(run.toString()).isEqualTo(1);
      assertThat(run.err()).as(run.toString()).contains("cannot sign the commit")
          .doesNotContainPattern(DamagedCorpus.CRASH);
      assertThat(run.out() + run.err()).as(run.toString()).doesNotContain(PASSPHRASE).doesNotContain("not the passphrase");
      assertThat(run.err()).as(run.toString()).doesNotContain("internal error");
    }
    assertThat(refused.get(4).err()).contains("set BUMPER_SIGNING_PASSPHRASE");
    JarProcess.Result x509 = jar(Map.of()).run(tmp, "bump-manifest", "--repo", url, "--push", "--sign", "--signing-format", "x509", "-i", image);
    assertThat(x509.code()).as(x509.toString()).isEqualTo(2);
    assertThat(git(tmp, "--git-dir=" + bare, "rev-parse", "main")).isEqualTo(tip);
  }

  private void assertVerified(String rev, String format) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-c", "gpg.ssh.allowedSignersFile=" + allowedSigners,
        "--git-dir=" + bare, "verify-commit", "-v", rev));
    String output = run(tmp, Map.of("GNUPGHOME", gnupg.toString()), command.toArray(new String[0]));
    assertThat(output).contains(format.equals("ssh") ? "Good \"git\" signature for deploy@example.com" : "Good signature from \"Deploy Bot <deploy@example.com>\"");
  }

  private JarProcess jar(Map<String, String> env) {
    return new JarProcess(tmp).env(env).env("HOME", tmp.toString());
  }

  private Path clone(String name) throws Exception {
    Path dir = tmp.resolve(name);
    git(tmp, "clone", "-q", bare.toString(), dir.toString());
    return dir;
  }

  private Path gnupgHome(String name) throws IOException {
    Path home = tmp.resolve(name);
    Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    homes.add(home);
    return home;
  }

  /**
   * Makes a signing key with the test's passphrase; returns its fingerprint. About one key in
   * twenty has its salt or IV written as quoted text, which BouncyCastle cannot read (bumper then
   * says so, and how to have it written again); such a key is made again, so the test does not
   * depend on chance.
   */
  private OpenPgpKey generateOpenPgpKey(String name, String type, String parameter) throws Exception {
    for (int attempt = 0; attempt < 10; attempt++) {
      // a new home each time: once a key is deleted from it, JGit finds no key in a keybox
      Path home = gnupgHome(name + (attempt == 0 ? "" : "-" + attempt));
      String fingerprint = newOpenPgpKey(home, type, parameter);
      if (!valueWrittenAsText(home)) {
        return new OpenPgpKey(home, fingerprint);
      }
    }
    return fail("every key gpg made had a value BouncyCastle cannot read");
  }

  /** A GnuPG home and the fingerprint of the signing key in it. */
  private record OpenPgpKey(Path home, String fingerprint) {}

  /**
   * Whether GnuPG wrote a value of the key's protection (the salt or the IV) as quoted text: the
   * protection's only quoted value is normally its iteration count.
   */
  private static boolean valueWrittenAsText(Path home) throws IOException {
    try (var keys = Files.list(home.resolve("private-keys-v1.d"))) {
      for (Path key : keys.toList()) {
        String text = Files.readString(key, java.nio.charset.StandardCharsets.ISO_8859_1);
        int from = text.indexOf("(protected openpgp");
        int to = text.indexOf("(protected-at", from);
        if (from >= 0 && to > from && text.substring(from, to).chars().filter(c -> c == '"').count() > 2) {
          return true;
        }
      }
    }
    return false;
  }

  private String newOpenPgpKey(Path home, String type, String parameter) throws Exception {
    Path params = home.resolve("key-params");
    Files.writeString(params, String.join("\n", "Key-Type: " + type, parameter, "Key-Usage: sign",
        "Name-Real: Deploy Bot", "Name-Email: deploy@example.com", "Expire-Date: 0", "Passphrase: " + PASSPHRASE,
        "%commit", ""));
    Map<String, String> env = Map.of("GNUPGHOME", home.toString());
    run(tmp, env, "gpg", "--batch", "--pinentry-mode", "loopback", "--gen-key", params.toString());
    for (String line : run(tmp, env, "gpg", "--batch", "--list-secret-keys", "--with-colons").split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9];
      }
    }
    return fail("gpg made no key");
  }

  private String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(Arrays.asList(args));
    return run(dir, Map.of(), command.toArray(new String[0]));
  }

  /** Runs a tool isolated from the user's configuration; fails on a non-zero exit. */
  private String run(Path dir, Map<String, String> env, String... command) throws Exception {
    Ran ran = exec(dir, env, command);
    assertThat(ran.exit()).as(String.join(" ", command) + ":\n" + ran.output()).isZero();
    return ran.output();
  }

  private record Ran(int exit, String output) {}

  private Ran exec(Path dir, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    pb.environment().put("HOME", tmp.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish");
    }
    return new Ran(p.exitValue(), output);
  }
}
