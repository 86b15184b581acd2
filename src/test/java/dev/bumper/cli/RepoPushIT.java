package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bumper.RequiresTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bump-manifest --repo URL --push} as CI runs it: the packaged jar in separate processes,
 * against a real {@code git daemon} on 127.0.0.1 serving bare repositories made with the git CLI,
 * many processes pushing to one branch at once.
 */
@RequiresTools("diff")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class RepoPushIT {
  private static final String PLATFORM = "deploy/platform.yaml";
  private static final int SERVICES = 16;
  private static final long RUN_TIMEOUT_SECONDS = 180;
  private static final long CONCURRENT_TIMEOUT_SECONDS = 300;
  private static final String SHA = "3f786850e387550fdab836ed7e6dc881de23001b";

  @TempDir static Path shared;
  private static Path jar;
  private static Path served;
  private static Path home;
  private static Process daemon;
  private static int port;
  private static final List<Process> started = Collections.synchronizedList(new ArrayList<>());

  @TempDir Path tmp;
  private String name;
  private Path bare;
  private String url;
  private String seedText;
  private String seed;

  // ---- the server

  @BeforeAll
  static void startGitDaemon() throws Exception {
    jar = TestProcesses.packagedJar();
    served = Files.createDirectories(shared.resolve("served"));
    home = Files.createDirectories(shared.resolve("home"));
    for (int tries = 1; ; tries++) {
      port = TestProcesses.freePort();
      ProcessBuilder pb =
          new ProcessBuilder(
              "git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
              "--base-path=" + served, "--listen=127.0.0.1", "--port=" + port, served.toString());
      pb.environment().clear();
      pb.environment().putAll(gitEnv());
      pb.redirectErrorStream(true).redirectOutput(shared.resolve("daemon-" + tries + ".log").toFile());
      daemon = pb.start();
      if (TestProcesses.waitForPort(port, daemon, 20_000)) {
        return;
      }
      stop(daemon);
      if (tries == 3) {
        fail("git daemon did not listen on 127.0.0.1:" + port + ": "
            + Files.readString(shared.resolve("daemon-" + tries + ".log")));
      }
    }
  }

  @AfterAll
  static void stopGitDaemon() {
    if (daemon != null) {
      stop(daemon);
    }
  }

  @AfterEach
  void killLeftovers() {
    synchronized (started) {
      for (Process p : started) {
        if (p.isAlive()) {
          stop(p);
        }
      }
      started.clear();
    }
  }

  @BeforeEach
  void seedRepo(TestInfo info) throws Exception {
    name = info.getTestMethod().orElseThrow().getName();
    bare = served.resolve(name + ".git");
    url = "git://127.0.0.1:" + port + "/" + name + ".git";
    git(served, "init", "--bare", "-q", "-b", "main", bare.toString());
    Path work = Files.createDirectories(tmp.resolve("seed"));
    git(work, "init", "-q", "-b", "main");
    seedText = platform();
    write(work.resolve(PLATFORM), seedText);
    write(work.resolve("deploy/service.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: platform\nspec:\n  selector:\n    app: platform\n"
            + "  ports:\n    - port: 80\n      targetPort: 8080\n");
    write(work.resolve("deploy/job.yaml"),
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n"
            + "      restartPolicy: Never\n      containers:\n        - name: migrate\n"
            + "          image: docker.io/library/busybox:1.36 # not bumped\n");
    write(work.resolve("kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
            + "  - deploy/platform.yaml\n  - deploy/service.yaml\n  - deploy/job.yaml\n");
    write(work.resolve("README.md"), "# config repo\n");
    git(work, "add", "-A");
    git(work, "commit", "-q", "-m", "seed");
    git(work, "push", "-q", bare.toString(), "main");
    seed = tip();
  }

  /** A Deployment with sixteen containers on adjacent lines, each with its own image. */
  private static String platform() {
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: platform\n  labels:\n    app: platform\n"
                + "spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: platform\n  template:\n"
                + "    metadata:\n      labels:\n        app: platform\n    spec:\n      containers:\n");
    for (int k = 1; k <= SERVICES; k++) {
      yaml.append("        - {name: svc-%02d, image: %s}\n".formatted(k, image(k, "1.0.0")));
    }
    yaml.append("      terminationGracePeriodSeconds: 30\n");
    return yaml.toString();
  }

  private static String image(int k, String tag) {
    return "ghcr.io/acme/svc-%02d:%s".formatted(k, tag);
  }

  // ---- 2. sixteen pipelines, sixteen images, one branch

  @Test
  void sixteenConcurrentPushesAllLand() throws Exception {
    List<Process> processes = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int k = 1; k <= SERVICES; k++) {
      processes.add(start(k, Map.of(), "--output", "json", "bump-manifest", "--repo", url, "--push",
          "-i", image(k, "2.0." + k)));
    }
    List<Result> results = waitAll(processes);
    long millis = (System.nanoTime() - t0) / 1_000_000;

    List<Integer> attempts = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      assertThat(r.code).as("process %d: %s", i + 1, r).isZero();
      assertThat(json(r, "committed")).as(r.toString()).isEqualTo("true");
      assertThat(json(r, "pushed")).as(r.toString()).isEqualTo("true");
      attempts.add(Integer.parseInt(json(r, "attempts")));
    }
    int max = Collections.max(attempts);
    System.out.printf("[RepoPushIT] 16 concurrent pushes: all exit 0 in %d ms; attempts per process %s; max %d%n",
        millis, attempts, max);

    String expected = seedText;
    for (int k = 1; k <= SERVICES; k++) {
      expected = expected.replace(image(k, "1.0.0"), image(k, "2.0." + k));
    }
    assertThat(show("main:" + PLATFORM)).as("all sixteen bumps, nothing else").isEqualTo(expected);
    assertThat(git(null, "--git-dir=" + bare, "rev-list", "--count", seed + "..main").strip()).isEqualTo("16");
    assertThat(git(null, "--git-dir=" + bare, "rev-list", "--min-parents=2", "main").strip())
        .as("no merges: every push is a fast-forward").isEmpty();
    List<String> subjects = Arrays.asList(git(null, "--git-dir=" + bare, "log", "--format=%s", seed + "..main").split("\n"));
    Set<String> mentioned = new HashSet<>();
    for (String subject : subjects) {
      Matcher m = Pattern.compile("svc-(\\d\\d)").matcher(subject);
      assertThat(m.find()).as(subject).isTrue();
      mentioned.add(m.group(1));
    }
    assertThat(mentioned).as("one commit per service").hasSize(SERVICES);
    for (Result r : results) {
      String commit = json(r, "commit");
      assertThat(gitCode(null, "--git-dir=" + bare, "merge-base", "--is-ancestor", commit, "main"))
          .as("the reported commit %s is on main", commit).isZero();
    }
    assertUnchanged("deploy/service.yaml", "deploy/job.yaml", "kustomization.yaml", "README.md");
    assertFsckClean();
  }

  // ---- 3. eight pipelines, one image

  @Test
  void eightConcurrentPushesOfTheSameImageLoseNothingElse() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int k = 1; k <= 8; k++) {
      processes.add(start(k, Map.of(), "--output", "json", "bump-manifest", "--repo", url, "--push",
          "-i", image(1, "3.0." + k)));
    }
    List<Result> results = waitAll(processes);
    List<String> tags = new ArrayList<>();
    Map<String, String> commitToTag = new LinkedHashMap<>();
    for (int k = 1; k <= 8; k++) {
      Result r = results.get(k - 1);
      assertThat(r.code).as("process %d: %s", k, r).isZero();
      assertThat(json(r, "committed")).as(r.toString()).isEqualTo("true");
      tags.add("3.0." + k);
      commitToTag.put(json(r, "commit"), "3.0." + k);
    }
    String text = show("main:" + PLATFORM);
    Matcher m = Pattern.compile("ghcr\\.io/acme/svc-01:(\\S+)}").matcher(text);
    assertThat(m.find()).isTrue();
    String finalTag = m.group(1);
    System.out.printf("[RepoPushIT] 8 concurrent pushes of svc-01: attempts %s; final tag %s%n",
        results.stream().map(r -> json(r, "attempts")).toList(), finalTag);
    assertThat(tags).contains(finalTag);
    assertThat(commitToTag.get(tip())).as("the tip is the commit of the process that set " + finalTag).isEqualTo(finalTag);
    assertThat(text).as("the other fifteen images are unchanged").isEqualTo(seedText.replace(image(1, "1.0.0"), image(1, finalTag)));
    assertThat(git(null, "--git-dir=" + bare, "rev-list", "--count", seed + "..main").strip()).isEqualTo("8");
    assertUnchanged("deploy/service.yaml", "deploy/job.yaml", "kustomization.yaml", "README.md");
  }

  // ---- 3b. sixteen pipelines in clone mode: each its own shallow clone, bump, commit-push

  @Test
  void sixteenConcurrentCloneModePushesAllLand() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int k = 1; k <= SERVICES; k++) {
      // A clone-mode attempt costs more than an in-memory one (a working tree to fetch into,
      // merge and check out), so sixteen at once on two cores need more than the default ten
      // attempts before the last one gets through; a lost push is still exit 5, never a loss.
      processes.add(start(k, Map.of(), "--output", "json", "bump-manifest", "--repo", url,
          "-C", tmp.resolve("clone-" + k).toString(), "--push", "--attempts", "20", "-i", image(k, "4.0." + k)));
    }
    List<Result> results = waitAll(processes);

    List<String> attempts = new ArrayList<>();
    for (int k = 1; k <= SERVICES; k++) {
      Result r = results.get(k - 1);
      assertThat(r.code).as("process %d: %s", k, r).isZero();
      assertThat(json(r, "pushed")).as(r.toString()).isEqualTo("true");
      attempts.add(json(r, "attempts"));
      Path clone = tmp.resolve("clone-" + k);
      assertThat(git(clone, "status", "--porcelain")).as("clone %d is clean", k).isEmpty();
      assertThat(git(clone, "rev-parse", "HEAD").strip()).as("clone %d is at its pushed commit", k)
          .isEqualTo(json(r, "commit"));
      assertThat(clone.resolve(".git/bumper/intents")).as("clone %d's intents are spent", k).isEmptyDirectory();
    }
    System.out.printf("[RepoPushIT] 16 concurrent clone-mode pushes: attempts %s%n", attempts);
    String expected = seedText;
    for (int k = 1; k <= SERVICES; k++) {
      expected = expected.replace(image(k, "1.0.0"), image(k, "4.0." + k));
    }
    assertThat(show("main:" + PLATFORM)).as("all sixteen bumps, nothing else").isEqualTo(expected);
    assertThat(git(null, "--git-dir=" + bare, "rev-list", "--count", seed + "..main").strip()).isEqualTo("16");
    assertUnchanged("deploy/service.yaml", "deploy/job.yaml", "kustomization.yaml", "README.md");
    assertFsckClean();
  }

  // ---- 4. nothing to commit

  @Test
  void bumpToTheCurrentValueCommitsNothing() throws Exception {
    Result text = run(Map.of(), "bump-manifest", "--repo", url, "--push", "-i", image(3, "1.0.0"));
    assertThat(text.code).as(text.toString()).isZero();
    assertThat(text.out).contains("nothing to commit");
    Result json = run(Map.of(), "--output", "json", "bump-manifest", "--repo", url, "--push", "-i", image(3, "1.0.0"));
    assertThat(json.code).as(json.toString()).isZero();
    assertThat(json(json, "committed")).isEqualTo("false");
    assertThat(json(json, "pushed")).isEqualTo("false");
    assertThat(json(json, "changed")).isEqualTo("false");
    assertThat(json.out.strip()).startsWith("{").endsWith("}");
    assertThat(tip()).isEqualTo(seed);
    assertThat(git(null, "--git-dir=" + bare, "rev-list", "--count", "main").strip()).isEqualTo("1");
  }

  // ---- 5. a hook refuses: no retry

  @Test
  void pushRefusedByAHookFailsAtOnce() throws Exception {
    hook("pre-receive",
        "echo call >> \"$GIT_DIR/hook-calls.log\"\n"
            + "cat >/dev/null\n"
            + "echo 'policy: direct pushes to main are not allowed' >&2\n"
            + "exit 1\n");
    Result r = run(Map.of(), "-v", "--output", "json", "bump-manifest", "--repo", url, "--push", "-i", image(2, "2.0.2"));
    assertThat(r.code).as(r.toString()).isEqualTo(1);
    assertThat(r.out + r.err).as(r.toString()).contains("policy: direct pushes to main are not allowed");
    assertThat(r.err).as("no retry").doesNotContain("lost a race").doesNotContain("attempt 2");
    assertThat(Files.readAllLines(bare.resolve("hook-calls.log"))).as("exactly one push").hasSize(1);
    assertThat(tip()).isEqualTo(seed);
  }

  // ---- 6. the commit as git sees it

  @Test
  void commitHasTheGivenAuthorMessageAndTrailers() throws Exception {
    Map<String, String> env = Map.of(
        "SEMAPHORE", "true",
        "SEMAPHORE_GIT_SHA", SHA,
        "SEMAPHORE_ORGANIZATION_URL", "https://acme.semaphoreci.com",
        "SEMAPHORE_WORKFLOW_ID", "wf-1");
    Result r = run(env, "bump-manifest", "--repo", url, "--push", "--author", "CI Bot <ci@example.com>",
        "-m", "Deploy {summary} from {short_sha}", "--skip-ci", "-i", image(5, "2.0.5"));
    assertThat(r.code).as(r.toString()).isZero();
    assertThat(r.out).contains("pushed ").contains(url);

    Path clone = tmp.resolve("clone");
    git(tmp, "clone", "-q", url, clone.toString());
    assertThat(Files.readString(clone.resolve(PLATFORM)))
        .isEqualTo(seedText.replace(image(5, "1.0.0"), image(5, "2.0.5")));
    assertFsckClean();
    assertThat(git(clone, "rev-parse", "HEAD^").strip()).isEqualTo(seed);
    assertThat(git(clone, "diff", "--name-only", seed, "HEAD").strip()).isEqualTo(PLATFORM);

    String[] who = git(clone, "log", "-1", "--format=%an%n%ae%n%cn%n%ce").strip().split("\n");
    assertThat(who).containsExactly("CI Bot", "ci@example.com", "CI Bot", "ci@example.com");
    String subject = git(clone, "log", "-1", "--format=%s").strip();
    assertThat(subject)
        .startsWith("Deploy ")
        .contains("ghcr.io/acme/svc-05")
        .contains("2.0.5")
        .contains("from " + SHA.substring(0, 7))
        .endsWith("[skip ci]");
    String message = git(clone, "log", "-1", "--format=%B");
    assertThat(message).containsOnlyOnce("[skip ci]");
    assertThat(message.split("\n")[1]).as("a blank line after the subject").isEmpty();
    String trailers = git(clone, "log", "-1", "--format=%(trailers:only,unfold)").strip();
    assertThat(trailers.split("\n"))
        .containsExactly("Source-Commit: " + SHA, "Build-URL: https://acme.semaphoreci.com/workflows/wf-1");
  }

  // ---- 7. file://

  @Test
  void fileUrlWorksToo() throws Exception {
    String fileUrl = "file://" + bare.toAbsolutePath();
    Result r = run(Map.of(), "--output", "json", "bump-manifest", "--repo", fileUrl, "--push", "-i", image(7, "2.0.7"));
    assertThat(r.code).as(r.toString()).isZero();
    assertThat(json(r, "committed")).isEqualTo("true");
    assertThat(json(r, "remote")).isEqualTo(fileUrl);
    assertThat(json(r, "commit")).isEqualTo(tip());
    assertThat(show("main:" + PLATFORM)).isEqualTo(seedText.replace(image(7, "1.0.0"), image(7, "2.0.7")));
    assertFsckClean();
  }

  // ---- 8. --dry-run

  @Test
  void dryRunPrintsADiffAndPushesNothing() throws Exception {
    Result r = run(Map.of(), "bump-manifest", "--repo", url, "--dry-run", "-i", image(8, "2.0.8"));
    assertThat(r.code).as(r.toString()).isZero();
    assertThat(r.out)
        .startsWith("--- a/" + PLATFORM + "\n+++ b/" + PLATFORM + "\n@@ ")
        .contains("\n-        - {name: svc-08, image: " + image(8, "1.0.0") + "}\n")
        .contains("\n+        - {name: svc-08, image: " + image(8, "2.0.8") + "}\n");
    assertThat(tip()).isEqualTo(seed);
    // stdout is a patch git takes
    Path clone = tmp.resolve("clone");
    git(tmp, "clone", "-q", url, clone.toString());
    Path patch = tmp.resolve("bump.patch");
    Files.writeString(patch, r.out, UTF_8);
    git(clone, "apply", patch.toString());
    assertThat(Files.readString(clone.resolve(PLATFORM))).isEqualTo(seedText.replace(image(8, "1.0.0"), image(8, "2.0.8")));
  }

  // ---- 9. secrets

  private static final String URL_SECRET = "another-s3cr3t";
  private static final String TOKEN = "s3cr3t-token-value";

  @Test
  void secretsNeverAppearInOutput() throws Exception {
    String secretUrl = "http://user:" + URL_SECRET + "@127.0.0.1:1/x.git";
    for (List<String> args : List.of(
        List.of("bump-manifest", "--repo", secretUrl, "--push", "-i", image(1, "2.0.1")),
        List.of("-v", "bump-manifest", "--repo", secretUrl, "--push", "-i", image(1, "2.0.1")),
        List.of("-v", "--output", "json", "bump-manifest", "--repo", secretUrl, "--push", "-i", image(1, "2.0.1")),
        List.of("-v", "bump-manifest", "--repo", secretUrl, "--dry-run", "-i", image(1, "2.0.1")))) {
      Result r = run(Map.of("GIT_TOKEN", TOKEN), args.toArray(String[]::new));
      assertThat(r.code).as(r.toString()).isEqualTo(1);
      assertThat(r.err).as(r.toString()).contains("127.0.0.1:1/x.git");
      assertThat(r.out + r.err).as(r.toString()).doesNotContain(URL_SECRET).doesNotContain(TOKEN).doesNotContain("s3cr3t");
    }
  }

  @Test
  void urlWithCredentialsIsShownWithStars() throws Exception {
    Result r = run(Map.of("GIT_TOKEN", TOKEN), "bump-manifest", "--repo", "http://user:" + URL_SECRET + "@127.0.0.1:1/x.git",
        "--push", "-i", image(1, "2.0.1"));
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("http://***:***@127.0.0.1:1/x.git");
  }

  // ---- 10. a branch that does not exist

  @Test
  void missingBranchFailsClearly() throws Exception {
    Result r = run(Map.of(), "bump-manifest", "--repo", url, "--branch", "nope", "--push", "-i", image(1, "2.0.1"));
    assertThat(r.code).as(r.toString()).isEqualTo(1);
    assertThat(r.err).as(r.toString()).contains("nope").doesNotContain("internal error").doesNotContain("Exception");
    assertThat(r.out).isEmpty();
    assertThat(tip()).isEqualTo(seed);
  }

  // ---- the branch and the template

  @Test
  void defaultBranchIsTheRemotesHead() throws Exception {
    git(null, "--git-dir=" + bare, "branch", "trunk", "main");
    git(null, "--git-dir=" + bare, "symbolic-ref", "HEAD", "refs/heads/trunk");
    Result r = run(Map.of(), "--output", "json", "bump-manifest", "--repo", url, "--push", "-i", image(9, "2.0.9"));
    assertThat(r.code).as(r.toString()).isZero();
    assertThat(json(r, "branch")).isEqualTo("trunk");
    assertThat(show("trunk:" + PLATFORM)).isEqualTo(seedText.replace(image(9, "1.0.0"), image(9, "2.0.9")));
    assertThat(tip()).as("main untouched").isEqualTo(seed);
  }

  @Test
  void templatePlaceholdersWithAGivenBranch() throws Exception {
    git(null, "--git-dir=" + bare, "branch", "release", "main");
    Result r = run(Map.of("SEMAPHORE", "true", "SEMAPHORE_GIT_SHA", SHA), "bump-manifest", "--repo", url,
        "--branch", "release", "--push", "-m", "Deploy to {branch} of {repo}\n\n{changes}\n\nsha {sha}",
        "-i", image(10, "2.0.10"), "-i", image(11, "2.0.11"));
    assertThat(r.code).as(r.toString()).isZero();
    String message = git(null, "--git-dir=" + bare, "log", "-1", "--format=%B", "release");
    assertThat(message.lines().findFirst().orElseThrow()).isEqualTo("Deploy to release of " + url);
    assertThat(message)
        .contains("ghcr.io/acme/svc-10 1.0.0 -> 2.0.10\nghcr.io/acme/svc-11 1.0.0 -> 2.0.11")
        .contains("sha " + SHA)
        .contains("Source-Commit: " + SHA)
        .doesNotContain("Build-URL");
  }

  @Test
  void branchPlaceholderIsTheResolvedDefaultBranch() throws Exception {
    Result r = run(Map.of(), "bump-manifest", "--repo", url, "--push", "-m", "Deploy to {branch}", "-i", image(12, "2.0.12"));
    assertThat(r.code).as(r.toString()).isZero();
    assertThat(git(null, "--git-dir=" + bare, "log", "-1", "--format=%s", "main").strip()).isEqualTo("Deploy to main");
  }

  @Test
  void malformedUrlWithCredentialsIsAUsageErrorWithoutTheSecret() throws Exception {
    for (String bad : List.of(
        "https://user:" + URL_SECRET + "@127.0.0.1:1/x.git\n",
        "https//user:" + URL_SECRET + "@127.0.0.1:1/x.git",
        "https://user:" + URL_SECRET + "@127.0.0.1:abc/x.git",
        "https://:" + URL_SECRET + "@127.0.0.1:1/x.git")) {
      Result r = run(Map.of(), "-v", "bump-manifest", "--repo", bad, "--push", "-i", image(1, "2.0.1"));
      assertThat(r.code).as(r.toString()).isEqualTo(2);
      assertThat(r.out + r.err).as(r.toString()).doesNotContain(URL_SECRET).doesNotContain("internal error");
    }
  }

  // ---- more: a race the server sees, exit codes 3, 4 and 5

  /** A pre-receive hook that, on its first run only, lands another commit on main first. */
  private void racingHook() throws IOException {
    hook("pre-receive",
        "echo call >> \"$GIT_DIR/hook-calls.log\"\n"
            + "cat >/dev/null\n"
            + "if [ ! -f \"$GIT_DIR/raced\" ]; then\n"
            + "  touch \"$GIT_DIR/raced\"\n"
            + "  unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES\n"
            + "  tree=$(git rev-parse main^{tree})\n"
            + "  new=$(git commit-tree \"$tree\" -p main -m 'another pipeline')\n"
            + "  git update-ref refs/heads/main \"$new\"\n"
            + "fi\n"
            + "exit 0\n");
  }

  @Test
  void raceLostOnTheServerIsRetried() throws Exception {
    racingHook();
    Result r = run(Map.of(), "-v", "--output", "json", "bump-manifest", "--repo", url, "--push", "-i", image(4, "2.0.4"));
    assertThat(r.code).as(r.toString()).isZero();
    assertThat(json(r, "attempts")).isEqualTo("2");
    assertThat(r.err).contains("lost a race");
    assertThat(json(r, "commit")).isEqualTo(tip());
    assertThat(git(null, "--git-dir=" + bare, "log", "--format=%s", seed + "..main").strip().split("\n"))
        .hasSize(2)
        .endsWith("another pipeline");
    assertThat(show("main:" + PLATFORM)).isEqualTo(seedText.replace(image(4, "1.0.0"), image(4, "2.0.4")));
  }

  @Test
  void raceLostOnEveryAttemptIsExitFive() throws Exception {
    racingHook();
    Result r = run(Map.of(), "bump-manifest", "--repo", url, "--push", "--attempts", "1", "-i", image(4, "2.0.4"));
    assertThat(r.code).as(r.toString()).isEqualTo(5);
    assertThat(r.err).contains("lost");
    assertThat(git(null, "--git-dir=" + bare, "log", "-1", "--format=%s", "main").strip()).isEqualTo("another pipeline");
    assertThat(show("main:" + PLATFORM)).isEqualTo(seedText);
  }

  @Test
  void nothingMatchedIsExitThreeAndNoCommit() throws Exception {
    Result r = run(Map.of(), "bump-manifest", "--repo", url, "--push", "-i", "ghcr.io/acme/nope:2.0.0");
    assertThat(r.code).as(r.toString()).isEqualTo(3);
    assertThat(r.err).contains("ghcr.io/acme/nope").contains("matched nothing");
    assertThat(tip()).isEqualTo(seed);
  }

  @Test
  void invalidFileIsExitFourAndNoCommit() throws Exception {
    Path work = tmp.resolve("broken");
    git(tmp, "clone", "-q", url, work.toString());
    write(work.resolve("deploy/broken.yaml"), "spec:\n  containers:\n    - image: " + image(1, "1.0.0") + "\n  bad: [unclosed\n");
    git(work, "add", "-A");
    git(work, "commit", "-q", "-m", "broken file");
    git(work, "push", "-q", "origin", "main");
    String before = tip();
    Result r = run(Map.of(), "bump-manifest", "--repo", url, "--push", "-i", image(1, "2.0.1"));
    assertThat(r.code).as(r.toString()).isEqualTo(4);
    assertThat(r.err).contains("deploy/broken.yaml");
    assertThat(tip()).isEqualTo(before);
  }

  // ---- processes

  private record Result(int code, String out, String err, long millis) {
    @Override
    public String toString() {
      return "exit " + code + " in " + millis + " ms\n  stdout: " + out.strip() + "\n  stderr: " + err.strip();
    }
  }

  private Result run(Map<String, String> env, String... args) throws Exception {
    long t0 = System.nanoTime();
    Process p = start(0, env, args);
    Result r = waitFor(p, RUN_TIMEOUT_SECONDS);
    return new Result(r.code, r.out, r.err, (System.nanoTime() - t0) / 1_000_000);
  }

  private final Map<Process, Path[]> outputs = new LinkedHashMap<>();

  private Process start(int index, Map<String, String> env, String... args) throws IOException {
    Path out = Files.createTempFile(tmp, "out-" + index + "-", ".txt");
    Path err = Files.createTempFile(tmp, "err-" + index + "-", ".txt");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
    pb.environment().clear();
    pb.environment().putAll(cleanEnv());
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    started.add(p);
    outputs.put(p, new Path[] {out, err});
    return p;
  }

  private Result waitFor(Process p, long seconds) throws Exception {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      stop(p);
      fail("bumper did not end within " + seconds + " s: " + Files.readString(outputs.get(p)[1]));
    }
    Path[] files = outputs.get(p);
    return new Result(p.exitValue(), Files.readString(files[0], UTF_8), Files.readString(files[1], UTF_8), 0);
  }

  private List<Result> waitAll(List<Process> processes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONCURRENT_TIMEOUT_SECONDS);
    List<Result> results = new ArrayList<>();
    for (Process p : processes) {
      long left = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
      results.add(waitFor(p, left));
    }
    return results;
  }

  private static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The value of a top-level scalar field of the one JSON object on stdout. */
  private static String json(Result r, String field) {
    Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\"([^\"]*)\"|true|false|-?\\d+)").matcher(r.out);
    assertThat(m.find()).as("%s in %s", field, r).isTrue();
    return m.group(2) != null ? m.group(2) : m.group(1);
  }

  /** The environment of the test, without CI or git variables that would change bumper's behaviour. */
  private static Map<String, String> cleanEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    System.getenv().forEach((k, v) -> {
      if (!(k.startsWith("SEMAPHORE") || k.startsWith("GITHUB_") || k.startsWith("GITLAB") || k.startsWith("CI")
          || k.startsWith("GIT_") || k.startsWith("BUMPER_") || k.startsWith("BUILDKITE") || k.startsWith("CIRCLE")
          || k.startsWith("JENKINS") || k.equals("HOME") || k.equals("XDG_CONFIG_HOME")
          || k.startsWith("JAVA_TOOL_OPTIONS") || k.startsWith("_JAVA_OPTIONS") || k.startsWith("JDK_JAVA_OPTIONS"))) {
        env.put(k, v);
      }
    });
    env.put("HOME", home.toString());
    return env;
  }

  // ---- git

  private static Map<String, String> gitEnv() {
    Map<String, String> env = cleanEnv();
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_AUTHOR_NAME", "Seed");
    env.put("GIT_AUTHOR_EMAIL", "seed@example.com");
    env.put("GIT_COMMITTER_NAME", "Seed");
    env.put("GIT_COMMITTER_EMAIL", "seed@example.com");
    env.put("GIT_TERMINAL_PROMPT", "0");
    return env;
  }

  private static int gitCode(Path dir, String... args) throws Exception {
    return Integer.parseInt(gitRun(dir, args)[0]);
  }

  private static String git(Path dir, String... args) throws Exception {
    String[] r = gitRun(dir, args);
    assertThat(r[0]).as("git %s\n%s%s", String.join(" ", args), r[1], r[2]).isEqualTo("0");
    return r[1];
  }

  /** {exit code, stdout, stderr} of a git command. */
  private static String[] gitRun(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().clear();
    pb.environment().putAll(gitEnv());
    Path out = Files.createTempFile(shared, "git-out-", ".txt");
    Path err = Files.createTempFile(shared, "git-err-", ".txt");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    started.add(p);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      stop(p);
      fail("git " + String.join(" ", args) + " did not end within 120 s");
    }
    String[] result = {String.valueOf(p.exitValue()), Files.readString(out, UTF_8), Files.readString(err, UTF_8)};
    Files.delete(out);
    Files.delete(err);
    return result;
  }

  private String tip() throws Exception {
    return git(null, "--git-dir=" + bare, "rev-parse", "main").strip();
  }

  private String show(String what) throws Exception {
    return git(null, "--git-dir=" + bare, "show", what);
  }

  private void assertUnchanged(String... paths) throws Exception {
    for (String path : paths) {
      assertThat(git(null, "--git-dir=" + bare, "rev-parse", "main:" + path))
          .as(path).isEqualTo(git(null, "--git-dir=" + bare, "rev-parse", seed + ":" + path));
    }
  }

  private void assertFsckClean() throws Exception {
    String[] r = gitRun(null, "--git-dir=" + bare, "fsck", "--strict", "--no-dangling");
    assertThat(r[0]).as("git fsck --strict\n%s%s", r[1], r[2]).isEqualTo("0");
    assertThat(r[1] + r[2]).as("git fsck --strict").doesNotContainIgnoringCase("error").doesNotContainIgnoringCase("warning");
  }

  private void hook(String hookName, String body) throws IOException {
    Path hook = bare.resolve("hooks").resolve(hookName);
    Files.createDirectories(hook.getParent());
    Files.writeString(hook, "#!/bin/sh\n" + body, UTF_8);
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, UTF_8);
  }

}
