package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged jar ({@code java -jar target/bumper.jar}) as a separate process: memory and
 * nesting limits that an in-process test cannot show, and the launcher's own output.
 */
class BumpManifestIT {

  private static final String IMAGE = "ghcr.io/acme/web";
  private static final long TIMEOUT_SECONDS = 120;

  private static Path jar;

  @TempDir Path tmp;

  @BeforeAll
  static void findJar() {
    String property = System.getProperty("bumper.jar");
    if (property == null || property.isBlank()) {
      fail("system property bumper.jar is not set; run through 'mvn verify' (failsafe sets it)");
    }
    jar = Path.of(property);
    if (!Files.isRegularFile(jar)) {
      fail("the packaged jar " + jar + " does not exist; run 'mvn package' first");
    }
  }

  // ---- a. A 50 MB file under -Xmx256m

  @Test
  void fiftyMegabyteFileUnderASmallHeapEndsCleanly() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("big"));
    Path file = root.resolve("big.yaml");
    BigFile big = writeBigFile(file, 50L * 1024 * 1024, IMAGE + ":1.4.1", IMAGE + ":1.4.2");

    Result r = java(root, List.of("-Xmx256m"), "bump-manifest", "-i", IMAGE + ":1.4.2");

    System.out.printf(
        "[BumpManifestIT] 50 MB file (%d bytes, %d documents), -Xmx256m: exit %d in %d ms%n"
            + "  stdout: %s%n  stderr: %s%n",
        big.bytes, big.documents, r.code, r.millis, r.out.strip(), r.err.strip());
    assertNoCrash(r);
    if (r.code == 0) {
      assertThat(r.out)
          .contains("big.yaml:" + big.imageLine + ": " + IMAGE + ":1.4.1 -> " + IMAGE + ":1.4.2")
          .contains("1 image updated in 1 file (1 file scanned)");
      assertThat(sha256(file)).as("the file holds exactly the one change").isEqualTo(big.expectedSha256);
    } else {
      assertThat(r.code).as(r.toString()).isIn(1, 4);
      assertThat(r.err).as(r.toString()).contains("big.yaml").contains("nothing written");
      assertThat(sha256(file)).as("a failed run leaves the file as it was").isEqualTo(big.originalSha256);
      assertNoTempFiles(root);
    }
  }

  // ---- b. An alias bomb

  @Test
  void aliasBombEndsCleanly() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("bomb"));
    StringBuilder yaml = new StringBuilder();
    yaml.append("a: &a [").append(String.join(", ", repeat("\"lol\"", 9))).append("]\n");
    char previous = 'a';
    for (char c = 'b'; c <= 'i'; c++) {
      yaml.append(c).append(": &").append(c).append(" [")
          .append(String.join(", ", repeat("*" + previous, 9))).append("]\n");
      previous = c;
    }
    yaml.append("spec:\n  template:\n    spec:\n      containers:\n        - name: web\n")
        .append("          image: ").append(IMAGE).append(":1.4.1\n")
        .append("          args: *i\n");
    String text = yaml.toString();
    Path file = root.resolve("bomb.yaml");
    Files.writeString(file, text, UTF_8);

    Result r = java(root, List.of("-Xmx256m"), "bump-manifest", "-i", IMAGE + ":1.4.2");

    System.out.printf("[BumpManifestIT] alias bomb: exit %d in %d ms%n  stderr: %s%n", r.code, r.millis, r.err.strip());
    assertNoCrash(r);
    assertThat(r.code).as(r.toString()).isIn(0, 4);
    if (r.code == 0) {
      assertThat(file).hasContent(text.replace(IMAGE + ":1.4.1", IMAGE + ":1.4.2"));
    } else {
      assertThat(r.err).containsPattern("(?m)^bomb\\.yaml(:\\d+)*: \\S");
      assertThat(file).hasContent(text);
    }
  }

  // ---- c. Deep nesting

  @Test
  void hundredThousandNestedFlowSequencesEndCleanly() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("deepflow"));
    String text =
        "spec:\n  containers:\n    - name: web\n      image: " + IMAGE + ":1.4.1\n"
            + "x: " + "[".repeat(100_000) + IMAGE + ":1.4.1" + "]".repeat(100_000) + "\n";
    Path file = root.resolve("deep.yaml");
    Files.writeString(file, text, UTF_8);

    Result r = java(root, List.of("-Xmx256m"), "bump-manifest", "-i", IMAGE + ":1.4.2");

    System.out.printf("[BumpManifestIT] 100,000 nested [: exit %d in %d ms%n  stderr: %s%n", r.code, r.millis, r.err.strip());
    assertDeepResult(r, file, text, "deep.yaml", 4);
  }

  @Test
  void fiveThousandNestedBlockMappingsEndCleanly() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("deepblock"));
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      yaml.append(" ".repeat(i)).append("k").append(i).append(":\n");
    }
    // a workload at the bottom: an image 5,000 mappings deep
    String indent = " ".repeat(5_000);
    yaml.append(indent).append("containers:\n")
        .append(indent).append("  - name: web\n")
        .append(indent).append("    image: ").append(IMAGE).append(":1.4.1\n");
    String text = yaml.toString();
    Path file = root.resolve("deep.yaml");
    Files.writeString(file, text, UTF_8);

    Result r = java(root, List.of("-Xmx256m"), "bump-manifest", "-i", IMAGE + ":1.4.2");

    System.out.printf("[BumpManifestIT] 5,000 nested mappings: exit %d in %d ms%n  stderr: %s%n", r.code, r.millis, r.err.strip());
    assertDeepResult(r, file, text, "deep.yaml", 5_003);
  }

  private static void assertDeepResult(Result r, Path file, String text, String name, int imageLine)
      throws IOException {
    assertNoCrash(r);
    assertThat(r.code).as(r.toString()).isIn(0, 4);
    if (r.code == 0) {
      assertThat(r.out).contains(name + ":" + imageLine + ": " + IMAGE + ":1.4.1 -> " + IMAGE + ":1.4.2");
      // only the image of the container changes, not the text elsewhere
      int at = text.indexOf("image: " + IMAGE + ":1.4.1") + "image: ".length();
      String expected = text.substring(0, at) + IMAGE + ":1.4.2" + text.substring(at + (IMAGE + ":1.4.1").length());
      assertThat(Files.readString(file)).isEqualTo(expected);
    } else {
      assertThat(r.err).containsPattern("(?m)^" + name.replace(".", "\\.") + "(:\\d+)*: \\S");
      assertThat(file).hasContent(text);
    }
  }

  // ---- d. --version and --help

  @Test
  void versionPrintsBumperAndTheVersion() throws Exception {
    Result r = java(tmp, List.of(), "--version");

    assertThat(r.code).as(r.toString()).isZero();
    assertThat(r.out.lines().findFirst()).hasValueSatisfying(
        line -> assertThat(line).matches("bumper \\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?"));
    assertThat(r.err).isEmpty();
  }

  @Test
  void helpShowsCommandsAndExamples() throws Exception {
    Result r = java(tmp, List.of(), "--help");

    assertThat(r.code).as(r.toString()).isZero();
    assertThat(r.out).contains("Usage: bumper").contains("bump-manifest").contains("Examples:")
        .contains("bumper bump-manifest ");
    assertThat(r.err).isEmpty();
  }

  @Test
  void bumpManifestHelpShowsOptionsAndExamples() throws Exception {
    Result r = java(tmp, List.of(), "bump-manifest", "--help");

    assertThat(r.code).as(r.toString()).isZero();
    assertThat(r.out)
        .contains("Usage: bumper bump-manifest")
        .contains("--image")
        .contains("--set")
        .contains("--policy")
        .contains("--dry-run")
        .contains("Examples:")
        .contains("bumper bump-manifest -C config -i ghcr.io/acme/web:1.4.2 --dry-run");
    assertThat(r.err).isEmpty();
  }

  @Test
  void theJarBumpsAFileAndExitsWithTheDocumentedCodes() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("small"));
    Path file = root.resolve("pod.yaml");
    Files.writeString(file, "spec:\n  containers:\n    - name: web\n      image: " + IMAGE + ":1.0\n");

    Result ok = java(root, List.of(), "bump-manifest", "-i", IMAGE + ":2.0");
    Result noMatch = java(root, List.of(), "bump-manifest", "-i", "nginx:1.27");
    Result usage = java(root, List.of(), "bump-manifest", "-i", "Not A Ref");

    assertThat(ok.code).as(ok.toString()).isZero();
    assertThat(ok.out).isEqualTo("pod.yaml:4: " + IMAGE + ":1.0 -> " + IMAGE + ":2.0\n"
        + "1 image updated in 1 file (1 file scanned)\n");
    assertThat(file).hasContent("spec:\n  containers:\n    - name: web\n      image: " + IMAGE + ":2.0\n");
    assertThat(noMatch.code).as(noMatch.toString()).isEqualTo(3);
    assertThat(usage.code).as(usage.toString()).isEqualTo(2);
    assertThat(usage.out).isEmpty();
    assertNoCrash(usage);
  }

  // ---- Helpers

  record Result(int code, String out, String err, long millis) {
    @Override
    public String toString() {
      return "exit " + code + " after " + millis + " ms\n--- stdout:\n" + abbreviate(out) + "\n--- stderr:\n" + abbreviate(err);
    }

    private static String abbreviate(String s) {
      return s.length() > 4000 ? s.substring(0, 4000) + "...(" + s.length() + " chars)" : s;
    }
  }

  private Result java(Path dir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.addAll(Arrays.asList(args));
    Path out = Files.createTempFile(tmp, "stdout", ".txt");
    Path err = Files.createTempFile(tmp, "stderr", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("NO_COLOR", "1");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    long start = System.nanoTime();
    Process process = pb.start();
    boolean ended = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (!ended) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("bumper " + String.join(" ", args) + " did not end within " + TIMEOUT_SECONDS + " s; stderr:\n"
          + Files.readString(err));
    }
    Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err), millis);
    Files.delete(out);
    Files.delete(err);
    return result;
  }

  private static void assertNoCrash(Result r) {
    assertThat(r.err)
        .as(r.toString())
        .doesNotContain("OutOfMemoryError")
        .doesNotContain("StackOverflowError")
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("internal error");
    assertThat(r.code).as(r.toString()).isBetween(0, 5);
  }

  private static void assertNoTempFiles(Path root) throws IOException {
    try (var all = Files.walk(root)) {
      assertThat(all.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\..*\\.bumper-.*\\.tmp")))
          .as("temp files left behind")
          .isEmpty();
    }
  }

  private static List<String> repeat(String s, int n) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(s);
    }
    return list;
  }

  record BigFile(long bytes, int documents, int imageLine, String originalSha256, String expectedSha256) {}

  /**
   * Writes Deployment documents until {@code size} bytes; the one in the middle uses {@code old}.
   * Returns the SHA-256 of the file and of the file with {@code old} replaced by {@code now}.
   */
  private static BigFile writeBigFile(Path file, long size, String old, String now)
      throws IOException, NoSuchAlgorithmException {
    MessageDigest original = MessageDigest.getInstance("SHA-256");
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    String template =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app-%1$d
          labels:
            app.kubernetes.io/name: app-%1$d
        spec:
          replicas: 2
          selector:
            matchLabels:
              app.kubernetes.io/name: app-%1$d
          template:
            metadata:
              labels:
                app.kubernetes.io/name: app-%1$d
            spec:
              containers:
                - name: main
                  image: %2$s
                  ports:
                    - containerPort: 8080
                  env:
                    - name: LOG_LEVEL
                      value: "info"
        ---
        """;
    int linesPerDoc = (int) template.lines().count();
    int imageLineInDoc = 19;
    long approxDocs = size / template.formatted(0, "registry.example.com/team/app-0:1.0.0").length();
    int target = (int) (approxDocs / 2);
    long written = 0;
    int documents = 0;
    int imageLine = -1;
    try (BufferedWriter out = Files.newBufferedWriter(file, UTF_8)) {
      while (written < size) {
        boolean ours = documents == target;
        String image = ours ? old : "registry.example.com/team/app-" + documents + ":1.0." + documents;
        String doc = template.formatted(documents, image);
        byte[] bytes = doc.getBytes(UTF_8);
        original.update(bytes);
        expected.update(ours ? template.formatted(documents, now).getBytes(UTF_8) : bytes);
        out.write(doc);
        if (ours) {
          imageLine = documents * linesPerDoc + imageLineInDoc;
        }
        written += bytes.length;
        documents++;
      }
    }
    assertThat(imageLine).isPositive();
    try (Stream<String> lines = Files.lines(file, UTF_8)) {
      assertThat(lines.skip(imageLine - 1L).findFirst()).hasValue("          image: " + old);
    }
    HexFormat hex = HexFormat.of();
    return new BigFile(written, documents, imageLine, hex.formatHex(original.digest()), hex.formatHex(expected.digest()));
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
