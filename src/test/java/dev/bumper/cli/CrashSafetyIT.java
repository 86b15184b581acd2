package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.TestSize;
import dev.bumper.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code java -jar bumper.jar bump-manifest} with SIGKILL at random moments while it bumps a
 * tree of 500 files (10 MB): at any moment every file holds either its old or its new bytes,
 * never a mix or a cut-off file, and the temp files a killed run leaves are removed by the next
 * run. Half the kills come at a random time after start, half at a random time after the first
 * file was written, so that most of those land in the middle of writing the tree.
 */
class CrashSafetyIT {
  private static final String IMAGE = "ghcr.io/acme/web";
  private static final int DIRS = 20;
  private static final int FILES_PER_DIR = 25;
  /** Enough kills to land several mid-write in verify; many more in the full-size run. */
  private static final int ROUNDS = TestSize.pick(8, 60);
  private static final long SEED = 20_260_101L;

  @TempDir Path tmp;

  @Test
  void sigkillMidWriteLeavesEveryFileOldOrNew() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("config"));
    List<Path> files = new ArrayList<>();
    for (int d = 0; d < DIRS; d++) {
      for (int f = 0; f < FILES_PER_DIR; f++) {
        files.add(root.resolve("apps/team-%02d/deploy-%02d.yaml".formatted(d, f)));
      }
    }
    files.sort(null);
    String[] tags = new String[files.size()];
    Arrays.fill(tags, "1.0.0");
    for (int i = 0; i < files.size(); i++) {
      Files.createDirectories(files.get(i).getParent());
      Files.write(files.get(i), content(i, tags[i]));
    }
    JarProcess jar = new JarProcess(tmp);
    Random random = new Random(SEED);

    // A full run, to know how long one takes here.
    long start = System.nanoTime();
    JarProcess.Result full = jar.run(root, "bump-manifest", "-i", IMAGE + ":1.0.1");
    long fullMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(full.code()).as(full.toString()).isZero();
    Arrays.fill(tags, "1.0.1");
    checkTree(root, files, tags, "1.0.1");

    int killedMidWrite = 0;
    int killedBeforeWrite = 0;
    int finished = 0;
    int leftovers = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String tag = "2.0." + round;
      Process process = jar.builder(root, List.of("bump-manifest", "-i", IMAGE + ":" + tag))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (round % 2 == 0) {
        Thread.sleep(random.nextInt((int) Math.max(1, fullMillis)));
      } else {
        waitUntilWriting(process, files.get(0), tag);
        Thread.sleep(random.nextInt(200));
      }
      process.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no finally blocks
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

      int changed = checkTree(root, files, tags, tag);
      int temps = tempFiles(root).size();
      leftovers += temps;
      if (process.exitValue() == 0) {
        finished++;
      } else if (changed == 0) {
        killedBeforeWrite++;
      } else {
        killedMidWrite++;
      }
    }

    JarProcess.Result last = jar.run(root, "bump-manifest", "-i", IMAGE + ":3.0.0");
    assertThat(last.code()).as(last.toString()).isZero();
    Arrays.fill(tags, "3.0.0");
    checkTree(root, files, tags, "3.0.0");
    assertThat(tempFiles(root)).as("the next run removes what killed runs left").isEmpty();

    System.out.printf(
        "[CrashSafetyIT] %d files; %d SIGKILLs: %d mid-write, %d before writing, %d after finishing;"
            + " %d temp files left by killed runs, all removed by the next run (a full run took %d ms)%n",
        files.size(), ROUNDS, killedMidWrite, killedBeforeWrite, finished, leftovers, fullMillis);
  }

  /**
   * Checks that each file holds its bytes for its current tag or for {@code next}, and moves the
   * tags of the files that changed; returns how many changed.
   */
  private static int checkTree(Path root, List<Path> files, String[] tags, String next) throws IOException {
    int changed = 0;
    for (int i = 0; i < files.size(); i++) {
      byte[] now = Files.readAllBytes(files.get(i));
      if (Arrays.equals(now, content(i, next))) {
        changed += tags[i].equals(next) ? 0 : 1;
        tags[i] = next;
      } else {
        assertThat(new String(now, UTF_8))
            .as(files.get(i) + " holds its old or its new bytes, nothing else")
            .isEqualTo(new String(content(i, tags[i]), UTF_8));
      }
    }
    try (Stream<Path> all = Files.walk(root)) {
      List<Path> unexpected = all.filter(Files::isRegularFile)
          .filter(p -> !files.contains(p) && !AtomicFiles.isTempFile(p))
          .toList();
      assertThat(unexpected).as("files other than the tree and temp files").isEmpty();
    }
    return changed;
  }

  private static List<Path> tempFiles(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(AtomicFiles::isTempFile).toList();
    }
  }

  /** Waits until the first file of the tree (written first) has its new content. */
  private static void waitUntilWriting(Process process, Path first, String tag) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    byte[] wanted = content(0, tag);
    while (process.isAlive() && System.nanoTime() < deadline) {
      if (Arrays.equals(Files.readAllBytes(first), wanted)) {
        return;
      }
      Thread.sleep(2);
    }
  }

  /** File {@code i} with the image at {@code tag}: a Deployment and 20 KB of configuration. */
  private static byte[] content(int i, String tag) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-").append(i).append('\n')
        .append("spec:\n  template:\n    spec:\n      containers:\n        - name: app\n")
        .append("          image: ").append(IMAGE).append(':').append(tag).append('\n')
        .append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-").append(i).append("-settings\ndata:\n");
    for (int k = 0; yaml.length() < 20_000; k++) {
      yaml.append("  setting-").append(k).append(": \"value ").append(i * 1000 + k).append("\"\n");
    }
    return yaml.toString().getBytes(UTF_8);
  }
}
