package dev.bumper.cli;

import static dev.bumper.cli.Run.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bumper kustomize-set-image} run in-process through {@link Main#run}, stdout and stderr
 * captured separately, against real files in a temp directory.
 */
class KustomizeSetImageCommandTest {
  private static final FileTime PAST = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));
  private static final Pattern TEMP_FILE = Pattern.compile("\\..*\\.bumper-.*\\.tmp");
  private static final String KUSTOMIZE_ERROR =
      """
      invalid format of image, use one of the following options:
      - <image>=<newimage>:<newtag>
      - <image>=<newimage>@<digest>
      - <image>=<newimage>:<newtag>@<digest>
      - <image>=<newimage>
      - <image>:<newtag>
      - <image>:<newtag>@<digest>
      - <image>@<digest>""";

  private static final String BEFORE =
      """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      resources:
        - deploy.yaml   # the app
      images:
        # the web image
        - name: web
          newName: ghcr.io/acme/web
          newTag: "1.4.1"   # bumped by CI
        - name: api
          newTag: v1
      """;

  /** Already in kustomize's order, so setting an entry to what it is changes nothing. */
  private static final String SORTED =
      """
      kind: Kustomization
      images:
      - name: api
        newTag: v1   # api
      # the web image
      - name: web
        newName: ghcr.io/acme/web
        newTag: "1.4.1"
      resources:
      - deploy.yaml
      """;

  @TempDir Path tmp;

  // ---------------------------------------------------------------------------------------------
  // Finding the kustomization

  @Nested
  class Target {
    @ParameterizedTest(name = "-C DIR finds {0}")
    @ValueSource(strings = {"kustomization.yaml", "kustomization.yml", "Kustomization"})
    void directoryFindsEachKustomizationName(String name) throws IOException {
      Path dir = dir("overlay");
      Path file = write(dir.resolve(name), "images:\n- name: a\n  newTag: v1\n");

      Run run = run("kustomize-set-image", "-C", dir.toString(), "a:v2");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(file).hasContent("images:\n- name: a\n  newTag: v2\n");
      assertThat(run.out()).contains("updated a: a:v1 -> a:v2").contains("1 image set");
      assertThat(run.err()).isEmpty();
      assertThat(files(dir)).containsExactly(name);
    }

    @Test

    void directoryWithSeveralKustomizationsIsAUsageErrorAsInKustomize() throws IOException {
      Path dir = dir("overlay");
      Path yaml = write(dir.resolve("kustomization.yaml"), "images:\n- name: a\n  newTag: v1\n");
      Path yml = write(dir.resolve("kustomization.yml"), "images:\n- name: a\n  newTag: v1\n");

      Run run = run("kustomize-set-image", "-C", dir.toString(), "a:v2");

      assertUsageError(run);
      assertThat(run.err()).contains("kustomization.yaml").contains("kustomization.yml");
      assertThat(yaml).hasContent("images:\n- name: a\n  newTag: v1\n");
      assertThat(yml).hasContent("images:\n- name: a\n  newTag: v1\n");
    }

    @Test
    void fileOptionTakesAnyFileName() throws IOException {
      Path dir = dir("base");
      Path file = write(dir.resolve("my-kustomization.yaml"), "kind: Kustomization\n");
      Path other = write(dir.resolve("kustomization.yaml"), "kind: Kustomization\n");

      Run run = run("kustomize-set-image", "-f", file.toString(), "app=ghcr.io/acme/app:1.0");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(file)
          .hasContent("kind: Kustomization\nimages:\n- name: app\n  newName: ghcr.io/acme/app\n  newTag: \"1.0\"\n");
      assertThat(other).hasContent("kind: Kustomization\n");
      assertNoTempFiles(dir);
    }

    @Test
    void directoryAndFileTogetherIsAUsageError() throws IOException {
      Path dir = dir("overlay");
      Path file = write(dir.resolve("kustomization.yaml"), BEFORE);

      Run run = run("kustomize-set-image", "-C", dir.toString(), "-f", file.toString(), "web:2.0");

      assertUsageError(run);
      assertThat(run.err()).contains("--directory").contains("--file");
      assertThat(file).hasContent(BEFORE);
    }

    @Test
    void directoryWithoutAKustomizationIsAUsageErrorNamingTheNames() throws IOException {
      Path dir = dir("empty");
      write(dir.resolve("kustomization.json"), "{}");

      Run run = run("kustomize-set-image", "-C", dir.toString(), "web:2.0");

      assertUsageError(run);
      assertThat(run.err())
          .contains("no kustomization in " + dir)
          .contains("kustomization.yaml")
          .contains("kustomization.yml")
          .contains("Kustomization");
      assertThat(files(dir)).containsExactly("kustomization.json");
    }

    @Test
    void missingFileIsAUsageError() throws IOException {
      Path dir = dir("empty");

      Run run = run("kustomize-set-image", "-f", dir.resolve("nope.yaml").toString(), "web:2.0");

      assertUsageError(run);
      assertThat(run.err()).contains("nope.yaml");
      assertThat(files(dir)).isEmpty();
    }

    @Test
    void missingDirectoryIsAUsageError() throws IOException {
      Run run = run("kustomize-set-image", "-C", tmp.resolve("nowhere").toString(), "web:2.0");

      assertUsageError(run);
      assertThat(run.err()).contains("nowhere");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  @Nested
  class Writing {
    @Test
    void realRunWritesOnlyTheImagesListKeepsTheModeAndLeavesNoTempFile() throws IOException {
      Path dir = dir("overlay");
      Path file = write(dir.resolve("kustomization.yaml"), BEFORE);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

      Run run = run("kustomize-set-image", "-C", dir.toString(), "web=*:1.4.2", "cache:7");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(file)
          .hasContent(
              """
              apiVersion: kustomize.config.k8s.io/v1beta1
              kind: Kustomization
              resources:
                - deploy.yaml   # the app
              images:
                - name: api
                  newTag: v1
                - name: cache
                  newTag: "7"
                # the web image
                - name: web
                  newName: ghcr.io/acme/web
                  newTag: "1.4.2"   # bumped by CI
              """);
      assertThat(mode(file)).isEqualTo("rw-r-----");
      assertThat(run.out())
          .isEqualTo(
              file + ": added cache: (none) -> cache:7\n"
                  + file + ": updated web: ghcr.io/acme/web:1.4.1 -> ghcr.io/acme/web:1.4.2\n"
                  + file + ": 2 images set\n");
      assertNoTempFiles(dir);
      assertThat(files(dir)).containsExactly("kustomization.yaml");
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(strings = {"rw-------", "rw-rw-r--", "rwxr-xr-x"})
    void theFileKeepsItsMode(String perms) throws IOException {
      Path dir = dir("overlay");
      Path file = write(dir.resolve("kustomization.yaml"), "images:\n- name: a\n  newTag: v1\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));

      Run run = run("kustomize-set-image", "-f", file.toString(), "a:v2");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(file).hasContent("images:\n- name: a\n  newTag: v2\n");
      assertThat(mode(file)).isEqualTo(perms);
      assertNoTempFiles(dir);
    }

    @Test
    void noOpIsAlreadyUpToDateAndDoesNotRewriteTheFile() throws IOException {
      Path dir = dir("overlay");
      Path file = write(dir.resolve("kustomization.yaml"), SORTED);
      Files.setLastModifiedTime(file, PAST);
      Object inode = inode(file);

      Run run = run("kustomize-set-image", "-C", dir.toString(), "web=ghcr.io/acme/web:1.4.1", "api:v1");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(run.out()).contains("already up to date").doesNotContain("updated").doesNotContain("added");
      assertThat(Files.readAllBytes(file)).isEqualTo(SORTED.getBytes(UTF_8));
      assertThat(Files.getLastModifiedTime(file)).isEqualTo(PAST);
      assertThat(inode(file)).isEqualTo(inode);
      assertNoTempFiles(dir);
    }

    @Test
    void crlfFileStaysCrlf() throws IOException {
      Path dir = dir("overlay");
      Path file = write(dir.resolve("kustomization.yaml"), "kind: Kustomization\r\n");

      Run run = run("kustomize-set-image", "-C", dir.toString(), "a:v1");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(Files.readString(file)).isEqualTo("kind: Kustomization\r\nimages:\r\n- name: a\r\n  newTag: v1\r\n");
    }

    @Test
    void bomIsKept() throws IOException {
      Path dir = dir("overlay");
      Path file = dir.resolve("kustomization.yaml");
      Files.write(file, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "images:\n- name: a\n".getBytes(UTF_8)));

      Run run = run("kustomize-set-image", "-C", dir.toString(), "a:v1");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(Files.readAllBytes(file))
          .isEqualTo(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "images:\n- name: a\n  newTag: v1\n".getBytes(UTF_8)));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // --dry-run

  @Nested
  class DryRun {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        value = {
          "edit in place and move       | web=*:1.4.2,cache:7",
          "new entry, removed duplicate | api:v2,zz@sha256:abcd",
          "crlf                         | web:2.0",
          "no final newline             | api:v3,aaa:1",
          "images appended              | new:1",
        })
    void writesNothingAndItsDiffAppliesToWhatARealRunWrites(String kind, String specs)
        throws IOException, InterruptedException {
      String before =
          switch (kind) {
            case "crlf" -> BEFORE.replace("\n", "\r\n");
            case "no final newline" -> BEFORE.substring(0, BEFORE.length() - 1);
            case "images appended" -> "kind: Kustomization\nresources:\n- deploy.yaml\n";
            case "new entry, removed duplicate" -> BEFORE + "  - name: api\n    newTag: v0\n";
            default -> BEFORE;
          };
      List<String> args = Arrays.asList(specs.split(","));
      Path dry = dir("dry");
      Path dryFile = write(dry.resolve("kustomization.yaml"), before);
      Files.setLastModifiedTime(dryFile, PAST);
      Path real = dir("real");
      Path realFile = write(real.resolve("kustomization.yaml"), before);

      Run dryRun = run(concat("kustomize-set-image", "-C", dry.toString(), "--dry-run", args));
      Run realRun = run(concat("kustomize-set-image", "-C", real.toString(), args));

      assertThat(dryRun.code()).as(dryRun.toString()).isZero();
      assertThat(realRun.code()).as(realRun.toString()).isZero();
      assertThat(Files.readAllBytes(dryFile)).isEqualTo(before.getBytes(UTF_8));
      assertThat(Files.getLastModifiedTime(dryFile)).isEqualTo(PAST);
      assertThat(files(dry)).containsExactly("kustomization.yaml");
      byte[] written = Files.readAllBytes(realFile);
      assertThat(written).isNotEqualTo(before.getBytes(UTF_8));

      assertThat(dryRun.out()).startsWith("--- a/kustomization.yaml\n+++ b/kustomization.yaml\n@@ ");
      assertThat(dryRun.err()).contains("dry run");
      gitApply(dry, dryRun.out());
      assertThat(Files.readAllBytes(dryFile)).isEqualTo(written);
    }

    @Test
    void dryRunOfANoOpPrintsNoDiff() throws IOException {
      Path dir = dir("overlay");
      Path file = write(dir.resolve("kustomization.yaml"), SORTED);
      Files.setLastModifiedTime(file, PAST);

      Run run = run("kustomize-set-image", "-C", dir.toString(), "--dry-run", "api:v1");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).contains("already up to date");
      assertThat(Files.getLastModifiedTime(file)).isEqualTo(PAST);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // --output json

  @Nested
  class JsonOutput {
    @Test
    void oneJsonObjectWithTheChanges() throws IOException {
      Path dir = dir("overlay");
      Path file = write(dir.resolve("kustomization.yaml"), BEFORE);

      Run run = run("--output", "json", "kustomize-set-image", "-C", dir.toString(), "web=*:1.4.2", "cache@sha256:abcd");

      assertThat(run.code()).as(run.toString()).isZero();
      Map<String, Object> json = StrictJson.parseObject(run.out());
      assertThat(json).containsOnlyKeys("changed", "dryRun", "file", "changes");
      assertThat(json.get("changed")).isEqualTo(true);
      assertThat(json.get("dryRun")).isEqualTo(false);
      assertThat(json.get("file")).isEqualTo(file.toString());
      assertThat(json.get("changes"))
          .isEqualTo(
              List.of(
                  change("cache", "added", null, "cache@sha256:abcd"),
                  change("web", "updated", "ghcr.io/acme/web:1.4.1", "ghcr.io/acme/web:1.4.2")));
      assertThat(run.err()).isEmpty();
      assertThat(Files.readString(file)).contains("newTag: \"1.4.2\"").contains("- name: cache\n    digest: sha256:abcd\n");
    }

    @Test
    void jsonAfterTheCommandNameWithDryRunAndARemovedDuplicate() throws IOException {
      Path dir = dir("overlay");
      String before = "images:\n- name: a\n  newTag: v1\n- name: a\n  newName: b\n";
      Path file = write(dir.resolve("kustomization.yaml"), before);

      Run run = run("kustomize-set-image", "-C", dir.toString(), "--output", "json", "--dry-run", "a:v2");

      assertThat(run.code()).as(run.toString()).isZero();
      Map<String, Object> json = StrictJson.parseObject(run.out());
      assertThat(json.get("changed")).isEqualTo(true);
      assertThat(json.get("dryRun")).isEqualTo(true);
      assertThat(json.get("changes"))
          .isEqualTo(List.of(change("a", "updated", "a:v1", "a:v2"), change("a", "removed", "b", null)));
      assertThat(file).hasContent(before);
    }

    @Test
    void noOpIsChangedFalseWithNoChanges() throws IOException {
      Path dir = dir("overlay");
      write(dir.resolve("kustomization.yaml"), SORTED);

      Run run = run("--output", "json", "kustomize-set-image", "-C", dir.toString(), "api:v1");

      assertThat(run.code()).as(run.toString()).isZero();
      Map<String, Object> json = StrictJson.parseObject(run.out());
      assertThat(json.get("changed")).isEqualTo(false);
      assertThat(json.get("changes")).isEqualTo(List.of());
    }

    private Map<String, Object> change(String name, String action, String old, String now) {
      Map<String, Object> change = new LinkedHashMap<>();
      change.put("name", name);
      change.put("action", action);
      change.put("old", old);
      change.put("new", now);
      return change;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Errors

  @Nested
  class Errors {
    @ParameterizedTest(name = "SPEC \"{0}\"")
    @ValueSource(strings = {"nginx", "", "localhost:5000/app"})
    void invalidSpecIsTwoWithKustomizesTextAndTheFileUntouched(String spec) throws IOException {
      Path dir = dir("overlay");
      Path file = write(dir.resolve("kustomization.yaml"), BEFORE);
      Files.setLastModifiedTime(file, PAST);

      Run run = run("kustomize-set-image", "-C", dir.toString(), "web:2.0", spec);

      assertUsageError(run);
      assertThat(run.err()).contains(KUSTOMIZE_ERROR);
      assertThat(Files.readAllBytes(file)).isEqualTo(BEFORE.getBytes(UTF_8));
      assertThat(Files.getLastModifiedTime(file)).isEqualTo(PAST);
      assertThat(files(dir)).containsExactly("kustomization.yaml");
    }

    @Test
    void noSpecIsTwoNoImageSpecified() throws IOException {
      Path dir = dir("overlay");
      Path file = write(dir.resolve("kustomization.yaml"), BEFORE);

      Run run = run("kustomize-set-image", "-C", dir.toString());

      assertUsageError(run);
      assertThat(run.err()).contains("no image specified");
      assertThat(file).hasContent(BEFORE);
    }

    @Test
    void malformedYamlIsFourWithLineAndColumnAndNothingWritten() throws IOException {
      Path dir = dir("overlay");
      String broken = "kind: Kustomization\nimages:\n- name: web\n  newTag: [1.0\n";
      Path file = write(dir.resolve("kustomization.yaml"), broken);
      Files.setLastModifiedTime(file, PAST);

      Run run = run("kustomize-set-image", "-C", dir.toString(), "web:2.0");

      assertThat(run.code()).as(run.toString()).isEqualTo(4);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).contains("kustomization.yaml:5:1:");
      assertNoJavaInternals(run.err());
      assertThat(Files.readAllBytes(file)).isEqualTo(broken.getBytes(UTF_8));
      assertThat(Files.getLastModifiedTime(file)).isEqualTo(PAST);
      assertThat(files(dir)).containsExactly("kustomization.yaml");
    }

    @Test
    void badIndentationIsFourNamingItsLineAndColumn() throws IOException {
      Path dir = dir("overlay");
      String broken = "kind: Kustomization\n  bad: indent\n";
      Path file = write(dir.resolve("kustomization.yaml"), broken);

      Run run = run("kustomize-set-image", "-C", dir.toString(), "web:2.0");

      assertThat(run.code()).as(run.toString()).isEqualTo(4);
      assertThat(run.err()).contains("kustomization.yaml:2:6:");
      assertThat(file).hasContent(broken);
    }

    @Test
    void imagesThatIsNotAListIsFour() throws IOException {
      Path dir = dir("overlay");
      String text = "kind: Kustomization\nimages:\n  web: ghcr.io/acme/web\n";
      Path file = write(dir.resolve("kustomization.yaml"), text);

      Run run = run("kustomize-set-image", "-C", dir.toString(), "web:2.0");

      assertThat(run.code()).as(run.toString()).isEqualTo(4);
      assertThat(run.err()).contains("kustomization.yaml:3:3:");
      assertThat(file).hasContent(text);
    }

    @Test
    void notUtf8IsFour() throws IOException {
      Path dir = dir("overlay");
      byte[] bytes = concat("kind: Kustomization\n# caf".getBytes(UTF_8), new byte[] {(byte) 0xE9, '\n'});
      Path file = dir.resolve("kustomization.yaml");
      Files.write(file, bytes);

      Run run = run("kustomize-set-image", "-C", dir.toString(), "web:2.0");

      assertThat(run.code()).as(run.toString()).isEqualTo(4);
      assertThat(run.err()).contains("kustomization.yaml:2:");
      assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }
  }

  @Test
  void helpShowsExamples() {
    Run run = run("kustomize-set-image", "--help");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("Usage:")
        .contains("kustomize-set-image")
        .contains("--dry-run")
        .contains("-C")
        .contains("-f")
        .contains("Examples:")
        .contains("bumper kustomize-set-image -C overlays/production");
    assertThat(run.err()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static String[] concat(String a, String b, String c, List<String> rest) {
    return concat(a, b, c, null, rest);
  }

  private static String[] concat(String a, String b, String c, String d, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(a, b, c));
    if (d != null) {
      all.add(d);
    }
    all.addAll(rest);
    return all.toArray(String[]::new);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private Path dir(String name) throws IOException {
    return Files.createDirectories(tmp.resolve(name)).toRealPath();
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, UTF_8);
    return file;
  }

  /** The names in a directory (not .git), sorted. */
  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      return all.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".git")).sorted().toList();
    }
  }

  private static Object inode(Path p) throws IOException {
    return Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  private static void assertNoTempFiles(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.map(p -> p.getFileName().toString()).filter(n -> TEMP_FILE.matcher(n).matches()).toList())
          .as("temp files left behind")
          .isEmpty();
    }
  }

  private static void assertUsageError(Run run) {
    assertThat(run.code()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).as("stdout").isEmpty();
    assertThat(run.err()).as("stderr").startsWith("bumper: ");
    assertNoJavaInternals(run.err());
  }

  private static void assertNoJavaInternals(String err) {
    assertThat(err)
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("dev.bumper.")
        .doesNotContain("java.")
        .doesNotContain("picocli.");
  }

  /** {@code git init} in dir, then the real {@code git apply --check} and {@code git apply}. */
  private void gitApply(Path dir, String patch) throws IOException, InterruptedException {
    Path patchFile = tmp.resolve("patch-" + dir.getFileName() + ".diff");
    Files.writeString(patchFile, patch, UTF_8);
    TestProcesses.git(dir, "init", "-q", ".");
    assertThat(TestProcesses.git(dir, "apply", "--check", patchFile.toString())).as("git apply --check").isEmpty();
    TestProcesses.git(dir, "apply", patchFile.toString());
  }

  /** A strict, minimal JSON parser: objects, arrays, strings, integers, booleans, null. */

}
