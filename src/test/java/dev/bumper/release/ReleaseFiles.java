package dev.bumper.release;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bumper.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The release files as {@code src/release/release.sh} makes them from the packaged jar and
 * launcher, in {@code target/release}: made once per test run, again only when the jar, the
 * launcher or the script is newer than them.
 */
public final class ReleaseFiles {
  private static final long TIMEOUT_SECONDS = 600;
  private static Path made;

  private ReleaseFiles() {}

  /** The directory holding the release's files and SHA256SUMS, made when it is missing or stale. */
  public static synchronized Path dir() throws IOException, InterruptedException {
    if (made != null) {
      return made;
    }
    Path project = TestData.projectDir();
    Path jar = Path.of(System.getProperty("bumper.jar", project.resolve("target/bumper.jar").toString()));
    Path target = jar.toAbsolutePath().getParent();
    Path out = target.resolve("release");
    Path sums = out.resolve("SHA256SUMS");
    Path script = project.resolve("src/release/release.sh");
    if (!Files.isRegularFile(sums) || newer(List.of(jar, target.resolve("bumper"), script), sums)) {
      Path log = Files.createTempFile("release", ".log");
      ProcessBuilder pb = new ProcessBuilder(script.toString(), out.toString()).directory(project.toFile());
      pb.environment().put("TARGET", target.toString());
      pb.environment().put("JAVA_HOME", javaHome());
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail("src/release/release.sh did not finish in " + TIMEOUT_SECONDS + " s:\n" + Files.readString(log, UTF_8));
      }
      assertThat(p.exitValue()).as("src/release/release.sh:\n" + Files.readString(log, UTF_8)).isZero();
      Files.delete(log);
    }
    made = out;
    return out;
  }

  /** The archive of this machine's platform, as install.sh names it. */
  public static String archiveName() {
    String arch = System.getProperty("os.arch");
    return "bumper-linux-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : "aarch64") + ".tar.gz";
  }

  /** The JDK running the tests, whose jlink makes the runtime. */
  private static String javaHome() {
    return Path.of(System.getProperty("java.home")).toString();
  }

  private static boolean newer(List<Path> inputs, Path output) throws IOException {
    FileTime made = Files.getLastModifiedTime(output);
    for (Path input : inputs) {
      if (Files.getLastModifiedTime(input).compareTo(made) > 0) {
        return true;
      }
    }
    return false;
  }
}
