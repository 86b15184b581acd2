package dev.bumper.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar run as a user runs it, {@code java [JVM options] -jar bumper.jar ARGS}, in a
 * directory and environment of the test's choosing; stdout and stderr go to files, so a large
 * output never blocks the process.
 */
final class JarProcess {
  /** A finished run. */
  record Result(int code, String out, String err, long millis) {
    @Override
    public String toString() {
      return "exit " + code + " after " + millis + " ms\n--- stdout:\n" + abbreviate(out) + "\n--- stderr:\n"
          + abbreviate(err);
    }

    private static String abbreviate(String s) {
      return s.length() > 4000 ? s.substring(0, 4000) + "...(" + s.length() + " chars)" : s;
    }
  }

  private final Path scratch;
  private final List<String> prefix = new ArrayList<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private final Map<String, String> env = new java.util.HashMap<>();
  private long timeoutSeconds = 120;

  /** @param scratch a directory for the output files */
  JarProcess(Path scratch) {
    this.scratch = scratch;
    env.put("NO_COLOR", "1");
  }

  /** A command that runs java for the test, such as {@code setpriv} to run as another user. */
  JarProcess prefix(String... command) {
    prefix.addAll(Arrays.asList(command));
    return this;
  }

  JarProcess jvm(String... options) {
    jvmOptions.addAll(Arrays.asList(options));
    return this;
  }

  JarProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  JarProcess env(Map<String, String> values) {
    env.putAll(values);
    return this;
  }

  JarProcess timeoutSeconds(long seconds) {
    this.timeoutSeconds = seconds;
    return this;
  }

  /** The command line, for a test that drives the process itself. */
  ProcessBuilder builder(Path dir, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(TestProcesses.packagedJar().toAbsolutePath().toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().putAll(env);
    return pb;
  }

  Result run(Path dir, String... args) throws IOException, InterruptedException {
    return run(dir, Arrays.asList(args));
  }

  Result run(Path dir, List<String> args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(scratch, "stdout", ".txt");
    Path err = Files.createTempFile(scratch, "stderr", ".txt");
    ProcessBuilder pb = builder(dir, args).redirectOutput(out.toFile()).redirectError(err.toFile());
    long start = System.nanoTime();
    Process process = pb.start();
    boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (!ended) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("bumper " + String.join(" ", args) + " did not end within " + timeoutSeconds + " s; stderr:\n"
          + Files.readString(err));
    }
    Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err), millis);
    Files.delete(out);
    Files.delete(err);
    return result;
  }
}
