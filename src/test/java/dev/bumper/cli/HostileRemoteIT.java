package dev.bumper.cli;

import static dev.bumper.cli.TestProcesses.git;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clone mode and in-memory mode against remotes that misbehave: a clone stopped by SIGTERM in
 * the middle of its checkout and run again with --push, a server that trickles a byte a second,
 * a tree whose entry names are not paths. Nothing is lost on the remote, every run ends in time
 * with a clear message, and none is an internal error.
 */
class HostileRemoteIT {
  /**
   * The size of the config repo whose interrupted clone lost all but 49 of its 20,001 files, less
   * a fifth: JGit checks 5,000 small files out in about a second here, a window a SIGTERM sent
   * at its first file lands in every time, and the loss needs only that some files are missing.
   */
  private static final int FILES = 5_000;

  @TempDir Path tmp;
  private RunOutputs outputs;

  @BeforeEach
  void keepOutputs() throws Exception {
    outputs = new RunOutputs(tmp);
  }

  @AfterEach
  void noRunPrintedAnInternalError() throws Exception {
    outputs.assertNoInternalError();
  }

  private JarProcess.Result jar(Path dir, String... args) throws Exception {
    return outputs.keep(new JarProcess(tmp).run(dir, args));
  }

  @Test
  void aCloneStoppedInItsCheckoutIsNeverCommittedAsDeletions() throws Exception {
    Path bare = bigRepository();
    String url = bare.toUri().toString();
    Random random = new Random(20_001);
    int interrupted = 0;
    for (int round = 0; round < 4 && interrupted < 2; round++) {
      Path clone = tmp.resolve("clone-" + round);
      Process cloning = outputs.start(new JarProcess(tmp)
          .builder(tmp, List.of("bump-manifest", "--repo", url, "-C", clone.toString(), "-i", "ghcr.io/acme/web:2.0")))
          .process();
      waitFor(clone.resolve("apps/team-000"), cloning);
      Thread.sleep(random.nextInt(200));
      cloning.destroy(); // SIGTERM, as a CI cancel or `timeout` sends
      assertThat(cloning.waitFor(60, TimeUnit.SECONDS)).isTrue();
      boolean complete = Files.exists(clone.resolve(".git/bumper/clone"));
      long written;
      try (var files = Files.walk(clone.resolve("apps"))) {
        written = files.filter(Files::isRegularFile).count();
      }

      JarProcess.Result again = jar(tmp,
          "bump-manifest", "--repo", url, "-C", clone.toString(), "-i", "ghcr.io/acme/web:2.0", "--push");

      assertThat(again.err()).doesNotContain("internal error");
      if (complete) {
        assertThat(again.code()).as(again.toString()).isZero();
      } else {
        interrupted++;
        assertThat(again.code()).as(again.toString()).isEqualTo(1);
        assertThat(again.err()).contains("holds an incomplete clone of " + url).contains("nothing was committed");
        // The same clone taken as a checkout, without --repo: by commit-push, with every new file,
        // and again once the index.lock the stopped checkout left is removed, as git advises.
        for (int i = 0; i < 2; i++) {
          JarProcess.Result commit = jar(tmp, "commit-push", "-C", clone.toString(), "--add-new");
          assertThat(commit.code()).as(commit.toString()).isEqualTo(1);
          assertThat(commit.err()).contains("is not a complete checkout").contains("nothing was committed")
              .doesNotContain("internal error");
          Files.deleteIfExists(clone.resolve(".git/index.lock"));
        }
        System.out.println("[HostileRemoteIT] round " + round + ": SIGTERM after " + written + " of " + FILES
            + " files were checked out; the reruns refused");
      }
      assertThat(git(tmp, "--git-dir=" + bare, "ls-tree", "-r", "--name-only", "main").lines().count())
          .as("round " + round + ": the remote keeps every file").isEqualTo(FILES);
    }
    assertThat(interrupted).as("SIGTERMs that landed in the checkout").isGreaterThanOrEqualTo(1);
    System.out.println("[HostileRemoteIT] " + interrupted + " clones of " + FILES + " files stopped in their checkout;"
        + " each rerun refused, the remote kept every file");
    git(tmp, "--git-dir=" + bare, "fsck", "--strict");
  }

