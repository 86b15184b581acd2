package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar run as CI runs it (a separate process, its own environment), and skopeo, which
 * checks independently what reached the registry.
 */
final class ImageTools {
  private static final long TIMEOUT_SECONDS = 300;

  private ImageTools() {}

  /**
   * An environment for a child process that holds nothing of the machine running the tests (no
   * CI variables, no Docker config): PATH, HOME and the given variables.
   */
  static Map<String, String> cleanEnv(Path home, Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("HOME", home.toString());
    env.put("LANG", "C.UTF-8");
    env.put("TERM", "dumb");
    env.putAll(extra);
    return env;
  }

  /** Runs {@code java -jar bumper.jar ARGS} in {@code dir} with exactly {@code env}. */
  static Run bumper(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-jar");
    command.add(TestProcesses.packagedJar().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Path out = Files.createTempFile("bumper-out", ".txt");
    Path err = Files.createTempFile("bumper-err", ".txt");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail("bumper " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s:\n" + Files.readString(err));
      }
      return new Run(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Runs bumper and asserts exit 0. */
  static Run bumperOk(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
    Run run = bumper(dir, env, args);
    assertThat(run.code()).as("bumper " + String.join(" ", args) + "\n" + run).isZero();
    return run;
  }

  /** {@code skopeo ARGS}, with TLS verification off and its own cache; fails on non-zero. */
  static byte[] skopeo(Path home, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("skopeo");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("HOME", home.toString());
    pb.environment().remove("DOCKER_CONFIG");
    pb.environment().remove("REGISTRY_AUTH_FILE");
    Path err = Files.createTempFile("skopeo-err", ".txt");
    try {
      pb.redirectError(err.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("skopeo " + String.join(" ", args) + " did not finish");
      }
      assertThat(p.exitValue()).as("skopeo " + String.join(" ", args) + ":\n" + Files.readString(err)).isZero();
      return out;
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** The manifest (or index) bytes the registry holds for {@code ref}. */
  static byte[] rawManifest(Path home, String ref, String... options) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("inspect", "--raw", "--tls-verify=false"));
    args.addAll(List.of(options));
    args.add("docker://" + ref);
    return skopeo(home, args.toArray(String[]::new));
  }

  /** The registry's digest of {@code ref}: the SHA-256 of the manifest bytes it serves. */
  static String registryDigest(Path home, String ref, String... options) throws IOException, InterruptedException {
    return sha256(rawManifest(home, ref, options));
  }

  /** The image config of {@code ref} (for an index, of the platform given in options). */
  static Map<String, Object> config(Path home, String ref, String... options) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("inspect", "--config", "--tls-verify=false"));
    args.addAll(List.of(options));
    args.add("docker://" + ref);
    return StrictJson.parseObject(new String(skopeo(home, args.toArray(String[]::new)), UTF_8));
  }

  static Map<String, Object> json(byte[] bytes) {
    return StrictJson.parseObject(new String(bytes, UTF_8));
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The value of {@code "digest"} in bumper's JSON output. */
  static String digestIn(String json) {
    return (String) StrictJson.parseObject(json).get("digest");
  }
}
