package dev.bumper.cli;

import static dev.bumper.cli.TestProcesses.git;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token in the URL never reaches the disk: not a clone's {@code .git/config} or {@code
 * FETCH_HEAD}, not the temporary repository of an in-memory run, not HOME; after a success, after
 * a push a hook refuses, after SIGTERM at five moments of a run against a slow host, and after a
 * SIGKILL, whose temporary repository the next run removes. Each case searches every file under
 * the clone, the run's temp directory and HOME for the token, its URL-encoded form and its base64
 * forms.
 */
class NoSecretOnDiskIT {
  private static final String TOKEN = "ghp_d1skT0ken/Z9yX8wV7+uT6sR5qP4";

  @TempDir Path tmp;
  private Path served;
  private GitHttpServer server;
  private Path home;
  private Path temp;
  private int tag;

  @BeforeEach
  void serve() throws Exception {
    served = Files.createDirectories(tmp.resolve("served"));
    seed("config.git");
    Path refusing = seed("refusing.git");
    Path hook = refusing.resolve("hooks/pre-receive");
    Files.writeString(hook, "#!/bin/sh\necho 'protected branch' >&2\nexit 1\n");
    hook.toFile().setExecutable(true);
    server = new GitHttpServer(served, TOKEN);
    server.acceptTokenAsUser();
    home = Files.createDirectories(tmp.resolve("home"));
    temp = Files.createDirectories(tmp.resolve("temp"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void cloneModeLeavesNoTokenAfterSuccessOrAFailure() throws Exception {
    record Case(String url, int code, boolean cloned) {}
    for (Case c : List.of(new Case(withToken("config.git"), 0, true), new Case(tokenAsUser("config.git"), 0, true),
        new Case(withToken("refusing.git"), 1, true), new Case(tokenAsUser("refusing.git"), 1, true),
        new Case(withToken("missing.git"), 1, false))) {
      Path clone = tmp.resolve("clone-" + ++tag);
      JarProcess.Result run = bumper().run(tmp, "bump-manifest", "--repo", c.url(), "-C", clone.toString(), "--push",
          "-i", image());
      assertThat(run.code()).as(run.toString()).isEqualTo(c.code());
      if (c.cloned()) {
        assertThat(clone.resolve(".git/FETCH_HEAD")).as("the fetch left its record").exists();
        assertThat(Files.readString(clone.resolve(".git/config"))).contains("url = http://127.0.0.1:");
      }
      assertNoTokenUnder(clone, temp, home);
    }
  }

  @Test
  void inMemoryRunsLeaveNoTemporaryRepositoryAndNoToken() throws Exception {
    for (String url : new String[] {withToken("config.git"), tokenAsUser("config.git"), withToken("refusing.git")}) {
      JarProcess.Result run = bumper().run(tmp, "bump-manifest", "--repo", url, "--push", "-i", image());
      assertThat(run.code()).as(run.toString()).isEqualTo(url.contains("refusing") ? 1 : 0);
      assertThat(temporaryRepositories()).isEmpty();
      assertNoTokenUnder(temp, home);
    }
  }

  @Test
  void sigtermAtFiveMomentsLeavesNoTokenAndNoTemporaryRepository() throws Exception {
    server.setDelayMillis(300);
    int stoppedMidRun = 0;
    for (long after : new long[] {700, 1100, 1500, 1900, 2300}) {
      for (boolean cloneMode : new boolean[] {false, true}) {
        Path clone = tmp.resolve("term-" + ++tag);
        String url = tag % 2 == 0 ? tokenAsUser("config.git") : withToken("config.git");
        List<String> args = new ArrayList<>(List.of("bump-manifest", "--repo", url, "--push", "-i", image()));
        if (cloneMode) {
          args.addAll(List.of("-C", clone.toString()));
        }
        Process process = bumper().builder(tmp, args).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        boolean ended = process.waitFor(after, TimeUnit.MILLISECONDS);
        if (!ended) {
          stoppedMidRun++;
          process.destroy(); // SIGTERM, as a cancelled CI job gets
          assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("ends after SIGTERM").isTrue();
        }
        System.out.printf("[NoSecretOnDiskIT] SIGTERM after %d ms, %s: %s%n", after, cloneMode ? "clone mode" : "in memory",
            ended ? "had ended" : "stopped, exit " + process.exitValue());
        assertThat(temporaryRepositories()).as("after %d ms", after).isEmpty();
        assertNoTokenUnder(clone, temp, home);
      }
    }
    assertThat(stoppedMidRun).as("runs SIGTERMed before they ended").isGreaterThanOrEqualTo(5);
  }

  @Test
  void theNextRunRemovesTheTemporaryRepositoryOfAKilledOne() throws Exception {
    server.setDelayMillis(1000);
    Process killed = bumper().builder(tmp, List.of("bump-manifest", "--repo", withToken("config.git"), "--push", "-i", image()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (temporaryRepositories().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(temporaryRepositories()).as("the run made its temporary repository").hasSize(1);
    Thread.sleep(500); // into the slow fetch
    killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
    assertThat(temporaryRepositories()).as("SIGKILL leaves it").hasSize(1);
    assertNoTokenUnder(temp, home);

    server.setDelayMillis(0);
    JarProcess.Result next = bumper().run(tmp, "bump-manifest", "--repo", withToken("config.git"), "--push", "-i", image());
    assertThat(next.code()).as(next.toString()).isZero();
    assertThat(temporaryRepositories()).as("the next run removed it").isEmpty();
  }

  private JarProcess bumper() {
    return new JarProcess(tmp).jvm("-Djava.io.tmpdir=" + temp).env("TMPDIR", temp.toString()).env("HOME", home.toString());
  }

  private List<Path> temporaryRepositories() throws IOException {
    try (Stream<Path> entries = Files.list(temp)) {
      return entries.filter(p -> p.getFileName().toString().startsWith("bumper-repo-")).toList();
    }
  }

  /** Every file under {@code dirs}, read as bytes, holds no form of the token. */
  private static void assertNoTokenUnder(Path... dirs) throws IOException {
    List<String> forms = List.of(TOKEN, MaskingIT.percent(TOKEN, false, false), MaskingIT.percent(TOKEN, false, true),
        b64(TOKEN), b64("x-access-token:" + TOKEN), b64(TOKEN + ":"), TOKEN.replace("/", "%2F").replace("+", "%2B"));
    List<String> leaks = new ArrayList<>();
    for (Path dir : dirs) {
      if (!Files.exists(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String text = new String(Files.readAllBytes(file), UTF_8);
          forms.stream().filter(text::contains).forEach(form -> leaks.add(file + " holds " + form));
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  private String withToken(String repository) {
    return server.url(repository).replace("http://", "http://x-access-token:" + TOKEN.replace("/", "%2F").replace("+", "%2B") + "@");
  }

  private String tokenAsUser(String repository) {
    return server.url(repository).replace("http://", "http://" + TOKEN.replace("/", "%2F").replace("+", "%2B") + "@");
  }

  private String image() {
    return "ghcr.io/acme/web:3.0." + ++tag;
  }

  private Path seed(String name) throws Exception {
    return TestProcesses.bareRepository(served.resolve(name), Map.of("web.yaml", "image: ghcr.io/acme/web:1.0.0\n"));
  }


  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
  }
}
