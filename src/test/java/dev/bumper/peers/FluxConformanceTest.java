package dev.bumper.peers;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.bumper.TestData;
import dev.bumper.cli.Main;
import dev.bumper.io.JsonReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Flux image-automation-controller's own test data (src/test/data/peers/flux-image-automation;
 * SOURCES.md names the commit and the Go test of each case) run through {@code bump-manifest}, as a
 * user moving from Flux would run it: the input tree is copied to a temp directory as Flux keeps it
 * (its dangling symlink too), bumper runs in-process, and every entry of the tree is then compared
 * with Flux's expected files. By bytes where bumper and Flux agree; by parsed YAML where Flux's
 * expected file was re-indented by its YAML library, which bumper on purpose never does; and where
 * bumper's answer differs on purpose, bumper's own behaviour, with the reason in DIVERGENCES.md.
 */
class FluxConformanceTest {
  /** The digest of Flux's TestUpdateWithSetters policy-with-digest. */
  private static final String DIGEST =
      "sha256:6745aaad46d795c9836632e1fb62f24b7e7f4c843144da8e47a5465c411a14be";

  /** The three policies of Flux's TestUpdateWithSetters, as {@code --policy} arguments. */
  private static final String[] SETTERS_POLICIES = {
    "--policy",
    "automation-ns:policy=index.repo.fake/updated:v1.0.1",
    "--policy",
    "automation-ns:unchanged=image:v1.0.0",
    "--policy",
    "automation-ns:policy-with-digest=image:v1.0.0@" + DIGEST,
  };

  /** The files of this folder that are ours, not Flux's, so not in MANIFEST.tsv. */
  private static final Set<String> OWN_FILES =
      Set.of("MANIFEST.tsv", "SOURCES.md", "DIVERGENCES.md", "LICENSE");

  @TempDir Path tmp;

  // The data itself ----------------------------------------------------------------------------

