package dev.bumper.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes an OpenPGP signature with the gpg program, as git does ({@code gpg.program}, else {@code
 * gpg}): for keys JGit's signer cannot sign with so that GnuPG verifies, such as ed25519 keys,
 * GnuPG's default since 2.3. The passphrase goes to gpg on its standard input, never on its
 * command line or on disk; the text to sign (a commit, no secret) goes in a temporary file.
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
    Path text = Files.createTempFile("bumper-commit-", ".txt");
    try {
      Files.write(text, payload);
      List<String> command = new ArrayList<>(List.of(program, "--batch", "--no-tty", "--status-fd", "2",
          "--pinentry-mode", "loopback"));
      if (passphrase != null) {
        command.addAll(List.of("--passphrase-fd", "0"));
      }
      command.addAll(List.of("--detach-sign", "--armor", "--local-user", user, "--output", "-", text.toString()));
      Process process;
      try {
        process = new ProcessBuilder(command).start();
      } catch (IOException e) {
        throw new IOException(program + " cannot be run (" + e.getMessage() + ")", e);
      }
      try (OutputStream in = process.getOutputStream()) {
        if (passphrase != null) {
          in.write((passphrase + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      byte[] signature = readAll(process.getInputStream());
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(program + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      String stderr = new String(errors.join(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0 || !stderr.contains("[GNUPG:] SIG_CREATED") || signature.length == 0) {
        throw new IOException(program + " made no signature: " + reason(stderr));
      }
      return signature;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(program + " was interrupted", e);
    } finally {
      Files.deleteIfExists(text);
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
