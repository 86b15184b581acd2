package dev.bumper.cli;

import static org.assertj.core.api.Assertions.fail;

import dev.bumper.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (the CNCF Distribution registry) on a free loopback port, with
 * its storage in a temp directory; optionally with TLS (a self-signed certificate made here with
 * openssl) and htpasswd authentication (bcrypt, made with {@code htpasswd}).
 */
final class TestRegistry implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;
  private final Path log;

  private TestRegistry(Process process, int port, Path dir, Path log) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.log = log;
  }

  /** A plain-HTTP registry without authentication. */
  static TestRegistry start(Path dir) throws Exception {
    return start(dir, null, null);
  }

  /**
   * A registry; with {@code user} and {@code password}, over TLS with a self-signed certificate
   * for 127.0.0.1 and with htpasswd authentication.
   */
  static TestRegistry start(Path dir, String user, String password) throws Exception {
    Files.createDirectories(dir);
    String security = "";
    if (user != null) {
      String htpasswd = run(dir, "htpasswd", "-Bbn", user, password);
      Path users = dir.resolve("htpasswd");
      Files.writeString(users, htpasswd.strip() + "\n");
      security = tls(dir) + "auth:\n  htpasswd:\n    realm: test\n    path: " + users + "\n";
    }
    return start(dir, security);
  }

  /**
   * A registry over TLS (self-signed) that takes Bearer tokens from {@code tokens}, as Docker Hub
   * and GHCR do.
   */
  static TestRegistry startWithTokens(Path dir, TokenServer tokens) throws Exception {
    Files.createDirectories(dir);
    return start(dir,
        tls(dir) + "auth:\n  token:\n    realm: " + tokens.realm() + "\n    service: " + TokenServer.SERVICE + "\n"
            + "    issuer: " + TokenServer.ISSUER + "\n    rootcertbundle: " + tokens.certificateFile(dir) + "\n");
  }

  /** A self-signed certificate for 127.0.0.1, made with openssl, as the registry's TLS settings. */
  private static String tls(Path dir) throws Exception {
    Path key = dir.resolve("key.pem");
    Path cert = dir.resolve("cert.pem");
    run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
        "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    return "  tls:\n    certificate: " + cert + "\n    key: " + key + "\n";
  }

  private static TestRegistry start(Path dir, String security) throws Exception {
    String binary = Tools.path("docker-registry");
    for (int tries = 1; ; tries++) {
      int port = TestProcesses.freePort();
      Path config = dir.resolve("config.yml");
      Files.writeString(
          config,
          "version: 0.1\n"
              + "log:\n  level: info\n  formatter: text\n"
              + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("storage") + "\n"
              + "  delete:\n    enabled: true\n"
              + "http:\n  addr: 127.0.0.1:" + port + "\n"
              + security);
      Path log = dir.resolve("registry-" + tries + ".log");
      ProcessBuilder pb = new ProcessBuilder(binary, "serve", config.toString());
      pb.environment().clear();
      pb.environment().put("PATH", "/usr/bin:/bin");
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process process = pb.start();
      if (TestProcesses.waitForPort(port, process, 20_000)) {
        return new TestRegistry(process, port, dir, log);
      }
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      if (tries == 3) {
        fail("docker-registry did not listen on 127.0.0.1:" + port + ": " + Files.readString(log));
      }
    }
  }

  int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}, as image references name it. */
  String host() {
    return "127.0.0.1:" + port;
  }

  Path certificate() {
    return dir.resolve("cert.pem");
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  static String run(Path dir, String... command) throws IOException, InterruptedException {
    return TestProcesses.run(dir, command);
  }
}
