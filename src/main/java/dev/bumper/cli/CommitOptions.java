package dev.bumper.cli;

import dev.bumper.ci.CiEnvironment;
import dev.bumper.failure.UsageException;
import dev.bumper.git.CommitSigner;
import dev.bumper.git.CommitSpec;
import dev.bumper.git.RemoteSetup;
import dev.bumper.pipeline.Pushing;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;
import picocli.CommandLine.Option;

/** How commits are written and pushed: options shared by the commands that push. */
final class CommitOptions {
  static final String DEFAULT_AUTHOR = "bumper <bumper@users.noreply.github.com>";

  @Option(
      names = {"-m", "--message"},
      paramLabel = "TEMPLATE",
      description = "Commit message; may use {summary}, {changes}, {sha}, {short_sha}, {branch}, {repo}, {build_url} (default: {summary}).")
  String template = CommitSpec.DEFAULT_TEMPLATE;

  @Option(names = "--author", paramLabel = "\"NAME <EMAIL>\"", description = "Author and committer (default: " + DEFAULT_AUTHOR + ").")
  String author = DEFAULT_AUTHOR;

  @Option(names = "--skip-ci", description = "Add [skip ci] to the subject, so the config repo's own CI does not run.")
  boolean skipCi;

  @Option(
      names = "--attempts",
      paramLabel = "N",
      description = "Pushes to try when other pipelines push first; each applies the bump again on the new tip (default: 10).")
  int attempts = 10;

  @Option(
      names = "--accept-new-host-keys",
      description = "With an SSH --repo: accept the host key of a host not in ~/.ssh/known_hosts and record it there; a changed key is always refused.")
  boolean acceptNewHostKeys;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Give up on a git server that sends nothing for this long (default: 120; 0 waits forever).")
  int timeoutSeconds = 120;

  @Option(
      names = "--sign",
      negatable = true,
      description = "Sign the commits, as git commit -S does: OpenPGP (a key in GnuPG's keyring) or SSH (a key file). Default: BUMPER_SIGN, else no.")
  Boolean sign;

  @Option(
      names = "--signing-key",
      paramLabel = "KEY",
      description = "OpenPGP: a key ID, fingerprint or user ID; SSH: a private key file. Default: BUMPER_SIGNING_KEY, else git's user.signingKey, else (OpenPGP) the committer's key. A passphrase comes from BUMPER_SIGNING_PASSPHRASE.")
  String signingKey;

  @Option(
      names = "--signing-format",
      paramLabel = "openpgp|ssh",
      description = "Default: BUMPER_SIGNING_FORMAT, else git's gpg.format, else openpgp.")
  String signingFormat;

  /** How to sign commits, or null when they are not signed: flags, then BUMPER_* variables. */
  CommitSigner signer(Map<String, String> env) {
    boolean signing = sign != null ? sign : isTrue(env.get("BUMPER_SIGN"));
    if (!signing) {
      return null;
    }
    String format = signingFormat != null ? signingFormat : env.get("BUMPER_SIGNING_FORMAT");
    String key = signingKey != null ? signingKey : env.get("BUMPER_SIGNING_KEY");
    CommitSigner.Format parsed = null;
    if (format != null && !format.isEmpty()) {
      try {
        parsed = CommitSigner.Format.parse(format);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--signing-format: " + e.getMessage());
      }
    }
    String passphrase = env.get("BUMPER_SIGNING_PASSPHRASE");
    // where JGit's OpenPGP signer reads keys from, as GnuPG does
    String gnupg = env.get("GNUPGHOME");
    String home = env.get("HOME");
    java.nio.file.Path gnupgHome =
        gnupg != null && !gnupg.isEmpty() ? java.nio.file.Path.of(gnupg)
            : home != null && !home.isEmpty() ? java.nio.file.Path.of(home, ".gnupg") : null;
    return new CommitSigner(parsed, key == null || key.isEmpty() ? null : key,
        passphrase == null || passphrase.isEmpty() ? null : passphrase, gnupgHome);
  }

  private static boolean isTrue(String value) {
    return value != null && (value.equalsIgnoreCase("true") || value.equals("1") || value.equalsIgnoreCase("yes"));
  }

  /** How this run clones, commits and pushes, as these options and the environment say. */
  Pushing pushing(Bumper root) {
    return pushing(root, root.env());
  }

  /** As {@link #pushing(Bumper)}, with git's credentials taken from {@code env}. */
  Pushing pushing(Bumper root, Map<String, String> env) {
    if (timeoutSeconds < 0) {
      throw new UsageException("--timeout must be 0 (no timeout) or more");
    }
    Console console = root.console();
    RemoteSetup remote =
        new RemoteSetup(env, root::secretsFor, root::abort, timeoutSeconds, acceptNewHostKeys)
            .setAttempts(attempts)
            .setSigner(signer(env))
            .setLog(line -> console.verbose("bumper: " + line));
    CiEnvironment ci = CiEnvironment.detect(env);
    return new Pushing(remote, (branch, repo) -> spec(ci, branch, repo));
  }

  CommitSpec spec(CiEnvironment ci, String branch, String repo) {
    PersonIdent person;
    try {
      person = CommitSpec.parseAuthor(author);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (attempts < 1) {
      throw new UsageException("--attempts must be at least 1");
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("sha", ci.commit());
    values.put("branch", branch);
    values.put("repo", repo);
    values.put("build_url", ci.buildUrl());
    Map<String, String> trailers = new LinkedHashMap<>();
    trailers.put("Source-Commit", ci.commit());
    trailers.put("Build-URL", ci.buildUrl());
    return new CommitSpec(person, template, values, trailers, skipCi);
  }
}
