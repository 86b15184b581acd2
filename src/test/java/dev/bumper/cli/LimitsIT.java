package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.TestSize;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs at the limits, through the packaged jar under a small heap: a file too large for the heap
 * (24 MB under 64 MB of heap; 100 MB under 256 MB in the full-size run), a tree of 20,000 files
 * in 32 MB of heap (100,000 in 128 MB), aliases to a large collection, a collection too large for
 * the heap, deep nesting in a kustomization. Each run either succeeds or ends with a clear message and nothing written;
 * never an OutOfMemoryError or StackOverflowError trace. (BumpManifestIT has a 50 MB file, an
 * alias bomb and deep nesting in manifests.)
 */
class LimitsIT {
  private static final String IMAGE = "ghcr.io/acme/web";
  private static final int FILE_MEGABYTES = TestSize.pick(24, 100);
  private static final String TOO_SMALL_HEAP = TestSize.full() ? "-Xmx256m" : "-Xmx64m";
  private static final String LARGE_ENOUGH_HEAP = TestSize.full() ? "-Xmx1200m" : "-Xmx400m";
  /** The document that uses the image: its image is line 11 * TARGET + 10 of the file. */
  private static final int TARGET = 50_000;
  private static final int TREE_DIRS = TestSize.pick(200, 1_000);
  private static final String TREE_HEAP = TestSize.full() ? "-Xmx128m" : "-Xmx32m";

  @TempDir Path tmp;

