package dev.bumper.container;

import dev.bumper.io.JsonReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A Docker credential helper, the program {@code docker-credential-NAME}: {@code get} reads a
 * server URL on stdin and prints {@code {"ServerURL": ..., "Username": ..., "Secret": ...}}. The
 * program is found on the {@code PATH} of bumper's environment, and runs with that environment.
 */
final class CredentialHelper {
  private static final long TIMEOUT_SECONDS = 60;

  private final String name;
  private final Map<String, String> env;

  CredentialHelper(String name, Map<String, String> env) {
    this.name = name;
    this.env = env;
  }

  String program() {
    return "docker-credential-" + name;
  }

  /**
   * The credentials the helper holds for {@code serverUrl}; empty when it has none.
   *
   * @throws ContainerException when the program is missing or fails otherwise
   */
  Optional<Credential> get(String serverUrl) {
    Path program = find();
    ProcessBuilder pb = new ProcessBuilder(program.toString(), "get");
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    String output;
    int exit;
    try {
      Process process = pb.start();
      // read while writing, so that a chatty helper cannot block on a full pipe
      CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      try (OutputStream in = process.getOutputStream()) {
        in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // a helper may exit without reading; its exit code says what went wrong
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw ContainerException.failure(program() + " get did not answer within " + TIMEOUT_SECONDS + " s");
      }
      output = new String(read.get(), StandardCharsets.UTF_8);
      exit = process.exitValue();
    } catch (IOException e) {
      throw ContainerException.failure("cannot run " + program + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ContainerException.failure(program() + " was interrupted");
    } catch (ExecutionException e) {
      throw ContainerException.failure("cannot read the output of " + program + ": " + e.getCause());
    }
    if (exit != 0) {
      if (output.toLowerCase(Locale.ROOT).contains("credentials not found")) {
        return Optional.empty();
      }
      throw ContainerException.failure(
          program() + " get failed for " + serverUrl + " (exit " + exit + "): " + firstLine(output));
    }
    Map<String, Object> json;
    try {
      json = JsonReader.parseObject(output.strip());
    } catch (JsonReader.JsonException e) {
      // the output holds the secret, so it is never quoted
      throw ContainerException.failure(program() + " get printed something that is not its JSON answer");
    }
    if (!(json.get("Username") instanceof String user) || !(json.get("Secret") instanceof String secret)) {
      throw ContainerException.failure(program() + " get answered without Username and Secret");
    }
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Credential(user, secret, program()));
  }

  /** The program on the environment's PATH. */
  private Path find() {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program());
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw ContainerException.failure(
        "credential helper " + program() + " (named in Docker's config.json) is not on the PATH");
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static String firstLine(String output) {
    String line = output.strip().lines().findFirst().orElse("no output");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
