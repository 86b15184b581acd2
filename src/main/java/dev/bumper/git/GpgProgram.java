package dev.bumper.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes an OpenPGP signature with the gpg program, as git does ({@code gpg.program}, else {@code
 * gpg}): for keys JGit's signer cannot sign with so that GnuPG verifies, such as ed25519 keys,
 * GnuPG's default since 2.3. The passphrase goes to gpg on its standard input, never on its
 * command line or on disk; the text to sign (a commit, no secret) goes in a temporary file.
 *
 * <p>gpg hands the passphrase to its agent, which outlives bumper and would keep it for ten
 * minutes: a secret left behind, with which any later run signs whatever passphrase it gives. So
 * the agent is told to forget, once gpg has signed, the passphrase of each of the key's parts that
 * it did not hold before; one it held already (preset by the pipeline, as GnuPG's import actions
 * do, for later steps such as {@code git tag -s}) is the pipeline's, and stays.
 */
final class GpgProgram {
  private static final long TIMEOUT_SECONDS = 60;

  private final String program;

  GpgProgram(String program) {
    this.program = program == null || program.isBlank() ? "gpg" : program;
  }

  /**
   * An ASCII-armored detached signature of {@code payload} by {@code user} (a key id, a
   * fingerprint or a user id).
   *
   * @throws IOException naming gpg's reason when it made none
   */
  byte[] sign(byte[] payload, String user, String passphrase) throws IOException {
    List<String> given = passphrase == null ? List.of() : notCached(secretKeygrips(user));
    IOException failed = null;
    try {
      return signFile(payload, user, passphrase);
    } catch (IOException e) {
      failed = e;
      throw e;
    } finally {
      try {
        forgetPassphrases(given);
      } catch (IOException e) {
        if (failed == null) {
          throw e;
        }
        failed.addSuppressed(e);
      }
    }
  }

  private byte[] signFile(byte[] payload, String user, String passphrase) throws IOException {
    Path text = Files.createTempFile("bumper-commit-", ".txt");
    try {
      Files.write(text, payload);
      List<String> command = new ArrayList<>(List.of(program, "--batch", "--no-tty", "--status-fd", "2",
          "--pinentry-mode", "loopback"));
      if (passphrase != null) {
        command.addAll(List.of("--passphrase-fd", "0"));
      }
      command.addAll(List.of("--detach-sign", "--armor", "--local-user", user, "--output", "-", text.toString()));
      byte[] input = passphrase == null ? new byte[0] : (passphrase + "\n").getBytes(StandardCharsets.UTF_8);
      Completed signed = run(command, input);
      String stderr = new String(signed.err(), StandardCharsets.UTF_8);
      if (signed.exit() != 0 || !stderr.contains("[GNUPG:] SIG_CREATED") || signed.out().length == 0) {
        throw new IOException(program + " made no signature: " + reason(stderr));
      }
      return signed.out();
    } finally {
      Files.deleteIfExists(text);
    }
  }

  /** The keygrips of {@code user}'s secret keys, by which GnuPG's agent caches their passphrases. */
  private List<String> secretKeygrips(String user) {
    try {
      Completed listed = run(List.of(program, "--batch", "--no-tty", "--with-colons", "--with-keygrip",
          "--list-secret-keys", "--", user), new byte[0]);
      return listed.exit() == 0 ? keygrips(new String(listed.out(), StandardCharsets.UTF_8)) : List.of();
    } catch (IOException e) {
      // gpg cannot list them: it cannot sign either, and says why when asked to
      return List.of();
    }
  }

  /** The keygrips in gpg's {@code --with-colons --with-keygrip} listing: field 10 of "grp" records. */
  static List<String> keygrips(String colons) {
    List<String> grips = new ArrayList<>();
    for (String line : colons.split("\n")) {
      String[] fields = line.split(":", -1);
      if (fields.length > 9 && fields[0].equals("grp") && fields[9].matches("[0-9A-F]{40}")) {
        grips.add(fields[9]);
      }
    }
    return grips;
  }

  /**
   * Those of {@code keygrips} whose passphrase a running agent does not hold (all of them when
   * none runs); none is started to ask.
   *
   * @throws IOException when the agent cannot be asked: then it could not be told to forget either
   */
  private List<String> notCached(List<String> keygrips) throws IOException {
    if (keygrips.isEmpty()) {
      return keygrips;
    }
    List<String> commands = new ArrayList<>();
    for (String grip : keygrips) {
      commands.add("KEYINFO " + grip);
    }
    Set<String> cached = cached(new String(askAgent(commands).out(), StandardCharsets.UTF_8));
    List<String> notCached = new ArrayList<>(keygrips);
    notCached.removeAll(cached);
    return notCached;
  }

  /**
   * The keygrips an agent's {@code KEYINFO} answers mark as cached: {@code S KEYINFO <grip> <type>
   * <serial> <idstr> <cached> ...}, where cached is {@code 1}.
   */
  static Set<String> cached(String answers) {
    Set<String> cached = new HashSet<>();
    for (String line : answers.split("\n")) {
      String[] fields = line.strip().split(" ");
      if (fields.length > 6 && fields[0].equals("S") && fields[1].equals("KEYINFO") && fields[6].equals("1")) {
        cached.add(fields[2]);
      }
    }
    return cached;
  }

  /** Has a running agent forget the passphrases cached for {@code keygrips}. */
  private void forgetPassphrases(List<String> keygrips) throws IOException {
    if (keygrips.isEmpty()) {
      return;
    }
    List<String> commands = new ArrayList<>();
    for (String grip : keygrips) {
      commands.add("CLEAR_PASSPHRASE --mode=normal " + grip);
    }
    Completed cleared = askAgent(commands);
    String answers = new String(cleared.out(), StandardCharsets.UTF_8);
    if (answers.contains("ERR")) {
      throw new IOException("gpg's agent did not forget the passphrase it was given: " + answers.strip());
    }
  }

  /**
   * Sends {@code commands} to the agent of GnuPG's home, without starting one: none running, the
   * answer is empty, and there is nothing cached to ask about or forget.
   */
  private Completed askAgent(List<String> commands) throws IOException {
    List<String> command = new ArrayList<>(List.of(sibling("gpg-connect-agent"), "--no-autostart"));
    command.addAll(commands);
    command.add("/bye");
    try {
      return run(command, new byte[0]);
    } catch (IOException e) {
      throw new IOException(e.getMessage() + "; bumper needs it, beside gpg, so that gpg's agent keeps no"
          + " passphrase bumper gave it", e);
    }
  }

  /** A program of GnuPG's installed beside the gpg program named, else found on the PATH. */
  private String sibling(String name) {
    Path parent = Path.of(program).getParent();
    Path beside = parent == null ? null : parent.resolve(name);
    return beside != null && Files.isExecutable(beside) ? beside.toString() : name;
  }

  private record Completed(int exit, byte[] out, byte[] err) {}

  private Completed run(List<String> command, byte[] input) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new IOException(command.get(0) + " cannot be run (" + e.getMessage() + ")", e);
    }
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(input);
      }
      CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      byte[] out = readAll(process.getInputStream());
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Completed(process.exitValue(), out, errors.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(command.get(0) + " was interrupted", e);
    }
  }

  /** gpg's last message, its own words ("signing failed: Bad passphrase"), without the status lines. */
  static String reason(String stderr) {
    String last = null;
    for (String line : stderr.split("\n")) {
      if (line.startsWith("gpg: ") && !line.isBlank()) {
        last = line.substring(5).strip();
      }
    }
    return last == null ? "it said nothing (exit status)" : last;
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