  @Test
  void theDataIsFluxsOwnBytesWithItsDanglingLink() throws IOException {
    // Every case compares against these bytes, so a checkout that converted line endings or lost
    // the symlink must fail here by name rather than as a puzzling case failure below.
    Map<String, String[]> manifest = manifest();
    assertThat(manifest).hasSize(25);
    Map<String, String> problems = new TreeMap<>();
    for (Map.Entry<String, String[]> line : manifest.entrySet()) {
      Path file = data().resolve(line.getKey());
      boolean link = line.getValue()[2].equals("120000");
      if (link != Files.isSymbolicLink(file)) {
        problems.put(line.getKey(), link ? "not a symlink (core.symlinks=false?)" : "a symlink");
        continue;
      }
      byte[] bytes =
          link ? Files.readSymbolicLink(file).toString().getBytes(UTF_8) : Files.readAllBytes(file);
      if (!gitBlobSha1(bytes).equals(line.getValue()[0])
          || bytes.length != Integer.parseInt(line.getValue()[1])) {
        problems.put(line.getKey(), bytes.length + " bytes, blob " + gitBlobSha1(bytes));
      }
    }
    for (String path : entries(data()).keySet()) {
      if (!manifest.containsKey(path) && !OWN_FILES.contains(path)) {
        problems.put(path, "not in MANIFEST.tsv");
      }
    }
    assertThat(problems).as("files that are not Flux's bytes").isEmpty();
    Path link = data().resolve("internal/update/testdata/setters/original/test.yaml");
    assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("testing.yaml"));
    assertThat(Files.exists(link)).as("dangling").isFalse();
  }

  // internal/update: TestUpdateWithSetters ---------------------------------------------------

  /**
   * Case {@code setters}, by bytes: the three marked files become Flux's expected files, every
   * other entry (the unmarked file, the marker of a policy in another namespace, the dangling
   * {@code test.yaml -> testing.yaml}) stays as it was, and the values changed are the seven of
   * Flux's {@code Result}.
   */
  @Test
  void updateWithSettersChangesTheThreeMarkedFilesAndWalksPastTheDanglingLink() throws IOException {
    Path root = copy("internal/update/testdata/setters/original");
    Map<String, String> expected = entries(root);
    expected.putAll(entries(data().resolve("internal/update/testdata/setters/expected")));

    Run run = bump(root, concat(new String[] {"-v", "--output", "json"}, SETTERS_POLICIES));

    assertThat(run.code).as(run.toString()).isZero();
    assertThat(entries(root)).isEqualTo(expected);
    assertThat(entries(root).get("test.yaml")).isEqualTo("-> testing.yaml");
    // Flux's reader skips the link silently; bumper says so under -v, naming it.
    assertThat(run.err).contains("test.yaml");
    Map<String, Object> json = JsonReader.parseObject(run.out);
    assertThat(json).containsEntry("filesChanged", 3L);
    // Flux's ScreeningLocalReader returns the 4 files holding the token; bumper counts every
    // manifest it walks (the 5 regular files), and reads for markers only those with the token.
    assertThat(json).containsEntry("filesScanned", 5L);
    assertThat(changes(json))
        .containsExactlyInAnyOrder(
            // TestUpdateWithSetters' expectedResult, file by file (bumper names no setter or
            // object: it says where, file, line and column; see DIVERGENCES.md).
            tuple("kustomization.yml", "replaced", "index.repo.fake/updated"),
            tuple("kustomization.yml", "v1", "v1.0.1"),
            tuple("kustomization.yml", "sha256:1234567890abcdef", DIGEST),
            tuple("kustomization.yml", "image", "image:v1.0.0@" + DIGEST),
            tuple("Kustomization", "replaced", "index.repo.fake/updated"),
            tuple("Kustomization", "v1", "v1.0.1"),
            tuple("marked.yaml", "image:v1.0.0", "index.repo.fake/updated:v1.0.1"));
  }

  // internal/policy: Test_applyPolicies --------------------------------------------------------

  /** Case {@code appconfig-one-policy}, by bytes. */
  @Test
  void applyPoliciesWithOnePolicy() throws IOException {
    Path root = copy("internal/policy/testdata/appconfig");
    replaceMarker(root.resolve("deploy.yaml"), "policy1");
    Map<String, String> expected = expectedWithMarker("appconfig-setters-expected", "policy1");

    Run run = bump(root, "--policy", "test-ns:policy1=helloworld:1.0.1");

    assertThat(run.code).as(run.toString()).isZero();
    assertThat(entries(root)).isEqualTo(expected);
  }

  /**
   * Case {@code appconfig-multiple-policies}, diverges on purpose (DIVERGENCES.md): Flux applies
   * every policy it has and ignores those no marker names; bumper refuses a {@code --policy} that
   * matched nothing (exit 3, nothing written), since in a pipeline that is a typo. With {@code
   * --allow-no-match} it writes Flux's expected bytes.
   */
  @Test
  void applyPoliciesWithMultiplePolicies() throws IOException {
    Path root = copy("internal/policy/testdata/appconfig");
    replaceMarker(root.resolve("deploy.yaml"), "policy2");
    Map<String, String> before = entries(root);
    Map<String, String> expected = expectedWithMarker("appconfig-setters-expected", "policy2");
    String[] policies = {
      "--policy", "test-ns:policy1=foo:1.1.1",
      "--policy", "test-ns:policy2=helloworld:1.0.1",
      "--policy", "test-ns:policy3=bar:2.2.2",
    };

    Run refused = bump(root, policies);

    assertThat(refused.code).as(refused.toString()).isEqualTo(3);
    assertThat(refused.err).contains("test-ns:policy1=foo:1.1.1", "test-ns:policy3=bar:2.2.2");
    assertThat(refused.err).doesNotContain("test-ns:policy2");
    assertThat(entries(root)).isEqualTo(before);

    Run run = bump(root, concat(new String[] {"--allow-no-match"}, policies));

    assertThat(run.code).as(run.toString()).isZero();
    assertThat(entries(root)).isEqualTo(expected);
  }

  /**
   * Case {@code pathconfig-update-path}, by bytes: Flux's {@code update.path: ./yes} is bumper's
   * PATH {@code yes}; the same marker under {@code no/} stays.
   */
  @Test
  void applyPoliciesWithAnUpdatePath() throws IOException {
    Path root = copy("internal/policy/testdata/pathconfig");
    replaceMarker(root.resolve("yes/deploy.yaml"), "policy1");
    replaceMarker(root.resolve("no/deploy.yaml"), "policy1");
    Path expectedRoot = copyTo("internal/policy/testdata/pathconfig-expected", tmp.resolve("exp"));
    replaceMarker(expectedRoot.resolve("yes/deploy.yaml"), "policy1");
    replaceMarker(expectedRoot.resolve("no/deploy.yaml"), "policy1");

    Run run = bump(root, "--policy", "test-ns:policy1=helloworld:1.0.1", "yes");

    assertThat(run.code).as(run.toString()).isZero();
    assertThat(entries(root)).isEqualTo(entries(expectedRoot));
  }

  // internal/update, "Update image everywhere from policy" (removed in da2f23c) ---------------

  /**
   * Case {@code leave}, diverges on purpose (DIVERGENCES.md) and by tree: an image no file uses is
   * exit 3 for bumper (Flux succeeded); with {@code --allow-no-match} no byte changes, where Flux's
   * expected files are re-indented by go-yaml, so they agree with bumper's as parsed YAML only.
   */
  @Test
  void updateEverywhereLeavesADifferentImageAlone() throws IOException {
    Path root = copy("internal/update/testdata/leave/original");
    Map<String, String> before = entries(root);

    Run refused = bump(root, "-i", "notused:v1.0.1");

    assertThat(refused.code).as(refused.toString()).isEqualTo(3);
    assertThat(refused.err).contains("notused:v1.0.1");
    assertThat(entries(root)).isEqualTo(before);

    Run run = bump(root, "-i", "notused:v1.0.1", "--allow-no-match");

    assertThat(run.code).as(run.toString()).isZero();
    assertThat(entries(root)).isEqualTo(before);
    assertSameTreesNotBytes(root, data().resolve("internal/update/testdata/leave/expected"));
  }

  /** Case {@code replace}, by bytes. */
  @Test
  void updateEverywhereReplacesTheGivenImage() throws IOException {
    Path root = copy("internal/update/testdata/replace/original");

    Run run = bump(root, "-i", "used:v1.1.0");

    assertThat(run.code).as(run.toString()).isZero();
    assertThat(entries(root))
        .isEqualTo(entries(data().resolve("internal/update/testdata/replace/expected")));
  }

  /**
   * Case {@code replace-commented}, by tree: Flux's expected file re-indents the containers list;
   * bumper changes the value's bytes only, so its file is the original with the tag replaced,
   * comments (Korean text after a key too) in place.
   */
  @Test
  void updateEverywhereKeepsCommentsIntact() throws IOException {
    Path root = copy("internal/update/testdata/replace/commented");
    String original = Files.readString(root.resolve("deployment.yaml"));

    Run run = bump(root, "-i", "used:v1.1.0");

    assertThat(run.code).as(run.toString()).isZero();
    assertThat(entries(root)).containsOnlyKeys("deployment.yaml");
    assertThat(Files.readString(root.resolve("deployment.yaml")))
        .isEqualTo(original.replace("image: used:v1.0.0 #", "image: used:v1.1.0 #"));
    assertSameTreesNotBytes(
        root, data().resolve("internal/update/testdata/replace/commented-expected"));
  }

  // Helpers ------------------------------------------------------------------------------------

  private static Path data() {
    return TestData.dir("peers/flux-image-automation");
  }

  /** One in-process run of bumper: the shape of dev.bumper.cli.Run, which is package-private. */
  private record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
  }

  private static Run bump(Path root, String... args) {
    List<String> line = new ArrayList<>(List.of("bump-manifest", "-C", root.toString()));
    line.addAll(Arrays.asList(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out);
    PrintWriter e = new PrintWriter(err);
    int code = Main.run(line.toArray(String[]::new), o, e, Map.of("NO_COLOR", "1", "TERM", "dumb"));
    o.flush();
    e.flush();
    return new Run(code, out.toString(), err.toString());
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  /** A fresh copy of the data folder {@code path}, as Flux's tests copy it. */
  private Path copy(String path) throws IOException {
    return copyTo(path, tmp.resolve("work"));
  }

  /**
   * Copies a data folder entry by entry, a symlink as a symlink (dangling or not), so that the case
   * runs on the tree as Flux keeps it. A checkout without symlinks (core.symlinks=false) holds the
   * link's target as a file: MANIFEST.tsv's mode 120000 makes it a link again.
   */
  private static Path copyTo(String path, Path target) throws IOException {
    Path source = data().resolve(path);
    Map<String, String[]> manifest = manifest();
    Files.createDirectories(target);
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path from : (Iterable<Path>) walk::iterator) {
        String relative = source.relativize(from).toString().replace('\\', '/');
        Path to = target.resolve(relative);
        String[] line = manifest.get(data().relativize(from).toString().replace('\\', '/'));
        if (Files.isSymbolicLink(from)) {
          Files.createSymbolicLink(to, Files.readSymbolicLink(from));
        } else if (line != null && line[2].equals("120000")) {
          Files.createSymbolicLink(to, Path.of(Files.readString(from)));
        } else if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    return target;
  }

  /**
   * Flux's testutil.ReplaceMarker: {@code SETTER_SITE} becomes the setter comment of policy {@code
   * test-ns:NAME}, in the input and in the expected files alike.
   */
  private static void replaceMarker(Path file, String policy) throws IOException {
    String marker = "{\"$imagepolicy\": \"test-ns:" + policy + "\"}";
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, new String(bytes, UTF_8).replace("SETTER_SITE", marker).getBytes(UTF_8));
  }

  private Map<String, String> expectedWithMarker(String folder, String policy) throws IOException {
    Path expected = copyTo("internal/policy/testdata/" + folder, tmp.resolve("expected"));
    replaceMarker(expected.resolve("deploy.yaml"), policy);
    return entries(expected);
  }

  /**
   * Every entry under {@code root} but directories, by relative path: a file as its bytes (read as
   * ISO-8859-1, so any byte compares), a symlink as {@code -> target}. Equal maps are equal trees
   * to the byte, with no file missing or extra (a left temp file fails too).
   */
  private static Map<String, String> entries(Path root) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String relative = root.relativize(p).toString().replace('\\', '/');
        if (Files.isSymbolicLink(p)) {
          entries.put(relative, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p)) {
          entries.put(relative, new String(Files.readAllBytes(p), ISO_8859_1));
        }
      }
    }
    return entries;
  }

  /**
   * The same files, each parsing to the same YAML documents, while the bytes differ: the label "by
   * tree" stays true only while Flux's expected file is in fact reformatted.
   */
  private static void assertSameTreesNotBytes(Path actual, Path expected) throws IOException {
    Map<String, String> actualEntries = entries(actual);
    Map<String, String> expectedEntries = entries(expected);
    assertThat(actualEntries.keySet()).isEqualTo(expectedEntries.keySet());
    for (String file : expectedEntries.keySet()) {
      assertThat(yaml(actual.resolve(file))).as(file).isEqualTo(yaml(expected.resolve(file)));
    }
    assertThat(actualEntries).as("bytes").isNotEqualTo(expectedEntries);
  }

  private static List<Object> yaml(Path file) throws IOException {
    List<Object> documents = new ArrayList<>();
    new Load(LoadSettings.builder().build())
        .loadAllFromString(Files.readString(file))
        .forEach(documents::add);
    return documents;
  }

  @SuppressWarnings("unchecked")
  private static List<Tuple> changes(Map<String, Object> json) {
    List<Tuple> changes = new ArrayList<>();
    for (Object change : (List<Object>) json.get("changes")) {
      Map<String, Object> c = (Map<String, Object>) change;
      assertThat(c).containsEntry("kind", "marker");
      changes.add(tuple(c.get("file"), c.get("old"), c.get("new")));
    }
    return changes;
  }

  /** MANIFEST.tsv: path to {blob, bytes, mode}, as {@code git ls-tree -r -l} printed Flux's. */
  private static Map<String, String[]> manifest() throws IOException {
    Map<String, String[]> manifest = new TreeMap<>();
    List<String> lines = Files.readAllLines(data().resolve("MANIFEST.tsv"), UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String[] columns = line.split("\t");
      manifest.put(columns[0], Arrays.copyOfRange(columns, 1, 4));
    }
    return manifest;
  }

  private static String gitBlobSha1(byte[] bytes) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(("blob " + bytes.length + "\0").getBytes(UTF_8));
      return HexFormat.of().formatHex(sha1.digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
