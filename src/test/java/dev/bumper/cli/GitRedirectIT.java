package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A git server that redirects to another origin (another port of the same host, as a hostile
 * server would to one it controls): JGit follows the redirect, and the token does not go with it.
 */
class GitRedirectIT {
  private static final String TOKEN = "ghp_r3directT0kenZ9yX8wV7uT6sR5qP4";

  @TempDir Path tmp;

  @Test
  void aRedirectToAnotherOriginGetsNoCredentials() throws Exception {
    Path served = Files.createDirectories(tmp.resolve("served"));
    TestProcesses.bareRepository(served.resolve("config.git"), Map.of("web.yaml", "image: ghcr.io/acme/web:1.0.0\n"));

    AtomicInteger redirected = new AtomicInteger();
    try (GitHttpServer elsewhere = new GitHttpServer(served, TOKEN)) {
      String target = elsewhere.url("");
      try (RawServer redirecting = new RawServer(InetAddress.getLoopbackAddress(), (in, out) -> {
        String path = TestManifests.readHead(in).split(" ", 3)[1];
        redirected.incrementAndGet();
        out.write(("HTTP/1.1 301 Moved Permanently\r\nLocation: " + target.substring(0, target.length() - 1) + path
            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
      })) {
        String url = "http://127.0.0.1:" + redirecting.port() + "/config.git";
        for (List<String> args : List.of(
            List.of("bump-manifest", "--repo", url, "--push", "-i", "ghcr.io/acme/web:2.0.0"),
            List.of("bump-manifest", "--repo", url, "-C", tmp.resolve("clone").toString(), "-i", "ghcr.io/acme/web:2.0.0"))) {
          JarProcess.Result run = new JarProcess(tmp).env("GIT_TOKEN", TOKEN).env("HOME", tmp.toString()).run(tmp, args);
          assertThat(run.code()).as(run.toString()).isEqualTo(1);
          assertThat(run.err()).as(run.toString()).contains("not authorized").doesNotContain(TOKEN);
        }
      }
      assertThat(redirected.get()).as("the redirect was asked for").isPositive();
      assertThat(elsewhere.refused()).as("the other origin was reached and asked for credentials").isPositive();
      assertThat(elsewhere.withCredentials()).as("requests to the other origin with credentials").isZero();
    }
  }
}
