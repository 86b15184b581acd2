package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real processes and ports for tests: the git CLI, free loopback ports, servers coming up. */
public final class TestProcesses {
  private TestProcesses() {}

  /** Runs the git CLI in {@code dir}, isolated from the user's git config; fails on non-zero. */
  public static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    pb.environment().put("HOME", dir.toString());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return fail("cannot run git: " + e.getMessage());
    }
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return fail("git " + String.join(" ", args) + " did not finish");
    }
    assertThat(p.exitValue()).as("git " + String.join(" ", args) + ":\n" + output).isZero();
    return output;
  }

  /**
   * A bare repository at {@code bare} whose branch main holds {@code files} (path to content) in
   * one commit, pushed from a clone made beside it.
   */
  public static Path bareRepository(Path bare, java.util.Map<String, String> files) throws IOException, InterruptedException {
    Path parent = bare.toAbsolutePath().getParent();
    git(parent, "init", "-q", "--bare", "-b", "main", bare.toString());
    Path seed = parent.resolve("seed-" + bare.getFileName());
    git(parent, "clone", "-q", bare.toString(), seed.toString());
    for (java.util.Map.Entry<String, String> file : files.entrySet()) {
      Path path = seed.resolve(file.getKey());
      java.nio.file.Files.createDirectories(path.getParent());
      java.nio.file.Files.writeString(path, file.getValue());
    }
    git(seed, "add", "-A");
    git(seed, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init");
    git(seed, "push", "-q", "origin", "main");
    return bare;
  }

  /** Runs {@code command} in {@code dir}, without input; fails on non-zero or after two minutes. */
  public static String run(Path dir, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish");
    }
    assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
    return output;
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  public static boolean waitForPort(int port, Process process, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    return false;
  }

  /** The jar failsafe tests run, from the {@code bumper.jar} property Maven sets. */
  public static Path packagedJar() {
    String property = System.getProperty("bumper.jar");
    if (property == null || property.isBlank()) {
      fail("system property bumper.jar is not set; run through 'mvn verify' (failsafe sets it)");
    }
    Path jar = Path.of(property);
    if (!java.nio.file.Files.isRegularFile(jar)) {
      fail("the packaged jar " + jar + " does not exist; run 'mvn package' first");
    }
    return jar;
  }
}