  @Test
  void aServerThatTricklesEndsTheRunWithinTheTimeout() throws Exception {
    for (Trickler.Protocol protocol : Trickler.Protocol.values()) {
      try (Trickler server = new Trickler(protocol)) {
        String url = server.url("config.git");
        Path checkout = checkoutWithABump(protocol.name().toLowerCase(java.util.Locale.ROOT));
        git(checkout, "remote", "set-url", "origin", url);
        List<List<String>> commands = List.of(
            List.of("bump-manifest", "--repo", url, "--push", "-i", "ghcr.io/acme/web:2.0", "--timeout", "3"),
            List.of("bump-manifest", "--repo", url, "-C", tmp.resolve("clone-" + protocol).toString(), "-i",
                "ghcr.io/acme/web:2.0", "--timeout", "3"),
            List.of("commit-push", "-C", checkout.toString(), "--timeout", "3"));
        for (List<String> command : commands) {
          server.reset();
          JarProcess.Result run = outputs.keep(new JarProcess(tmp).timeoutSeconds(60).run(tmp, command));
          long sinceFirstByteAsked = System.currentTimeMillis() - server.firstConnection();

          assertThat(server.firstConnection()).as("the server was asked").isPositive();
          assertThat(run.code()).as(run.toString()).isEqualTo(1);
          assertThat(run.err()).contains("did not finish within --timeout 3 s").doesNotContain("internal error");
          // The JVM's own exit is in the measured time too; the bound is the deadline plus a second.
          assertThat(sinceFirstByteAsked).as(protocol + " " + command + ": " + run).isLessThanOrEqualTo(4_000);
          if (command.contains("-C") && command.contains("--repo")) {
            assertThat(tmp.resolve("clone-" + protocol + "/.git/bumper/checkout"))
                .as("a clone cut short in its fetch is left marked unfinished").isRegularFile();
          }
          System.out.println("[HostileRemoteIT] " + protocol + " trickle, " + command.get(0)
              + (command.contains("--repo") ? command.contains("-C") ? " (clone)" : " (in memory)" : " (push)")
              + ": ended " + sinceFirstByteAsked + " ms after its first connection, --timeout 3");
        }
        // The push that ran out of time lost nothing: to the real remote, the bump lands once.
        git(checkout, "remote", "set-url", "origin", tmp.resolve("checkout-" + protocol.name().toLowerCase(java.util.Locale.ROOT) + ".git").toString());
        JarProcess.Result again = jar(checkout, "commit-push", "-C", checkout.toString());
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(git(checkout, "log", "--format=%s", "origin/main").lines().filter(l -> l.endsWith("-> 2.0")))
            .hasSize(1);
        assertThat(git(checkout, "status", "--porcelain")).isEmpty();
      }
    }
  }

  @Test
  void aTreeEntryWithAnEmptyOrSlashedNameIsRefusedNamingIt() throws Exception {
    try (HostileDaemon daemon = new HostileDaemon(tmp)) {
      int n = 0;
      for (String name : List.of("apps/web.yaml", "")) {
        Path bare = tmp.resolve("hostile-" + n + ".git");
        String commit = hostileRepository(bare, name, null);
        String shown = name.isEmpty() ? "'' (an empty name)" : "'" + name + "'";
        // git's own server sends a name with a slash but refuses to pack an empty one; JGit's
        // sends any, as a hostile server would.
        List<String> urls = name.isEmpty()
            ? List.of(daemon.url(bare.getFileName().toString()))
            : List.of(bare.toUri().toString(), daemon.url(bare.getFileName().toString()));
        for (String url : urls) {
          Path clone = tmp.resolve("clone-" + n++);
          JarProcess.Result inMemory = jar(tmp,
              "bump-manifest", "--repo", url, "--push", "-i", "ghcr.io/acme/web:2.0");
          JarProcess.Result cloned = jar(tmp,
              "bump-manifest", "--repo", url, "-C", clone.toString(), "-i", "ghcr.io/acme/web:2.0");

          for (JarProcess.Result run : List.of(inMemory, cloned)) {
            assertThat(run.code()).as(url + ": " + run).isEqualTo(1);
            assertThat(run.err()).as(url).contains("has an entry named " + shown + ", which git refuses")
                .doesNotContain("internal error");
          }
          assertThat(git(tmp, "--git-dir=" + bare, "rev-parse", "main").strip()).as("nothing pushed").isEqualTo(commit);
          assertThat(clone).doesNotExist();
        }
        // An empty name served by git itself: the server refuses, and the run says so plainly.
        if (name.isEmpty()) {
          JarProcess.Result refused = jar(tmp,
              "bump-manifest", "--repo", bare.toUri().toString(), "--push", "-i", "ghcr.io/acme/web:2.0");
          assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
          assertThat(refused.err()).contains("corruption").doesNotContain("internal error");
        }
      }
    }
  }

