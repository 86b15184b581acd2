package dev.bumper.cli;

import static dev.bumper.cli.Run.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.bumper.container.HostileTarballs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build-image and push in-process, where no registry is needed: tarballs and usage errors. */
class BuildImageCommandTest {
  @TempDir Path tmp;

  private Path app() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("index.html"), "<h1>hi</h1>\n");
    return app;
  }

  @Test
  void aTarballBuildIsReproducibleAndRecordsWhatAPushWillGive() throws Exception {
    Path app = app();
    Path metadata = tmp.resolve("meta/image.json");
    Run first = run("build-image", "--to", "ghcr.io/acme/web:1.0", "--tag", "latest", "--layer", app + ":/srv",
        "--tar", tmp.resolve("one.tar").toString(), "--metadata-file", metadata.toString(), "--output", "json");
    assertThat(first.code()).as(first.toString()).isZero();
    Map<String, Object> result = StrictJson.parseObject(first.out());
    assertThat(result.keySet()).containsExactly("image", "repository", "digest", "tags", "imageId", "pushed");
    assertThat(result)
        .containsEntry("repository", "ghcr.io/acme/web")
        .containsEntry("tags", List.of("1.0", "latest"))
        .containsEntry("pushed", false);
    assertThat((String) result.get("image")).isEqualTo("ghcr.io/acme/web:1.0@" + result.get("digest"));
    assertThat(Files.readString(metadata, UTF_8).strip()).isEqualTo(first.out().strip());

    Run second = run("build-image", "--to", "ghcr.io/acme/web:1.0", "--tag", "latest", "--layer", app + ":/srv",
        "--tar", tmp.resolve("two.tar").toString(), "-q");
    assertThat(second.code()).isZero();
    assertThat(second.out()).as("-q prints nothing").isEmpty();
    assertThat(Files.readAllBytes(tmp.resolve("two.tar"))).as("the same bytes").isEqualTo(Files.readAllBytes(tmp.resolve("one.tar")));

    String manifest = tarEntry(tmp.resolve("one.tar"), "manifest.json");
    assertThat(manifest).contains("\"RepoTags\":[\"ghcr.io/acme/web:1.0\",\"ghcr.io/acme/web:latest\"]");
  }

  @Test
  void aDirectoryLayerAtTheRootPutsItsContentsThere() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root/etc"));
    Files.writeString(root.resolve("passwd"), "app:x:65532:65532::/tmp:/sbin/nologin\n");
    Files.createDirectories(tmp.resolve("root/srv"));
    Files.writeString(tmp.resolve("root/srv/index.html"), "<h1>hi</h1>\n");
    Path tar = tmp.resolve("root.tar");
    Run run = run("build-image", "--to", "acme/root:1", "--layer", tmp.resolve("root") + ":/", "--tar", tar.toString());
    assertThat(run.code()).as(run.toString()).isZero();

    String manifest = tarEntry(tar, "manifest.json");
    String layer = manifest.replaceAll("(?s).*\"Layers\":\\[\"([^\"]+)\".*", "$1");
    Process p = new ProcessBuilder("sh", "-c", "tar -xOf \"$0\" \"$1\" | tar -tzf -", tar.toString(), layer)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String entries = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(entries.lines().toList()).containsExactly("etc/", "etc/passwd", "srv/", "srv/index.html");
  }

  @Test
  void aTarballServesAsTheBaseOfAnotherBuild() throws Exception {
    Path app = app();
    Path base = tmp.resolve("base.tar");
    assertThat(run("build-image", "--to", "acme/base:1", "--layer", app + ":/base", "--env", "FROM_BASE=1", "--tar", base.toString()).code()).isZero();
    Path extra = Files.writeString(tmp.resolve("extra.txt"), "more\n");
    Run run = run("build-image", "--from", "docker-archive:" + base, "--to", "acme/app:1", "--layer", extra + ":/opt/",
        "--tar", tmp.resolve("app.tar").toString());
    assertThat(run.code()).as(run.toString()).isZero();
    String manifest = tarEntry(tmp.resolve("app.tar"), "manifest.json");
    assertThat(manifest.split("\\.tar\\.gz", -1)).as("two layers").hasSize(3);
    assertThat(tarEntry(tmp.resolve("app.tar"), "config.json")).contains("FROM_BASE=1");
  }

  @Test
  void usageErrorsAreExitTwoNamingTheOption() throws Exception {
    Path app = app();
    String tar = tmp.resolve("x.tar").toString();
    Object[][] cases = {
      {new String[] {"build-image", "--layer", app.toString(), "--tar", tar}, "Missing required option: '--to=REF'"},
      {new String[] {"build-image", "--to", "Acme/Web", "--tar", tar}, "--to: "},
      {new String[] {"build-image", "--to", "acme/web@sha256:" + "a".repeat(64), "--tar", tar}, "without a digest"},
      {new String[] {"build-image", "--to", "acme/web", "--port", "http", "--tar", tar}, "--port http"},
      {new String[] {"build-image", "--to", "acme/web", "--platform", "arm64", "--tar", tar}, "--platform arm64"},
      {new String[] {"build-image", "--to", "acme/web", "--platform", "linux/amd64,linux/arm64", "--tar", tar}, "--tar writes one image"},
      {new String[] {"build-image", "--to", "acme/web", "--layer", "missing-dir", "--tar", tar}, "--layer missing-dir: no such file or directory"},
      {new String[] {"build-image", "--to", "acme/web", "--env", "NOEQUALS", "--tar", tar}, "--env NOEQUALS: expected KEY=VALUE"},
      {new String[] {"build-image", "--to", "acme/web", "--working-directory", "relative", "--tar", tar}, "must be an absolute path"},
      {new String[] {"build-image", "--to", "acme/web", "--from", "docker-archive:" + tmp.resolve("nope.tar"), "--tar", tar}, "no such file"},
      {new String[] {"build-image", "--to", "acme/web", "--creation-time", "soon", "--tar", tar}, "--creation-time soon"},
      {new String[] {"build-image", "--to", "acme/web", "--tag", "-bad", "--tar", tar}, "--tag -bad"},
      {new String[] {"build-image", "--to", "acme/web", "--retries", "-1", "--tar", tar}, "--retries must not be negative"},
      {new String[] {"build-image", "--to", "acme/web", "--format", "v1", "--tar", tar}, "--format"},
      {new String[] {"push", "--to", "acme/web"}, "give a TARBALL or --from REF"},
      {new String[] {"push", tar, "--from", "acme/old", "--to", "acme/web"}, "not both"},
      {new String[] {"push", tmp.resolve("none.tar").toString(), "--to", "acme/web"}, "none.tar: no such file"},
    };
    for (Object[] c : cases) {
      String[] args = (String[]) c[0];
      Run run = run(args);
      assertThat(run.code()).as(String.join(" ", args) + "\n" + run).isEqualTo(2);
      assertThat(run.err()).as(String.join(" ", args)).contains((String) c[1]).doesNotContain("internal error");
    }
    assertThat(Files.exists(Path.of(tar))).isFalse();
  }

  @Test
  void hostileTarballsAreExitFourWithinASecondEachNamingTheProblem() throws Exception {
    Map<String, HostileTarballs.Case> tarballs = HostileTarballs.write(Files.createDirectories(tmp.resolve("hostile")));
    // Nothing listens on port 1: a push that reached for the registry before reading the whole
    // tarball would end in a connection error (exit 1), not in exit 4.
    String to = "127.0.0.1:1/acme/web:1";
    // The first run loads picocli and the push classes; the deadline is for reading a tarball.
    run("push", tmp.resolve("none.tar").toString(), "--to", to);
    for (Map.Entry<String, HostileTarballs.Case> hostile : tarballs.entrySet()) {
      String tarball = hostile.getValue().tarball().toString();
      Run run = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> run("push", tarball, "--to", to), hostile.getKey());
      assertThat(run.code()).as(hostile.getKey() + "\n" + run).isEqualTo(4);
      assertThat(run.err()).as(hostile.getKey()).startsWith("bumper: " + tarball + ": ")
          .contains(hostile.getValue().problem())
          .doesNotContain("internal error")
          .doesNotContainPattern("\\n\\s+at [\\w.$]+\\(");
    }
  }

  @Test
  void aTarballWhoseLayerIsNotItsDigestIsExitFour() throws Exception {
    Path tarball = tmp.resolve("app.tar");
    assertThat(run("build-image", "--to", "acme/web", "--layer", app() + ":/srv", "--tar", tarball.toString()).code()).isZero();
    byte[] bytes = Files.readAllBytes(tarball);
    // build-image writes the layer first, named by its digest: one bit flipped in its middle
    assertThat(new String(bytes, 0, 100, UTF_8)).contains(".tar.gz");
    long size = Long.parseLong(new String(bytes, 124, 11, UTF_8).trim(), 8);
    bytes[(int) (512 + size / 2)] ^= 0x01;
    Files.write(tarball, bytes);

    Run run = run("push", tarball.toString(), "--to", "127.0.0.1:1/acme/web:1");

    assertThat(run.code()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains(tarball + ": blob sha256:", "does not match its digest", "nothing was pushed")
        .doesNotContain("internal error");
  }

  @Test
  void jsonFailuresAreOneObject() {
    Run run = run("push", "--to", "acme/web", "--output", "json");
    assertThat(run.code()).isEqualTo(2);
    assertThat(StrictJson.parseObject(run.out())).containsEntry("exitCode", 2L).containsKey("error");
  }

  @Test
  void helpHasExamplesAndEveryOption() {
    Run build = run("build-image", "--help");
    assertThat(build.out()).contains("Examples:", "--to=REF", "--from=REF|scratch|docker-archive:PATH", "--platform=OS/ARCH",
        "--layer=SRC[:DEST]", "--entrypoint=CMD", "--cmd=ARGS", "--env=KEY=VALUE", "--label=KEY=VALUE", "--port=N[/tcp|/udp]",
        "--user=USER[:GROUP]", "--working-directory=DIR", "--volume=DIR", "--format=docker|oci", "--tag=TAG",
        "--creation-time=TIME", "--tar=PATH", "--metadata-file=FILE", "--insecure-registry=HOST[:PORT]", "--retries=N");
    Run push = run("push", "--help");
    assertThat(push.out()).contains("Examples:", "TARBALL", "--from=REF", "--to=REF", "--tag=TAG", "--metadata-file=FILE",
        "--insecure-registry=HOST[:PORT]", "--retries=N");
    assertThat(run("bump-manifest", "--help").out()).contains("--from-metadata=FILE", "--pin-digest");
  }

  private static String tarEntry(Path tar, String name) throws Exception {
    Process p = new ProcessBuilder("tar", "-xOf", tar.toString(), name).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
