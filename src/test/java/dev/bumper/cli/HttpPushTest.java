package dev.bumper.cli;

import static dev.bumper.cli.Run.runWith;
import static dev.bumper.cli.TestProcesses.git;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes over smart HTTP to {@code git http-backend} behind Basic authentication: the token from
 * {@code GIT_TOKEN} or the URL works; a wrong one is exit 1 with a clear message, and no form of
 * it is printed or left in a clone's configuration.
 */
class HttpPushTest {
  private static final String TOKEN = "ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1";
  private static final String WRONG = "ghp_wrongWRONGwrong0000000000";
  private static final String DEPLOYMENT =
      "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
          + "        - name: web\n          image: ghcr.io/acme/web:1.0.0\n";

  @TempDir Path tmp;
  private Path bare;
  private GitHttpServer server;
  private String url;

  @BeforeEach
  void serve() throws Exception {
    Path served = Files.createDirectories(tmp.resolve("served"));
    bare = served.resolve("config.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    Path work = tmp.resolve("seed");
    git(tmp, "clone", "-q", bare.toString(), work.toString());
    Files.createDirectories(work.resolve("apps"));
    Files.writeString(work.resolve("apps/web.yaml"), DEPLOYMENT);
    git(work, "add", "-A");
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "init");
    git(work, "push", "-q", "origin", "main");
    server = new GitHttpServer(served, TOKEN);
    url = server.url("config.git");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String remoteFile() throws Exception {
    return git(tmp, "--git-dir=" + bare, "show", "main:apps/web.yaml");
  }

  @Test
  void theRightTokenPushesInMemoryAndInCloneMode() throws Exception {
    Run inMemory = runWith(Map.of("GIT_TOKEN", TOKEN), "bump-manifest", "--repo", url, "--push", "-i", "ghcr.io/acme/web:2.0.0");
    assertThat(inMemory.code()).as(inMemory.toString()).isZero();
    assertThat(remoteFile()).contains("web:2.0.0");

    Path clone = tmp.resolve("clone");
    String withToken = url.replace("http://", "http://x-access-token:" + TOKEN + "@");
    Run cloneMode = runWith(Map.of(), "bump-manifest", "--repo", withToken, "-C", clone.toString(), "--push",
        "-i", "ghcr.io/acme/web:3.0.0");
    assertThat(cloneMode.code()).as(cloneMode.toString()).isZero();
    assertThat(remoteFile()).contains("web:3.0.0");
    assertThat(cloneMode.out() + cloneMode.err()).doesNotContain(TOKEN);
    assertThat(Files.readString(clone.resolve(".git/config"))).doesNotContain(TOKEN).contains(url);
  }

  @Test
  void aWrongTokenIsExit1WithAClearMessageAndTheTokenNowhere() throws Exception {
    String before = remoteFile();
    Path checkout = tmp.resolve("checkout");
    git(tmp, "clone", "-q", bare.toString(), checkout.toString());
    Files.writeString(checkout.resolve("apps/web.yaml"), DEPLOYMENT.replace("1.0.0", "9.9.9"));
    git(checkout, "remote", "set-url", "origin", url);
    String inUrl = url.replace("http://", "http://deployer:" + WRONG + "@");

    Run[] runs = {
      runWith(Map.of("GIT_TOKEN", WRONG), "-v", "bump-manifest", "--repo", url, "--push", "-i", "ghcr.io/acme/web:2.0.0"),
      runWith(Map.of(), "-v", "bump-manifest", "--repo", inUrl, "--push", "-i", "ghcr.io/acme/web:2.0.0"),
      runWith(Map.of("GIT_TOKEN", WRONG), "-v", "--output", "json", "kustomize-set-image", "--repo", url, "--push", "web:2"),
      runWith(Map.of("GIT_USERNAME", "deployer", "GIT_PASSWORD", WRONG), "-v", "commit-push", "-C", checkout.toString()),
      runWith(Map.of(), "-v", "commit-push", "--repo", inUrl, "-C", tmp.resolve("new-clone").toString()),
    };

    String base64 = Base64.getEncoder().encodeToString(("deployer:" + WRONG).getBytes(StandardCharsets.UTF_8));
    String tokenBase64 = Base64.getEncoder().encodeToString(("x-access-token:" + WRONG).getBytes(StandardCharsets.UTF_8));
    for (Run run : runs) {
      assertThat(run.code()).as(run.toString()).isEqualTo(1);
      assertThat(run.err()).as(run.toString()).contains("not authorized").contains("were refused; check that they are current");
      assertThat(run.out() + run.err()).as(run.toString())
          .doesNotContain(WRONG).doesNotContain(base64).doesNotContain(tokenBase64).doesNotContain(TOKEN);
    }
    assertThat(server.refused()).isPositive();
    assertThat(remoteFile()).isEqualTo(before);
  }
}
