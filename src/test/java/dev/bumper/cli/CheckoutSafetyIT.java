package dev.bumper.cli;

import static dev.bumper.cli.TestProcesses.git;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in one checkout as CI runs them: several bumps at once, a bump while commit-push pushes,
 * commit-push killed with SIGKILL at random moments and run again. Every bump that exits 0 ends up
 * on the remote exactly once, and the checkout ends clean.
 */
class CheckoutSafetyIT {
  private static final int IMAGES = 8;
  private static final long SEED = 12_052_026L;

  @TempDir Path tmp;
  private Path bare;
  private Path checkout;

  @BeforeEach
  void seed() throws Exception {
    bare = tmp.resolve("config.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    Path seed = tmp.resolve("seed");
    git(tmp, "clone", "-q", bare.toString(), seed.toString());
    StringBuilder deployment = new StringBuilder(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: apps\nspec:\n  template:\n    spec:\n      containers:\n");
    for (int i = 0; i < IMAGES; i++) {
      deployment.append("        - name: app").append(i).append("\n          image: ghcr.io/acme/app").append(i).append(":1.0\n");
    }
    Files.createDirectories(seed.resolve("apps"));
    Files.writeString(seed.resolve("apps/deployment.yaml"), deployment);
    git(seed, "add", "-A");
    git(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-q", "-m", "init");
    git(seed, "push", "-q", "origin", "main");
    checkout = tmp.resolve("checkout");
    git(tmp, "clone", "-q", bare.toString(), checkout.toString());
  }

  @Test
  void twoThenEightBumpsAtOnceInOneFileAllLand() throws Exception {
    for (int round = 0, processes = 2; round < 2; round++, processes = IMAGES) {
      List<Process> running = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        running.add(start(checkout, "bump-manifest", "-C", checkout.toString(), "-i",
            "ghcr.io/acme/app" + i + ":2." + round));
      }
      for (Process process : running) {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getErrorStream().readAllBytes(), UTF_8)).isZero();
      }
      String file = Files.readString(checkout.resolve("apps/deployment.yaml"));
      for (int i = 0; i < processes; i++) {
        assertThat(file).as("round " + round).contains("image: ghcr.io/acme/app" + i + ":2." + round + "\n");
      }
      assertThat(intents()).as("one intent per bump, none overwritten").hasSize(processes);

      JarProcess.Result pushed = new JarProcess(tmp).run(checkout, "commit-push", "-C", checkout.toString());

      assertThat(pushed.code()).as(pushed.toString()).isZero();
      String remote = git(tmp, "--git-dir=" + bare, "show", "main:apps/deployment.yaml");
      for (int i = 0; i < processes; i++) {
        assertThat(remote).contains("image: ghcr.io/acme/app" + i + ":2." + round + "\n");
      }
      assertThat(intents()).isEmpty();
      assertThat(git(checkout, "status", "--porcelain")).isEmpty();
    }
  }

  @Test
  void aBumpMadeWhileCommitPushPushesIsKeptForTheNextCommitPush() throws Exception {
    slowPush(2);
    assertThat(new JarProcess(tmp).run(checkout, "bump-manifest", "-C", checkout.toString(), "-i",
        "ghcr.io/acme/app0:2.0").code()).isZero();

    Process pushing = start(checkout, "commit-push", "-C", checkout.toString());
    waitUntilPushing();
    JarProcess.Result bump =
        new JarProcess(tmp).run(checkout, "bump-manifest", "-C", checkout.toString(), "-i", "ghcr.io/acme/app1:2.0");

    assertThat(pushing.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(pushing.exitValue()).isZero();
    assertThat(bump.code()).as(bump.toString()).isZero();
    assertThat(bump.err()).contains("waiting for another bumper run in this checkout");
    assertThat(intents()).as("the bump made during the push stays recorded").hasSize(1);

    assertThat(new JarProcess(tmp).run(checkout, "commit-push", "-C", checkout.toString()).code()).isZero();

    String remote = git(tmp, "--git-dir=" + bare, "show", "main:apps/deployment.yaml");
    assertThat(remote).contains("ghcr.io/acme/app0:2.0\n", "ghcr.io/acme/app1:2.0\n");
    assertThat(intents()).isEmpty();
    assertThat(git(checkout, "status", "--porcelain")).isEmpty();
  }

  @Test
  void commitPushKilledAtTenMomentsThenRunAgainPushesEachBumpOnce() throws Exception {
    slowPush(1);
    Random random = new Random(SEED);
    List<String> outcomes = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      String image = "ghcr.io/acme/app" + (round % IMAGES) + ":3." + round;
      JarProcess.Result bump = new JarProcess(tmp).run(checkout, "bump-manifest", "-C", checkout.toString(), "-i", image);
      assertThat(bump.code()).as(bump.toString()).isZero();

      Process process = start(checkout, "commit-push", "-C", checkout.toString(), "-m", "Deploy {summary}");
      Thread.sleep(random.nextInt(2_500));
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      outcomes.add(process.exitValue() == 0 ? "finished" : "killed");

      JarProcess.Result again = new JarProcess(tmp).run(checkout, "commit-push", "-C", checkout.toString(), "-m",
          "Deploy {summary}");

      assertThat(again.code()).as("round " + round + ": " + again).isZero();
      assertThat(again.err()).doesNotContain("internal error");
      assertThat(git(tmp, "--git-dir=" + bare, "show", "main:apps/deployment.yaml")).contains("image: " + image + "\n");
      assertThat(git(checkout, "status", "--porcelain")).as("round " + round).isEmpty();
      assertThat(intents()).isEmpty();
    }
    List<String> subjects = git(tmp, "--git-dir=" + bare, "log", "--format=%s", "main").lines().toList();
    for (int round = 0; round < 10; round++) {
      String bump = "-> 3." + round;
      assertThat(subjects.stream().filter(s -> s.endsWith(bump)).count())
          .as("the bump of round " + round + " on the remote once: " + subjects).isEqualTo(1);
    }
    assertThat(subjects).hasSize(11);
    assertThat(outcomes).as("kills that landed before the run ended").contains("killed");
    git(tmp, "--git-dir=" + bare, "fsck", "--strict");
    System.out.println("[CheckoutSafetyIT] commit-push under SIGKILL: " + outcomes);
  }

  /** A pre-receive hook that holds each push for {@code seconds}, so that other runs overlap it. */
  private void slowPush(int seconds) throws Exception {
    Path hook = bare.resolve("hooks/pre-receive");
    Files.writeString(hook, "#!/bin/sh\ncat >/dev/null\ntouch \"$GIT_DIR/pushing\"\nsleep " + seconds
        + "\nrm -f \"$GIT_DIR/pushing\"\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private void waitUntilPushing() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(bare.resolve("pushing"))) {
      assertThat(System.nanoTime() < deadline).as("the push started").isTrue();
      Thread.sleep(10);
    }
  }

  private List<Path> intents() throws Exception {
    Path dir = checkout.resolve(".git/bumper/intents");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  private Process start(Path dir, String... args) throws Exception {
    return new JarProcess(tmp).builder(dir, List.of(args))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }
}