  /**
   * A tree of a few hundred bytes that lists 10^8 files, each directory naming one subtree ten
   * times (a "git bomb"): git fsck and git's server accept it; bumper refuses it at once, before
   * listing it in memory or checking it out.
   */
  @Test
  void aGitBombIsRefusedBeforeItIsListedOrCheckedOut() throws Exception {
    Path bare = tmp.resolve("bomb.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    String id = hashObject(bare, "blob", "image: ghcr.io/acme/web:1.0\n".getBytes(UTF_8));
    String mode = "100644";
    for (int level = 0; level < 8; level++) {
      ByteArrayOutputStream tree = new ByteArrayOutputStream();
      for (int i = 0; i < 10; i++) {
        tree.write((mode + " " + (level == 0 ? "f" : "d") + i + (level == 0 ? ".yaml" : "") + "\0").getBytes(UTF_8));
        tree.write(HexFormat.of().parseHex(id));
      }
      id = hashObject(bare, "tree", tree.toByteArray());
      mode = "40000";
    }
    String commit = git(tmp, "--git-dir=" + bare, "-c", "user.name=a", "-c", "user.email=a@example.com",
        "commit-tree", id, "-m", "bomb").strip();
    git(tmp, "--git-dir=" + bare, "update-ref", "refs/heads/main", commit);
    git(tmp, "--git-dir=" + bare, "fsck", "--strict");
    Path clone = tmp.resolve("bomb-clone");

    JarProcess.Result inMemory = jar(tmp,
        "bump-manifest", "--repo", bare.toUri().toString(), "--push", "-i", "ghcr.io/acme/web:2.0");
    JarProcess.Result cloned = jar(tmp,
        "bump-manifest", "--repo", bare.toUri().toString(), "-C", clone.toString(), "-i", "ghcr.io/acme/web:2.0");

    for (JarProcess.Result run : List.of(inMemory, cloned)) {
      assertThat(run.code()).as(run.toString()).isEqualTo(1);
      assertThat(run.err()).as(run.toString())
          .contains("bytes of distinct trees: subtrees named over and over (a \"git bomb\"), or nested far deeper"
              + " than a config repo's, which bumper refuses to expand");
    }
    assertThat(git(tmp, "--git-dir=" + bare, "rev-parse", "main").strip()).as("nothing pushed").isEqualTo(commit);
    assertThat(clone).doesNotExist();
  }

  @Test
  void aCheckoutWhoseRemoteMovedToAHostileTreePushesNothing() throws Exception {
    try (HostileDaemon daemon = new HostileDaemon(tmp)) {
      Path checkout = checkoutWithABump("moved");
      Path bare = tmp.resolve("checkout-moved.git");
      String base = git(tmp, "--git-dir=" + bare, "rev-parse", "main").strip();
      String hostile = hostileRepository(bare, "", base);
      git(checkout, "remote", "set-url", "origin", daemon.url(bare.getFileName().toString()));

      JarProcess.Result run = jar(checkout, "commit-push", "-C", checkout.toString());

      assertThat(run.code()).as(run.toString()).isEqualTo(1);
      assertThat(run.err()).contains("has an entry named '' (an empty name), which git refuses")
          .doesNotContain("internal error");
      assertThat(git(tmp, "--git-dir=" + bare, "rev-parse", "main").strip()).as("nothing pushed").isEqualTo(hostile);
    }
  }

  /**
   * A bare repository {@code checkout-NAME.git} with a manifest, and a clone of it in
   * {@code checkout-NAME} where bumper has set ghcr.io/acme/web:2.0, not yet committed.
   */
  private Path checkoutWithABump(String name) throws Exception {
    Path bare = tmp.resolve("checkout-" + name + ".git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    Path checkout = tmp.resolve("checkout-" + name);
    git(tmp, "clone", "-q", bare.toString(), checkout.toString());
    Files.writeString(checkout.resolve("deploy.yaml"), "image: ghcr.io/acme/web:1.0\n");
    git(checkout, "add", "deploy.yaml");
    git(checkout, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-q", "-m", "init");
    git(checkout, "push", "-q", "origin", "main");
    JarProcess.Result bump = jar(checkout, "bump-manifest", "-i", "ghcr.io/acme/web:2.0");
    assertThat(bump.code()).as(bump.toString()).isZero();
    return checkout;
  }

  /**
   * Makes {@code main} of {@code bare} (created when {@code parent} is null) a commit whose tree
   * has a manifest and an entry named {@code name}, which git never writes; returns the commit.
   */
  private String hostileRepository(Path bare, String name, String parent) throws Exception {
    if (parent == null) {
      git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    }
    String blob = hashObject(bare, "blob", "image: ghcr.io/acme/web:1.0\n".getBytes(UTF_8));
    // Entries in git's order: an empty name first, "apps/web.yaml" before "deploy.yaml".
    ByteArrayOutputStream tree = new ByteArrayOutputStream();
    tree.write(("100644 " + name + "\0").getBytes(UTF_8));
    tree.write(HexFormat.of().parseHex(blob));
    tree.write("100644 deploy.yaml\0".getBytes(UTF_8));
    tree.write(HexFormat.of().parseHex(blob));
    String treeId = hashObject(bare, "tree", tree.toByteArray());
    List<String> commitTree = new ArrayList<>(List.of("--git-dir=" + bare, "-c", "user.name=a", "-c",
        "user.email=a@example.com", "commit-tree", treeId, "-m", "hostile"));
    if (parent != null) {
      commitTree.addAll(List.of("-p", parent));
    }
    String commit = git(tmp, commitTree.toArray(new String[0])).strip();
    git(tmp, "--git-dir=" + bare, "update-ref", "refs/heads/main", commit);
    return commit;
  }

  /** A repository of {@link #FILES} manifests in 200 directories, one commit, made by fast-import. */
  private Path bigRepository() throws Exception {
    Path bare = tmp.resolve("big.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
    StringBuilder stream = new StringBuilder(
        "commit refs/heads/main\ncommitter Seed <seed@example.com> 1700000000 +0000\ndata 5\nseed\n");
    for (int i = 0; i < FILES; i++) {
      String image = i % 1_000 == 7 ? "ghcr.io/acme/web:1.0" : "registry.example.com/team/app-" + i + ":1.0";
      String content = "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: main\n"
          + "          image: " + image + "\n";
      stream.append("M 100644 inline apps/team-%03d/deploy-%03d.yaml\ndata %d\n%s\n"
          .formatted(i / 100, i % 100, content.getBytes(UTF_8).length, content));
    }
    Process importer = new ProcessBuilder("git", "--git-dir=" + bare, "fast-import", "--quiet")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (OutputStream in = importer.getOutputStream()) {
      in.write(stream.toString().getBytes(UTF_8));
    }
    assertThat(importer.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(importer.exitValue()).isZero();
    return bare;
  }

  private String hashObject(Path bare, String type, byte[] content) throws Exception {
    Process p = new ProcessBuilder("git", "--git-dir=" + bare, "hash-object", "-t", type, "--literally", "-w", "--stdin")
        .start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(content);
    }
    String id = new String(p.getInputStream().readAllBytes(), UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return id;
  }

  private static void waitFor(Path file, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(file)) {
      assertThat(process.isAlive()).as("the clone is still running when " + file + " appears").isTrue();
      assertThat(System.nanoTime() < deadline).as(file + " appeared").isTrue();
      Thread.sleep(5);
    }
  }

  /**
   * A git server that never checks what it sends: JGit's own daemon, {@code git://} on loopback,
   * serving the bare repositories of a directory, pushes allowed. git's own servers refuse to pack
   * a tree with an empty name; a hostile or broken server need not.
   */
  private static final class HostileDaemon implements AutoCloseable {
    private final org.eclipse.jgit.transport.Daemon daemon =
        new org.eclipse.jgit.transport.Daemon(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

    HostileDaemon(Path root) throws Exception {
      daemon.setRepositoryResolver((client, name) -> {
        Path dir = root.resolve(name).normalize();
        if (!dir.startsWith(root) || !Files.isDirectory(dir)) {
          throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name);
        }
        try {
          return new org.eclipse.jgit.storage.file.FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true)
              .build();
        } catch (java.io.IOException e) {
          throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name, e);
        }
      });
      daemon.getService("git-receive-pack").setEnabled(true);
      daemon.start();
    }

    String url(String repository) {
      return "git://127.0.0.1:" + daemon.getAddress().getPort() + "/" + repository;
    }

    @Override
    public void close() {
      daemon.stop();
    }
  }

  /**
   * A git server that answers a client's first request with a valid start, then one byte a
   * second, forever: a read timeout never fires against it. Over HTTP it begins the smart
   * protocol's answer for the service asked; over {@code git://} (git daemon's protocol) it
   * begins a packet line 65,520 bytes long.
   */
  private static final class Trickler implements AutoCloseable {
    enum Protocol { HTTP, GIT }

    private final Protocol protocol;
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicLong first = new AtomicLong();
    private final List<Socket> clients = new ArrayList<>();
    private final Thread acceptor = new Thread(this::accept, "trickler");

    Trickler(Protocol protocol) throws Exception {
      this.protocol = protocol;
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url(String repository) {
      return (protocol == Protocol.HTTP ? "http" : "git") + "://127.0.0.1:" + socket.getLocalPort() + "/" + repository;
    }

    long firstConnection() {
      return first.get();
    }

    void reset() {
      first.set(0);
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket client = socket.accept();
          first.compareAndSet(0, System.currentTimeMillis());
          synchronized (clients) {
            clients.add(client);
          }
          Thread serve = new Thread(() -> trickle(client), "trickle");
          serve.setDaemon(true);
          serve.start();
        } catch (Exception e) {
          return;
        }
      }
    }

    private void trickle(Socket client) {
      try (client) {
        byte[] start;
        byte[] endless;
        if (protocol == Protocol.HTTP) {
          BufferedReader request = new BufferedReader(new InputStreamReader(client.getInputStream(), UTF_8));
          String requestLine = request.readLine();
          for (String line = requestLine; line != null && !line.isEmpty(); line = request.readLine()) {
            // the request's headers, read and ignored
          }
          String service = requestLine != null && requestLine.contains("git-receive-pack")
              ? "git-receive-pack" : "git-upload-pack";
          start = ("HTTP/1.1 200 OK\r\nContent-Type: application/x-" + service + "-advertisement\r\n"
              + "Cache-Control: no-cache\r\n\r\n").getBytes(UTF_8);
          String announce = "# service=" + service + "\n";
          endless = ("%04x".formatted(announce.length() + 4) + announce + "0000").getBytes(UTF_8);
        } else {
          // git daemon's request: one packet line, "git-upload-pack /config.git\0host=...\0"
          byte[] length = client.getInputStream().readNBytes(4);
          client.getInputStream().readNBytes(Integer.parseInt(new String(length, UTF_8), 16) - 4);
          start = "fff0".getBytes(UTF_8);
          endless = "0".getBytes(UTF_8);
        }
        OutputStream out = client.getOutputStream();
        out.write(start);
        out.flush();
        for (int i = 0; ; i++) {
          out.write(endless[i % endless.length]);
          out.flush();
          Thread.sleep(1_000);
        }
      } catch (Exception e) {
        // the client went away
      }
    }

    @Override
    public void close() throws Exception {
      socket.close();
      synchronized (clients) {
        for (Socket client : clients) {
          client.close();
        }
      }
    }
  }
}