  @Test
  void aLargeFileFailsCleanlyInASmallHeapAndIsBumpedInALargerOne() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("big"));
    Path file = root.resolve("big.yaml");
    long bytes;
    try (BufferedWriter out = Files.newBufferedWriter(file, UTF_8)) {
      bytes = 0;
      for (int i = 0; bytes < FILE_MEGABYTES * 1024L * 1024; i++) {
        String image = i == TARGET ? IMAGE + ":1.0" : "registry.example.com/team/app-" + i + ":1.0." + i;
        String doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-" + i + "\nspec:\n  template:\n"
            + "    spec:\n      containers:\n        - name: main\n          image: " + image + "\n---\n";
        out.write(doc);
        bytes += doc.length();
      }
    }
    String original = sha256(file);

    JarProcess.Result small = new JarProcess(tmp).jvm(TOO_SMALL_HEAP).run(root, "bump-manifest", "-i", IMAGE + ":2.0");

    assertClean(small);
    assertThat(small.code()).as(small.toString()).isEqualTo(1);
    assertThat(small.err()).as(small.toString())
        .contains("big.yaml: too large to edit in the memory available").contains("nothing written");
    assertThat(sha256(file)).isEqualTo(original);
    assertNoTempFiles(root);

    JarProcess.Result large = new JarProcess(tmp).jvm(LARGE_ENOUGH_HEAP).run(root, "bump-manifest", "-i", IMAGE + ":2.0");

    assertClean(large);
    assertThat(large.code()).as(large.toString()).isZero();
    assertThat(large.out()).contains("big.yaml:" + (11 * TARGET + 10) + ": " + IMAGE + ":1.0 -> " + IMAGE + ":2.0");
    System.out.printf("[LimitsIT] %d-byte file: %s exit %d in %d ms, %s exit %d in %d ms%n",
        bytes, TOO_SMALL_HEAP, small.code(), small.millis(), LARGE_ENOUGH_HEAP, large.code(), large.millis());
  }

  @Test
  void aTreeOfManyFilesInASmallHeap() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree"));
    int files = 0;
    for (int d = 0; d < TREE_DIRS; d++) {
      Path dir = Files.createDirectories(root.resolve("apps/team-%04d".formatted(d)));
      for (int f = 0; f < 100; f++, files++) {
        String image = files % 1_000 == 7 ? IMAGE + ":1.0" : "registry.example.com/team/app-" + files + ":1.0";
        Files.writeString(dir.resolve("deploy-%03d.yaml".formatted(f)),
            "kind: Deployment\nmetadata:\n  name: app-" + files + "\nspec:\n  template:\n    spec:\n"
                + "      containers:\n        - name: main\n          image: " + image + "\n");
      }
    }

    JarProcess.Result run = new JarProcess(tmp).jvm(TREE_HEAP).run(root, "bump-manifest", "-i", IMAGE + ":2.0");

    assertClean(run);
    assertThat(run.code()).as(run.toString()).isZero();
    int targets = files / 1_000;
    assertThat(run.out()).endsWith(targets + " images updated in " + targets + " files (" + files + " files scanned)\n");
    String lastDir = "apps/team-%04d/".formatted(TREE_DIRS - 10);
    int firstOfLastDir = (TREE_DIRS - 10) * 100;
    assertThat(root.resolve(lastDir + "deploy-007.yaml")).content().contains(IMAGE + ":2.0");
    assertThat(root.resolve(lastDir + "deploy-008.yaml")).content().contains("app-" + (firstOfLastDir + 8) + ":1.0");
    System.out.printf("[LimitsIT] %d files, %s: exit %d in %d ms%n", files, TREE_HEAP, run.code(), run.millis());
  }

  @Test
  void aliasesToALargeCollectionCostNothingUpToTheCapAndAreRefusedPastIt() throws Exception {
    String big = "big: &big [" + String.join(", ", java.util.Collections.nCopies(50_000, "item")) + "]\n";
    String values = "image:\n  repository: " + IMAGE + "\n  tag: \"1.0\"\n";
    Path underCap = Files.createDirectories(tmp.resolve("under"));
    Path overCap = Files.createDirectories(tmp.resolve("over"));
    Files.writeString(underCap.resolve("values.yaml"), big + copies(999) + values);
    Files.writeString(overCap.resolve("values.yaml"), big + copies(1_001) + values);
    String over = Files.readString(overCap.resolve("values.yaml"));

    JarProcess.Result under = new JarProcess(tmp).jvm("-Xmx128m").run(underCap, "bump-manifest", "-i", IMAGE + ":2.0");
    JarProcess.Result refused = new JarProcess(tmp).jvm("-Xmx128m").run(overCap, "bump-manifest", "-i", IMAGE + ":2.0");

    assertClean(under);
    assertThat(under.code()).as(under.toString()).isZero();
    assertThat(underCap.resolve("values.yaml")).content().endsWith("  tag: \"2.0\"\n");
    assertClean(refused);
    assertThat(refused.code()).as(refused.toString()).isEqualTo(4);
    assertThat(refused.err()).contains("values.yaml: not valid YAML: Number of aliases for non-scalar nodes exceeds");
    assertThat(overCap.resolve("values.yaml")).hasContent(over);
  }

  @Test
  void aCollectionTooLargeForTheHeapIsAClearFailure() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("huge"));
    StringBuilder yaml = new StringBuilder("items:\n");
    for (int i = 0; i < 1_000_000; i++) {
      yaml.append("- item-").append(i).append('\n');
    }
    yaml.append("image:\n  repository: ").append(IMAGE).append("\n  tag: \"1.0\"\n");
    Files.writeString(root.resolve("values.yaml"), yaml);

    JarProcess.Result run = new JarProcess(tmp).jvm("-Xmx128m").run(root, "bump-manifest", "-i", IMAGE + ":2.0");

    assertClean(run);
    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("values.yaml: too large to edit in the memory available").contains("nothing written");
    assertThat(root.resolve("values.yaml")).hasContent(yaml.toString());
  }

  @Test
  void deepNestingInAKustomizationIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("kustomize"));
    String text = "images:\n- name: web\n  newTag: \"1.0\"\nx: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
    Files.writeString(dir.resolve("kustomization.yaml"), text);

    JarProcess.Result run = new JarProcess(tmp).jvm("-Xmx256m").run(dir, "kustomize-set-image", "web:2.0");

    assertClean(run);
    assertThat(run.code()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains("kustomization.yaml").contains("nesting too deep");
    assertThat(dir.resolve("kustomization.yaml")).hasContent(text);
  }

  private static String copies(int n) {
    StringBuilder yaml = new StringBuilder("copies:\n");
    for (int i = 0; i < n; i++) {
      yaml.append("  c").append(i).append(": *big\n");
    }
    return yaml.toString();
  }

  private static void assertClean(JarProcess.Result run) {
    assertThat(run.out() + run.err()).as(run.toString()).doesNotContainPattern(DamagedCorpus.CRASH)
        .doesNotContain("OutOfMemoryError").doesNotContain("StackOverflowError");
  }

  private static void assertNoTempFiles(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.filter(dev.bumper.io.AtomicFiles::isTempFile)).isEmpty();
    }
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
