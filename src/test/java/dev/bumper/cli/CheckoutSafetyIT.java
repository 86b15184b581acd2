package dev.bumper.cli;

import static dev.bumper.cli.TestProcesses.git;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in one checkout as CI runs them: several bumps at once, a bump while commit-push pushes,
 * commit-push killed with SIGKILL at random moments and run again. Every bump that exits 0 ends up
 * on the remote exactly once, and the checkout ends clean.
 */
@RequiresTools("mkfifo")
class CheckoutSafetyIT {
  private static final int IMAGES = 8;

  @TempDir Path tmp;
  private Path bare;
  private Path checkout;

  private RunOutputs outputs;

  @AfterEach
  void noRunPrintedAnInternalError() throws Exception {
    outputs.assertNoInternalError();
  }

  @BeforeEach
  void seed() throws Exception {
    outputs = new RunOutputs(tmp);
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
      List<RunOutputs.Started> running = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        running.add(start(checkout, "bump-manifest", "-C", checkout.toString(), "-i",
            "ghcr.io/acme/app" + i + ":2." + round));
      }
      for (RunOutputs.Started started : running) {
        assertThat(started.process().waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(started.process().exitValue()).as(started.err()).isZero();
      }
      String file = Files.readString(checkout.resolve("apps/deployment.yaml"));
      for (int i = 0; i < processes; i++) {
        assertThat(file).as("round " + round).contains("image: ghcr.io/acme/app" + i + ":2." + round + "\n");
      }
      assertThat(intents()).as("one intent per bump, none overwritten").hasSize(processes);

      JarProcess.Result pushed = jar(checkout, "commit-push", "-C", checkout.toString());

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
    assertThat(jar(checkout, "bump-manifest", "-C", checkout.toString(), "-i",
        "ghcr.io/acme/app0:2.0").code()).isZero();

    Process pushing = start(checkout, "commit-push", "-C", checkout.toString()).process();
    waitUntilPushing();
    JarProcess.Result bump =
        jar(checkout, "bump-manifest", "-C", checkout.toString(), "-i", "ghcr.io/acme/app1:2.0");

    assertThat(pushing.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(pushing.exitValue()).isZero();
    assertThat(bump.code()).as(bump.toString()).isZero();
    assertThat(bump.err()).contains("waiting for another bumper run in this checkout");
    assertThat(intents()).as("the bump made during the push stays recorded").hasSize(1);

    assertThat(jar(checkout, "commit-push", "-C", checkout.toString()).code()).isZero();

    String remote = git(tmp, "--git-dir=" + bare, "show", "main:apps/deployment.yaml");
    assertThat(remote).contains("ghcr.io/acme/app0:2.0\n", "ghcr.io/acme/app1:2.0\n");
    assertThat(intents()).isEmpty();
    assertThat(git(checkout, "status", "--porcelain")).isEmpty();
  }

  /** How a kill is aimed. */
  private enum Aim {
    /** A fixed time after the start: JVM start, lock, staging, commit or push, by machine speed. */
    TIME,
    /** While bumper holds git's lock of the branch: its reflog, a named pipe, holds the write. */
    REF_LOCK,
    /** While the remote's pre-receive hook holds the push, which it then refuses. */
    BEFORE_REMOTE_TOOK,
    /** Once the remote moved the branch, before bumper is told (reference-transaction hook). */
    AFTER_REMOTE_TOOK
  }

  /**
   * Where a SIGKILL of commit-push lands. Aimed by time, or held at a point, so that the moments
   * that matter most are hit on any machine: a git lock held, the local commit made and the push
   * not taken, the push taken with bumper never told. With {@code race}, another pipeline pushes a
   * bump of the same image before the rerun; with {@code lostFirst}, one of another image before
   * the run, whose first push then loses and whose commit, made again on the new tip, is the one
   * the remote takes.
   */
  private record Moment(String name, Aim aim, long delayMillis, boolean race, boolean lostFirst) {
    Moment(String name, Aim aim, long delayMillis, boolean race) {
      this(name, aim, delayMillis, race, false);
    }

    static Moment after(long millis) {
      return new Moment(millis + " ms after start", Aim.TIME, millis, false);
    }
  }

  private static final List<Moment> MOMENTS = List.of(
      new Moment("bumper holding the branch's ref lock", Aim.REF_LOCK, 0, false),
      new Moment("push held before the remote took it", Aim.BEFORE_REMOTE_TOOK, 0, false),
      Moment.after(450),
      new Moment("push taken by the remote, bumper not yet told", Aim.AFTER_REMOTE_TOOK, 0, false),
      Moment.after(750),
      new Moment("push held before the remote took it, then another pipeline pushed", Aim.BEFORE_REMOTE_TOOK, 0, true),
      Moment.after(900),
      new Moment("push taken by the remote, then another pipeline pushed", Aim.AFTER_REMOTE_TOOK, 0, true),
      Moment.after(1_050),
      new Moment("a push made again after a lost race taken by the remote, then another pipeline pushed",
          Aim.AFTER_REMOTE_TOOK, 0, true, true),
      Moment.after(1_350));

  @Test
  void commitPushKilledAtTenMomentsThenRunAgainPushesEachBumpOnce() throws Exception {
    holdingHooks();
    String url = bare.toUri().toString();
    List<String> outcomes = new ArrayList<>();
    int races = 0;
    for (int round = 0; round < MOMENTS.size(); round++) {
      Moment moment = MOMENTS.get(round);
      String app = "ghcr.io/acme/app" + (round % IMAGES);
      String image = app + ":3." + round;
      JarProcess.Result bump = jar(checkout, "bump-manifest", "-C", checkout.toString(), "-i", image);
      assertThat(bump.code()).as(bump.toString()).isZero();
      if (moment.lostFirst()) {
        races++;
        JarProcess.Result first = jar(tmp, "bump-manifest", "--repo", url, "--push",
            "-i", "ghcr.io/acme/app" + ((round + 1) % IMAGES) + ":8." + round, "-m", "Deploy {summary}");
        assertThat(first.code()).as(first.toString()).isZero();
      }

      Path reflog = checkout.resolve(".git/logs/HEAD");
      Path reflogKept = tmp.resolve("HEAD.reflog");
      String hold = switch (moment.aim()) {
        case BEFORE_REMOTE_TOOK -> "hold-before";
        case AFTER_REMOTE_TOOK -> "hold-after";
        default -> null;
      };
      Path marker = switch (moment.aim()) {
        case REF_LOCK -> checkout.resolve(".git/refs/heads/main.lock");
        case BEFORE_REMOTE_TOOK -> bare.resolve("pushing");
        case AFTER_REMOTE_TOOK -> bare.resolve("landed");
        default -> null;
      };
      if (hold != null) {
        Files.writeString(bare.resolve(hold), "");
      }
      if (moment.aim() == Aim.REF_LOCK) {
        // A named pipe no one reads: git's lock of the branch is held while the reflog is written.
        Files.move(reflog, reflogKept);
        mkfifo(reflog);
      }
      Process process = start(checkout, "commit-push", "-C", checkout.toString(), "-m", "Deploy {summary}").process();
      if (marker != null) {
        waitFor(marker, process);
      } else {
        Thread.sleep(moment.delayMillis());
      }
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      if (hold != null) {
        Files.delete(bare.resolve(hold));
        waitForRemoval(marker);
      }
      if (moment.aim() == Aim.REF_LOCK) {
        Files.delete(reflog);
        Files.move(reflogKept, reflog);
        assertThat(marker).as("the lock the killed run held").exists();
      }
      outcomes.add(moment.name() + ": " + (process.exitValue() == 0 ? "finished" : "killed") + ", " + state());
      String expected = image;
      if (moment.race()) {
        races++;
        String theirs = app + ":9." + round;
        JarProcess.Result other = jar(tmp,
            "bump-manifest", "--repo", url, "--push", "-i", theirs, "-m", "Deploy {summary}");
        assertThat(other.code()).as(other.toString()).isZero();
        // The killed run's push landed before the other pipeline's: theirs is the later deploy.
        expected = moment.aim() == Aim.AFTER_REMOTE_TOOK ? theirs : image;
      }

      JarProcess.Result again = jar(checkout, "commit-push", "-C", checkout.toString(), "-m",
          "Deploy {summary}");

      assertThat(again.code()).as("round " + round + " (" + moment.name() + "): " + again).isZero();
      assertThat(again.err()).doesNotContain("internal error");
      if (moment.aim() == Aim.REF_LOCK) {
        assertThat(again.err()).contains("removed refs/heads/main.lock, left by a bumper run that did not finish");
      }
      assertThat(git(tmp, "--git-dir=" + bare, "show", "main:apps/deployment.yaml"))
          .as("round " + round + " (" + moment.name() + ")").contains("image: " + expected + "\n");
      assertThat(git(checkout, "status", "--porcelain")).as("round " + round).isEmpty();
      assertThat(git(checkout, "rev-parse", "HEAD")).as("the checkout is on the pushed commit")
          .isEqualTo(git(tmp, "--git-dir=" + bare, "rev-parse", "main"));
      assertThat(intents()).isEmpty();
      assertThat(gitLocks()).as("round " + round + ": git lock files left").isEmpty();
    }
    List<String> subjects = git(tmp, "--git-dir=" + bare, "log", "--format=%s", "main").lines().toList();
    for (int round = 0; round < MOMENTS.size(); round++) {
      String bump = "-> 3." + round;
      assertThat(subjects.stream().filter(s -> s.endsWith(bump)).count())
          .as("the bump of round " + round + " on the remote once: " + subjects).isEqualTo(1);
    }
    assertThat(subjects).hasSize(1 + MOMENTS.size() + races);
    git(tmp, "--git-dir=" + bare, "fsck", "--strict");
    System.out.println("[CheckoutSafetyIT] commit-push under SIGKILL, then run again:\n  " + String.join("\n  ", outcomes));
  }

  /** What a killed run left: whether HEAD holds a commit the remote does not, and intents. */
  private String state() throws Exception {
    String head = git(checkout, "rev-parse", "HEAD").strip();
    String remote = git(tmp, "--git-dir=" + bare, "rev-parse", "main").strip();
    String tracking = git(checkout, "rev-parse", "origin/main").strip();
    String where = head.equals(tracking) ? "nothing committed"
        : head.equals(remote) ? "committed and pushed, not adopted" : "committed, not pushed";
    return where + ", " + intents().size() + " intent(s), " + gitLocks().size() + " git lock(s)";
  }

  /**
   * Hooks that hold a push where the test asks: pre-receive, before the remote takes it, while
   * {@code hold-before} exists, then refuses it (its pusher is dead); reference-transaction, once
   * the branch has moved and before the pusher is told, while {@code hold-after} exists. Every
   * other push is held a second by pre-receive, so that a kill by time can land in a push too.
   */
  private void holdingHooks() throws Exception {
    hook("pre-receive", """
        #!/bin/sh
        cat >/dev/null
        touch "$GIT_DIR/pushing"
        if [ -e "$GIT_DIR/hold-before" ]; then
          while [ -e "$GIT_DIR/hold-before" ]; do sleep 0.05; done
          rm -f "$GIT_DIR/pushing"
          echo "refused: the pusher was killed while this hook held its push" >&2
          exit 1
        fi
        sleep 1
        rm -f "$GIT_DIR/pushing"
        """);
    hook("reference-transaction", """
        #!/bin/sh
        cat >/dev/null
        if [ "$1" = committed ] && [ -e "$GIT_DIR/hold-after" ]; then
          touch "$GIT_DIR/landed"
          while [ -e "$GIT_DIR/hold-after" ]; do sleep 0.05; done
          rm -f "$GIT_DIR/landed"
        fi
        """);
  }

  private void hook(String name, String script) throws Exception {
    Path hook = bare.resolve("hooks").resolve(name);
    Files.writeString(hook, script);
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static void mkfifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
    String output = new String(mkfifo.getInputStream().readAllBytes(), UTF_8);
    assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(mkfifo.exitValue()).as(output).isZero();
  }

  private List<Path> gitLocks() throws Exception {
    try (Stream<Path> files = Files.walk(checkout.resolve(".git"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".lock")).toList();
    }
  }

  private static void waitFor(Path file, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(file)) {
      assertThat(process.isAlive()).as("commit-push still runs when " + file.getFileName() + " appears").isTrue();
      assertThat(System.nanoTime() < deadline).as(file + " appeared").isTrue();
      Thread.sleep(10);
    }
  }

  private static void waitForRemoval(Path file) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Files.exists(file)) {
      assertThat(System.nanoTime() < deadline).as("the hook let go: " + file + " removed").isTrue();
      Thread.sleep(10);
    }
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

  private RunOutputs.Started start(Path dir, String... args) throws Exception {
    return outputs.start(new JarProcess(tmp).builder(dir, List.of(args)));
  }

  private JarProcess.Result jar(Path dir, String... args) throws Exception {
    return outputs.keep(new JarProcess(tmp).run(dir, args));
  }
}
