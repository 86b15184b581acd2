package dev.bumper.cli;

import static dev.bumper.cli.Run.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code bumper bump-manifest} run in-process through {@link Main#run}, stdout and stderr captured
 * separately, against real files in a temp directory.
 */
class BumpManifestCommandTest {

  private static final String IMAGE = "ghcr.io/acme/web";
  private static final FileTime PAST = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));
  private static final Pattern TEMP_FILE = Pattern.compile("\\..*\\.bumper-.*\\.tmp");

  @TempDir Path tmp;

  // ---------------------------------------------------------------------------------------------
  // 1. Exit codes

  @Nested
  class ExitCodes {

    @Test
    void successIsZeroAndWritesTheFile() throws IOException {
      Path root = dir("root");
      Path file = write(root, "pod.yaml", pod(IMAGE + ":1.0"));

      Run run = bump(root, "-i", IMAGE + ":2.0");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(file).hasContent(pod(IMAGE + ":2.0"));
      assertNoTempFiles(root);
    }

    @Test
    void aSpecThatMatchedNothingNamesTheRepositoryMeant() throws IOException {
      Path root = dir("root");
      write(root, "pod.yaml", pod(IMAGE + ":1.0"));
      write(root, "values.yaml", "image:\n  registry: quay.io\n  repository: acme/worker\n  tag: \"1\"\n");

      Run typo = bump(root, "-i", IMAGE.replace("web", "wbe") + ":2.0", "-i", "ghcr.io/acme/worker:2", "-i", "db:1");

      assertThat(typo.code()).as(typo.toString()).isEqualTo(3);
      assertThat(typo.err())
          .contains("matched nothing in 2 files; did you mean " + IMAGE + "?\n")
          .contains("--image ghcr.io/acme/worker:2 matched nothing in 2 files; did you mean quay.io/acme/worker?\n")
          .contains("--image db:1 matched nothing in 2 files\n");
    }

    @Test
    void argoCdAppRecordsImagesInTheOverrideFileOfTheApplicationsSource() throws IOException {
      Path root = dir("root");
      write(root, "apps/web/kustomization.yaml", "resources:\n- deploy.yaml\n");
      write(root, "apps/web/deploy.yaml", pod(IMAGE + ":1.0"));
      write(root, "argocd/apps.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n"
          + "spec:\n  source:\n    repoURL: https://git.example.com/config.git\n    path: ./apps/web/\n");
      Path override = root.resolve("apps/web/.argocd-source-web.yaml");

      Run preview = bump(root, "--argocd-app", "web", "-i", IMAGE + ":1.4.2", "--dry-run");
      assertThat(preview.code()).as(preview.toString()).isZero();
      assertThat(preview.out()).contains("+++ b/apps/web/.argocd-source-web.yaml", "+  - " + IMAGE + ":1.4.2");
      assertThat(override).doesNotExist();

      Run created = bump(root, "--argocd-app", "web", "-i", IMAGE + ":1.4.2");
      assertThat(created.code()).as(created.toString()).isZero();
      assertThat(created.out()).contains("apps/web/.argocd-source-web.yaml: kustomize.images written");
      assertThat(override).hasContent("kustomize:\n  images:\n  - " + IMAGE + ":1.4.2\n");
      assertThat(root.resolve("apps/web/deploy.yaml")).hasContent(pod(IMAGE + ":1.0"));

      Run again = bump(root, "--argocd-app", "web", "-i", IMAGE + ":1.4.2");
      assertThat(again.out()).contains("kustomize.images already up to date");

      Run bare = bump(root, "--argocd-app", "web", "-i", "nginx");
      assertThat(bare.code()).as(bare.toString()).isEqualTo(2);
      assertThat(bare.err()).contains("--image nginx: an image for Argo CD needs a tag or a digest");
    }

    @Test
    void argoCdAppFindsAnApplicationAnApplicationSetGenerates() throws IOException {
      Path root = dir("root");
      write(root, "apps/web/kustomization.yaml", "resources:\n- deploy.yaml\n");
      write(root, "apps/web/deploy.yaml", pod(IMAGE + ":1.0"));
      write(root, "apps/api/kustomization.yaml", "resources: []\n");
      write(root, "argocd/appset.yaml", """
          apiVersion: argoproj.io/v1alpha1
          kind: ApplicationSet
          metadata:
            name: apps
          spec:
            goTemplate: true
            generators:
            - git:
                repoURL: https://git.example.com/config.git
                revision: HEAD
                directories:
                - path: apps/*
            template:
              metadata:
                name: '{{.path.basename}}-prod'
              spec:
                source:
                  repoURL: https://git.example.com/config.git
                  path: '{{.path.path}}'
          """);

      Run run = bump(root, "--argocd-app", "web-prod", "-i", IMAGE + ":1.4.2");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(root.resolve("apps/web/.argocd-source-web-prod.yaml"))
          .hasContent("kustomize:\n  images:\n  - " + IMAGE + ":1.4.2\n");
      assertThat(root.resolve("apps/api/.argocd-source-web-prod.yaml")).doesNotExist();

      write(root, "argocd/fleet.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\n"
          + "metadata:\n  name: fleet\nspec:\n  generators:\n  - clusters: {}\n  template:\n"
          + "    metadata:\n      name: '{{name}}-web'\n    spec:\n      source:\n        path: apps/web\n");
      Run unexpanded = bump(root, "--argocd-app", "prod-web", "-i", IMAGE + ":1.4.2");
      assertThat(unexpanded.code()).isEqualTo(2);
      assertThat(unexpanded.err()).contains("nor one an ApplicationSet generates (not expanded:"
          + " argocd/fleet.yaml: ApplicationSet fleet (a clusters generator)); give the source"
          + " directory as PATH");
    }

    @Test
    void aBareNameForAnArgoCdOverrideFileIsTwoAndNothingIsWritten() throws IOException {
      Path root = dir("root");
      String override = "kustomize:\n  images:\n  - nginx:1.25\n";
      Path file = write(root, "apps/.argocd-source-web.yaml", override);
      write(root, "apps/pod.yaml", pod("nginx:1.25"));

      Run run = bump(root, "-i", "nginx");

      assertThat(run.code()).as(run.toString()).isEqualTo(2);
      assertThat(run.err()).contains("apps/.argocd-source-web.yaml:3: nginx in an Argo CD override file needs a tag");
      assertThat(file).hasContent(override);
      assertThat(root.resolve("apps/pod.yaml")).hasContent(pod("nginx:1.25"));
    }

    @Test
    void argoCdAppOnAHelmSourceWritesItsParameters() throws IOException {
      Path root = dir("root");
      write(root, "charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");

      Run run = bump(root, "--argocd-app", "web-prod", "-i", IMAGE + ":1.4.2", "--helm-image-name", "web.image.repository",
          "--helm-image-tag", "web.image.tag", "charts/web");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(root.resolve("charts/web/.argocd-source-web-prod.yaml")).hasContent(
          "helm:\n  parameters:\n  - name: web.image.repository\n    value: " + IMAGE + "\n    forcestring: true\n"
              + "  - name: web.image.tag\n    value: 1.4.2\n    forcestring: true\n");
      Run unknown = bump(root, "--argocd-app", "nope", "-i", IMAGE + ":1.4.2");
      assertThat(unknown.code()).isEqualTo(2);
      assertThat(unknown.err()).contains("no Application of that name");
    }

    @Test
    void oneFileScannedIsOneFile() throws IOException {
      Path root = dir("root");
      write(root, "pod.yaml", pod(IMAGE + ":1.0"));

      Run run = bump(root, "-i", "ghcr.io/other/db:1");

      assertThat(run.err()).contains("--image ghcr.io/other/db:1 matched nothing in 1 file\n");
    }

    @Test
    void theSummaryNamesWhatChanged() throws IOException {
      Path root = dir("root");
      write(root, "pod.yaml", pod(IMAGE + ":1.0"));
      write(root, "values.yaml", "replicas: 1\nimage:\n  repository: ghcr.io/acme/api\n  tag: \"1.0\"\n");

      Run values = bump(root, "--set", "replicas=2", "--set", "image.tag=1.1");
      Run both = bump(root, "-i", IMAGE + ":2.0", "--set", "replicas=3");
      Run none = bump(root, "--set", "replicas=3");

      assertThat(values.out()).endsWith("2 values set in 1 file (2 files scanned)\n");
      assertThat(both.out()).endsWith("1 image updated and 1 value set in 2 files (2 files scanned)\n");
      assertThat(none.out()).endsWith("0 values set in 0 files (2 files scanned)\n");
    }

    @Test
    void createKeysAddsAMissingKeyAndWithoutItTheRunIsThree() throws IOException {
      Path root = dir("root");
      String values = "image:\n  repository: ghcr.io/acme/api\n  pullPolicy: IfNotPresent\n";
      Path file = write(root, "values.yaml", values);

      Run without = bump(root, "--set", "image.tag=1.4.2", "values.yaml");
      assertThat(without.code()).as(without.toString()).isEqualTo(3);
      assertThat(file).hasContent(values);

      Run preview = bump(root, "--set", "image.tag=1.4.2", "--create-keys", "--dry-run", "values.yaml");
      assertThat(preview.code()).as(preview.toString()).isZero();
      assertThat(preview.out()).contains("+  tag: 1.4.2\n");
      assertThat(file).hasContent(values);

      Run created = bump(root, "--set", "image.tag=1.4.2", "--create-keys", "values.yaml");
      assertThat(created.code()).as(created.toString()).isZero();
      assertThat(created.out()).contains("values.yaml:2: (none) -> 1.4.2", "1 value set in 1 file");
      assertThat(file).hasContent(values + "  tag: 1.4.2\n");
    }

    @Test
    void alreadyUpToDateIsZeroAndDoesNotRewriteTheFile() throws IOException {
      Path root = dir("root");
      Path file = write(root, "pod.yaml", pod(IMAGE + ":2.0"));
      Files.setLastModifiedTime(file, PAST);
      Object inode = inode(file);

      Run run = bump(root, "-i", IMAGE + ":2.0");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(file).hasContent(pod(IMAGE + ":2.0"));
      assertThat(Files.getLastModifiedTime(file)).isEqualTo(PAST);
      assertThat(inode(file)).isEqualTo(inode);
      assertThat(run.out()).contains("0 images updated in 0 files (1 file");
      assertNoTempFiles(root);
    }

    @ParameterizedTest(name = "--image {0}")
    @CsvSource(
        delimiter = '|',
        value = {
          "ghcr.io/acme/WEB:1.0        | acme/WEB",
          "ghcr.io/acme/web:bad tag!   | bad tag!",
          "ghcr.io/acme/web@sha256:abc | sha256:abc",
          "ghcr.io/acme/web:-1         | -1",
          "web=                        | REF",
          "=web:1                      | NAME",
        })
    void badImageSpecIsTwoAndNamesTheBadPart(String spec, String badPart) throws IOException {
      Path root = dir("root");
      Path file = write(root, "pod.yaml", pod(IMAGE + ":1.0"));

      Run run = bump(root, "-i", spec);

      assertUsageError(run);
      assertThat(run.err()).contains("--image").contains(badPart);
      assertThat(file).hasContent(pod(IMAGE + ":1.0"));
    }

    @ParameterizedTest(name = "--set {0}")
    @CsvSource(
        delimiter = '|',
        value = {
          "a..b=1     | a..b",
          "noequals   | noequals",
          "a[x]=1     | [x]",
          "a[-1]=1    | a[-1]",
          "=1         | empty",
        })
    void badSetPathIsTwo(String set, String badPart) throws IOException {
      Path root = dir("root");
      write(root, "pod.yaml", pod(IMAGE + ":1.0"));

      Run run = bump(root, "--set", set);

      assertUsageError(run);
      assertThat(run.err()).contains("--set").contains(badPart);
    }

    @Test
    void badPolicyIsTwo() throws IOException {
      Path root = dir("root");
      write(root, "pod.yaml", pod(IMAGE + ":1.0"));

      Run run = bump(root, "--policy", "flux-system=web:1");

      assertUsageError(run);
      assertThat(run.err()).contains("--policy").contains("flux-system");
    }

    @Test
    void unknownOptionIsTwo() throws IOException {
      Path root = dir("root");
      Path file = write(root, "pod.yaml", pod(IMAGE + ":1.0"));

      Run run = bump(root, "--frobnicate", "-i", IMAGE + ":2.0");

      assertUsageError(run);
      assertThat(run.err()).contains("--frobnicate");
      assertThat(file).hasContent(pod(IMAGE + ":1.0"));
    }

    @Test
    void nothingToSetIsTwo() throws IOException {
      Path root = dir("root");
      write(root, "pod.yaml", pod(IMAGE + ":1.0"));

      Run run = bump(root);

      assertUsageError(run);
      assertThat(run.err()).contains("--image").contains("--set").contains("--policy");
    }

    @ParameterizedTest(name = "PATH {0}")
    @CsvSource({"..", "../outside", "../outside/o.yaml", "sub/../../outside"})
    void relativePathOutsideTheRootIsTwo(String path) throws IOException {
      Path root = dir("root");
      write(root, "sub/pod.yaml", pod(IMAGE + ":1.0"));
      Path outside = write(dir("outside"), "o.yaml", pod(IMAGE + ":1.0"));

      Run run = bump(root, "-i", IMAGE + ":2.0", path);

      assertUsageError(run);
      assertThat(run.err()).contains(path).contains("outside the root");
      assertThat(outside).hasContent(pod(IMAGE + ":1.0"));
      assertThat(root.resolve("sub/pod.yaml")).hasContent(pod(IMAGE + ":1.0"));
    }

    @Test
    void absolutePathElsewhereIsTwo() throws IOException {
      Path root = dir("root");
      write(root, "pod.yaml", pod(IMAGE + ":1.0"));
      Path outside = write(dir("outside"), "o.yaml", pod(IMAGE + ":1.0"));

      Run run = bump(root, "-i", IMAGE + ":2.0", outside.toString());

      assertUsageError(run);
      assertThat(run.err()).contains("outside the root");
      assertThat(outside).hasContent(pod(IMAGE + ":1.0"));
      assertThat(root.resolve("pod.yaml")).hasContent(pod(IMAGE + ":1.0"));
    }

    @Test
    void pathThatIsASymlinkLeadingOutOfTheRootIsTwo() throws IOException {
      Path root = dir("root");
      write(root, "pod.yaml", pod(IMAGE + ":1.0"));
      Path outsideDir = dir("outside");
      Path outside = write(outsideDir, "o.yaml", pod(IMAGE + ":1.0"));
      Files.createSymbolicLink(root.resolve("dirlink"), outsideDir);
      Files.createSymbolicLink(root.resolve("filelink.yaml"), outside);

      for (String path : List.of("dirlink", "dirlink/o.yaml", "filelink.yaml")) {
        Run run = bump(root, "-i", IMAGE + ":2.0", path);

        assertUsageError(run);
        assertThat(run.err()).as(path).contains(path).contains("outside the root");
      }
      assertThat(outside).hasContent(pod(IMAGE + ":1.0"));
      assertThat(root.resolve("pod.yaml")).hasContent(pod(IMAGE + ":1.0"));
    }

    @Test
    void specThatMatchesNothingIsThreeAndNothingIsWritten() throws IOException {
      Path root = dir("root");
      Path file = write(root, "pod.yaml", pod(IMAGE + ":1.0"));
      Files.setLastModifiedTime(file, PAST);
      Object inode = inode(file);

      Run run = bump(root, "-i", IMAGE + ":2.0", "-i", "docker.io/acme/nowhere:9");

      assertThat(run.code()).as(run.toString()).isEqualTo(3);
      assertThat(run.err()).contains("docker.io/acme/nowhere:9").contains("matched nothing");
      assertThat(run.out()).isEmpty();
      assertThat(file).hasContent(pod(IMAGE + ":1.0"));
      assertThat(Files.getLastModifiedTime(file)).isEqualTo(PAST);
      assertThat(inode(file)).isEqualTo(inode);
      assertNoTempFiles(root);
    }

    @Test
    void setAndPolicyThatMatchNothingAreThree() throws IOException {
      Path root = dir("root");
      Path file = write(root, "pod.yaml", pod(IMAGE + ":1.0"));

      Run set = bump(root, "-i", IMAGE + ":2.0", "--set", "no.such.path=1");
      Run policy = bump(root, "-i", IMAGE + ":2.0", "--policy", "flux-system:none=" + IMAGE + ":3");

      assertThat(set.code()).as(set.toString()).isEqualTo(3);
      assertThat(set.err()).contains("no.such.path");
      assertThat(policy.code()).as(policy.toString()).isEqualTo(3);
      assertThat(policy.err()).contains("flux-system:none");
      assertThat(file).hasContent(pod(IMAGE + ":1.0"));
    }

    @Test
    void allowNoMatchIsZeroAndTheMatchingFileIsWritten() throws IOException {
      Path root = dir("root");
      Path file = write(root, "pod.yaml", pod(IMAGE + ":1.0"));

      Run run = bump(root, "--allow-no-match", "-i", IMAGE + ":2.0", "-i", "docker.io/acme/nowhere:9");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(file).hasContent(pod(IMAGE + ":2.0"));
      assertThat(run.out()).contains("pod.yaml:6: " + IMAGE + ":1.0 -> " + IMAGE + ":2.0");
      assertNoTempFiles(root);
    }

    @Test
    void malformedYamlIsFourWithPathLineColumnAndReason() throws IOException {
      Path root = dir("root");
      String text = pod(IMAGE + ":1.0") + "  bad: @oops\n"; // line 7, '@' at column 8
      Path file = write(root, "bad.yaml", text);

      Run run = bump(root, "-i", IMAGE + ":2.0");

      assertThat(run.code()).as(run.toString()).isEqualTo(4);
      assertThat(run.err()).containsPattern("(?m)^bad\\.yaml:7:8: \\S.*$");
      assertThat(run.out()).isEmpty();
      assertNoJavaInternals(run.err());
      assertThat(file).hasContent(text);
    }

    @Test
    void malformedYamlInASubdirectoryIsReportedRelativeToTheRoot() throws IOException {
      Path root = dir("root");
      String text = "a: [1, 2\nimage: " + IMAGE + ":1.0\nb: }\n";
      write(root, "apps/web/bad.yaml", text);

      Run run = bump(root, "-i", IMAGE + ":2.0");

      assertThat(run.code()).as(run.toString()).isEqualTo(4);
      assertThat(run.err()).containsPattern("(?m)^apps/web/bad\\.yaml:\\d+:\\d+: \\S");
      assertNoJavaInternals(run.err());
    }

    @Test
    void nonUtf8IsFour() throws IOException {
      Path root = dir("root");
      byte[] bytes = concat(pod(IMAGE + ":1.0").getBytes(UTF_8), "  bad: \"".getBytes(UTF_8),
          new byte[] {(byte) 0xFF, (byte) 0xFE}, "\"\n".getBytes(UTF_8));
      Path file = root.resolve("latin.yaml");
      Files.write(file, bytes);

      Run run = bump(root, "-i", IMAGE + ":2.0");

      assertThat(run.code()).as(run.toString()).isEqualTo(4);
      assertThat(run.err()).containsPattern("(?m)^latin\\.yaml:7\\b.*UTF-8");
      assertNoJavaInternals(run.err());
      assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }
    @Test
    void nonUtf8MessageNamesLineAndColumn() throws IOException {
      Path root = dir("root");
      byte[] bytes = concat(pod(IMAGE + ":1.0").getBytes(UTF_8), "  bad: \"".getBytes(UTF_8),
          new byte[] {(byte) 0xFF, (byte) 0xFE}, "\"\n".getBytes(UTF_8));
      Files.write(root.resolve("latin.yaml"), bytes);

      Run run = bump(root, "-i", IMAGE + ":2.0");

      assertThat(run.code()).isEqualTo(4);
      assertThat(run.err()).containsPattern("(?m)^latin\\.yaml:7:9: ");
    }

    @Test
    void duplicateKeyOnThePathToTheImageIsFour() throws IOException {
      Path root = dir("root");
      String containers =
          "spec:\n  containers:\n    - name: web\n      image: " + IMAGE + ":1.0\n"
              + "  containers:\n    - name: web\n      image: " + IMAGE + ":1.0\n";
      String image =
          "spec:\n  containers:\n    - name: web\n      image: " + IMAGE + ":1.0\n"
              + "      image: " + IMAGE + ":1.1\n";
      Path a = write(root, "a/dup.yaml", containers);
      Path b = write(root, "b/dup.yaml", image);

      Run runA = bump(root, "-i", IMAGE + ":2.0", "a");
      Run runB = bump(root, "-i", IMAGE + ":2.0", "b");

      assertThat(runA.code()).as(runA.toString()).isEqualTo(4);
      assertThat(runA.err()).containsPattern("(?m)^a/dup\\.yaml:5:\\d+: .*duplicate key");
      assertThat(runB.code()).as(runB.toString()).isEqualTo(4);
      assertThat(runB.err()).containsPattern("(?m)^b/dup\\.yaml:5:\\d+: .*duplicate key");
      assertNoJavaInternals(runA.err() + runB.err());
      assertThat(a).hasContent(containers);
      assertThat(b).hasContent(image);
    }

    @Test
    void imageInABlockScalarIsFour() throws IOException {
      Path root = dir("root");
      String literal = "spec:\n  containers:\n    - name: web\n      image: |\n        " + IMAGE + ":1.0\n";
      String folded = "spec:\n  containers:\n    - name: web\n      image: >-\n        " + IMAGE + ":1.0\n";
      Path a = write(root, "a/block.yaml", literal);
      Path b = write(root, "b/block.yaml", folded);

      Run runA = bump(root, "-i", IMAGE + ":2.0", "a");
      Run runB = bump(root, "-i", IMAGE + ":2.0", "b");

      assertThat(runA.code()).as(runA.toString()).isEqualTo(4);
      assertThat(runA.err()).containsPattern("(?m)^a/block\\.yaml:4:\\d+: .*block scalar");
      assertThat(runB.code()).as(runB.toString()).isEqualTo(4);
      assertThat(runB.err()).containsPattern("(?m)^b/block\\.yaml:4:\\d+: .*block scalar");
      assertThat(a).hasContent(literal);
      assertThat(b).hasContent(folded);
    }

    @Test
    void imageTextInsideANonImageBlockScalarIsLeftAlone() throws IOException {
      Path root = dir("root");
      String text =
          pod(IMAGE + ":1.0") + "---\nkind: ConfigMap\ndata:\n  run.sh: |\n    docker run " + IMAGE + ":1.0\n";
      Path file = write(root, "mixed.yaml", text);

      Run run = bump(root, "-i", IMAGE + ":2.0");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(file).hasContent(text.replaceFirst(":1\\.0\n", ":2.0\n"));
      assertThat(Files.readString(file)).endsWith("docker run " + IMAGE + ":1.0\n");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 2. All or nothing

  @Test
  void oneMalformedFileMeansNoFileIsWritten() throws IOException {
    Path root = dir("root");
    Path good = write(root, "apps/good.yaml", pod(IMAGE + ":1.0"));
    String badText = "# uses " + IMAGE + "\nimage: " + IMAGE + ":1.0\nbroken: [\n";
    Path bad = write(root, "apps/zz-bad.yaml", badText);
    Path other = write(root, "aa/other.yaml", pod(IMAGE + ":1.0"));
    Map<String, byte[]> before = snapshot(root);
    Files.setLastModifiedTime(good, PAST);
    Object inode = inode(good);

    Run run = bump(root, "-i", IMAGE + ":2.0");

    assertThat(run.code()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains("apps/zz-bad.yaml:").contains("nothing written");
    assertThat(run.out()).isEmpty();
    assertSameBytes(snapshot(root), before);
    assertThat(Files.getLastModifiedTime(good)).isEqualTo(PAST);
    assertThat(inode(good)).isEqualTo(inode);
    assertThat(bad).hasContent(badText);
    assertThat(other).hasContent(pod(IMAGE + ":1.0"));
    assertNoTempFiles(root);
  }

  // ---------------------------------------------------------------------------------------------
  // 3. --dry-run

  @Test
  void dryRunWritesNothingAndPrintsAPatchThatGitAppliesToTheBytesARealRunWrites() throws Exception {
    Path dry = copyExamples("dry");
    Path real = copyExamples("real");
    Map<String, byte[]> before = snapshot(dry);
    Map<String, FileTime> mtimes = mtimes(dry);

    Run run = bump(dry, "--dry-run", "-i", IMAGE + ":1.4.2");

    assertThat(run.code()).as(run.toString()).isZero();
    assertSameBytes(snapshot(dry), before);
    assertThat(mtimes(dry)).isEqualTo(mtimes);
    assertNoTempFiles(dry);
    List<String> headers =
        run.out().lines().filter(l -> l.startsWith("--- ") || l.startsWith("+++ ")).toList();
    assertThat(headers)
        .containsExactly(
            "--- a/.argocd-source-web-staging.yaml",
            "+++ b/.argocd-source-web-staging.yaml",
            "--- a/apps/jobs/cleanup-cronjob.yaml",
            "+++ b/apps/jobs/cleanup-cronjob.yaml",
            "--- a/apps/web/deployment.yaml",
            "+++ b/apps/web/deployment.yaml",
            "--- a/apps/web/flux-imagepolicy.yaml",
            "+++ b/apps/web/flux-imagepolicy.yaml",
            "--- a/charts/web/values.yaml",
            "+++ b/charts/web/values.yaml",
            "--- a/flux/web-preview.yaml",
            "+++ b/flux/web-preview.yaml",
            "--- a/overlays/production/kustomization.yaml",
            "+++ b/overlays/production/kustomization.yaml",
            "--- a/overlays/staging/kustomization.yaml",
            "+++ b/overlays/staging/kustomization.yaml");
    assertThat(run.out()).contains("-          image: " + IMAGE + ":1.4.1   # keep this comment\n");
    assertThat(run.out()).contains("+          image: " + IMAGE + ":1.4.2   # keep this comment\n");
    // stdout is the patch alone: every line is a diff line
    assertThat(run.out().lines())
        .allMatch(l -> l.matches("(--- a/|\\+\\+\\+ b/|@@ -\\d+(,\\d+)? \\+\\d+(,\\d+)? @@|[ +\\-\\\\]).*|"));

    Run realRun = bump(real, "-i", IMAGE + ":1.4.2");
    assertThat(realRun.code()).as(realRun.toString()).isZero();

    assertGitAppliesTo(dry, run.out(), snapshot(real));
  }

  @Test
  void dryRunOfALineEndingAndBomVarietyIsApplicable() throws Exception {
    Path dry = dir("dry");
    Path real = dir("real");
    for (Path root : List.of(dry, real)) {
      write(root, "nonl.yaml", pod(IMAGE + ":1.0").stripTrailing());
      Files.write(root.resolve("bom.yaml"), concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
          ("image: " + IMAGE + ":1.0\n").getBytes(UTF_8)));
      write(root, "two.yaml", pod(IMAGE + ":1.0") + "---\n" + pod(IMAGE + ":1.0"));
    }
    Map<String, byte[]> before = snapshot(dry);

    Run run = bump(dry, "--dry-run", "-i", IMAGE + ":2.0");
    Run realRun = bump(real, "-i", IMAGE + ":2.0");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(realRun.code()).as(realRun.toString()).isZero();
    assertSameBytes(snapshot(dry), before);
    assertThat(run.out()).contains("\\ No newline at end of file");
    assertGitAppliesTo(dry, run.out(), snapshot(real));
  }
  @Test
  void dryRunOfACrlfFileIsApplicable() throws Exception {
    Path dry = dir("dry");
    Path real = dir("real");
    String crlf = pod(IMAGE + ":1.0").replace("\n", "\r\n");
    write(dry, "crlf.yaml", crlf);
    write(real, "crlf.yaml", crlf);

    Run run = bump(dry, "--dry-run", "-i", IMAGE + ":2.0");
    Run realRun = bump(real, "-i", IMAGE + ":2.0");

    assertThat(run.code()).isZero();
    assertThat(realRun.code()).isZero();
    assertThat(real.resolve("crlf.yaml")).hasContent(pod(IMAGE + ":2.0").replace("\n", "\r\n"));
    assertThat(dry.resolve("crlf.yaml")).hasContent(crlf);
    assertGitAppliesTo(dry, run.out(), snapshot(real));
  }

  @Test
  void dryRunWithNothingToChangePrintsNoDiff() throws IOException {
    Path root = dir("root");
    write(root, "pod.yaml", pod(IMAGE + ":2.0"));

    Run run = bump(root, "--dry-run", "-i", IMAGE + ":2.0");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // 4. --output json and -q

  @Test
  void jsonOutputIsExactlyOneObjectWithTheChanges() throws IOException {
    Path root = copyExamples("config");

    Run run = bump(root, "--output", "json", "-i", IMAGE + ":1.4.2");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).startsWith("{").endsWith("}\n");
    assertThat(run.out().indexOf('\n')).isEqualTo(run.out().length() - 1);
    Map<String, Object> json = StrictJson.parseObject(run.out().substring(0, run.out().length() - 1));
    assertThat(json).containsEntry("changed", true);
    assertThat(json).containsEntry("filesScanned", 12L).containsEntry("filesChanged", 8L);
    List<Map<String, Object>> changes = changes(json);
    assertThat(changes).hasSize(8);
    for (Map<String, Object> change : changes) {
      assertThat(change).containsKeys("file", "line", "column", "kind", "old", "new");
      assertThat(change.get("line")).isInstanceOf(Long.class);
      assertThat(change.get("column")).isInstanceOf(Long.class);
      assertThat((String) change.get("new")).isEqualTo(IMAGE + ":1.4.2");
    }
    assertThat(changes.get(2))
        .containsEntry("file", "apps/web/deployment.yaml")
        .containsEntry("line", 20L)
        .containsEntry("column", 18L)
        .containsEntry("kind", "container")
        .containsEntry("old", IMAGE + ":1.4.1")
        .containsEntry("new", IMAGE + ":1.4.2");
  }

  @Test
  void jsonOutputOfANoOpSaysChangedFalse() throws IOException {
    Path root = dir("root");
    write(root, "pod.yaml", pod(IMAGE + ":2.0"));
    write(root, "other.yaml", pod("docker.io/library/nginx:1.27"));

    Run run = bump(root, "--output", "json", "-i", IMAGE + ":2.0");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).startsWith("{").endsWith("}\n").contains("\"changed\":false");
    assertThat(run.out().indexOf('\n')).isEqualTo(run.out().length() - 1);
    Map<String, Object> json = StrictJson.parseObject(run.out().strip());
    assertThat(json)
        .containsEntry("changed", false)
        .containsEntry("filesScanned", 2L)
        .containsEntry("filesChanged", 0L)
        .containsEntry("changes", List.of());
  }

  @Test
  void danglingLinksAndSocketsInTheTreeAreSkippedWithANote() throws Exception {
    // FIFOs: HostileTreeIT, which may run mkfifo
    Path root = dir("root");
    Path pod = write(root, "pod.yaml", pod(IMAGE + ":1.0"));
    Files.createSymbolicLink(root.resolve("test.yaml"), Path.of("testing.yaml"));
    try (java.nio.channels.ServerSocketChannel socket =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      socket.bind(java.net.UnixDomainSocketAddress.of(root.resolve("agent.yaml")));

      Run run = bump(root, "-v", "-i", IMAGE + ":2.0");
      Run excluded = bump(root, "-i", IMAGE + ":3.0", "--exclude", "test.yaml");
      Run named = bump(root, "-i", IMAGE + ":4.0", "agent.yaml");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(run.err()).contains("test.yaml: a symlink to a missing file; not followed",
          "agent.yaml: not a regular file; skipped");
      assertThat(excluded.code()).as(excluded.toString()).isZero();
      assertThat(pod).hasContent(pod(IMAGE + ":3.0"));
      // only a PATH given by name that cannot be used is an error
      assertThat(named.code()).as(named.toString()).isEqualTo(2);
      assertThat(named.err()).contains("agent.yaml: not a regular file or a directory");
    }
  }

  @Test
  void jsonOutputKeepsDiagnosticsOffStdout() throws IOException {
    Path root = dir("root");
    write(root, "pod.yaml", pod(IMAGE + ":1.0"));
    Files.createSymbolicLink(root.resolve("out.yaml"), root.resolve("gone.yaml"));

    Run run = bump(root, "-v", "--output", "json", "--allow-no-match", "-i", IMAGE + ":2.0", "-i", "nginx:9");

    assertThat(run.code()).as(run.toString()).isZero();
    Map<String, Object> json = StrictJson.parseObject(run.out().strip());
    assertThat(changes(json)).extracting(c -> c.get("file")).containsExactly("pod.yaml");
    assertThat(run.err()).contains("out.yaml");
  }

  @Test
  void quietPrintsNothingOnStdoutInTextMode() throws IOException {
    Path root = dir("root");
    Path file = write(root, "pod.yaml", pod(IMAGE + ":1.0"));

    Run run = bump(root, "-q", "-i", IMAGE + ":2.0");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(file).hasContent(pod(IMAGE + ":2.0"));
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Text output

  @Test
  void textOutputHasOneLinePerChangeAndASummary() throws IOException {
    Path root = dir("root");
    write(root, "a.yaml", pod(IMAGE + ":1.0"));
    write(root, "apps/b.yaml", "# b\n" + pod(IMAGE + ":1.1") + "---\n" + pod(IMAGE + ":1.1"));
    write(root, "c.yaml", pod("docker.io/library/nginx:1.27"));

    Run run = bump(root, "-i", IMAGE + ":2.0");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out().lines())
        .containsExactly(
            "a.yaml:6: " + IMAGE + ":1.0 -> " + IMAGE + ":2.0",
            "apps/b.yaml:7: " + IMAGE + ":1.1 -> " + IMAGE + ":2.0",
            "apps/b.yaml:14: " + IMAGE + ":1.1 -> " + IMAGE + ":2.0",
            "3 images updated in 2 files (3 files scanned)");
    assertThat(run.err()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // 6. Writes

  @Test
  void writesKeepTheModeAndLeaveNoTempFile() throws IOException {
    Path root = dir("root");
    Path a = write(root, "a.yaml", pod(IMAGE + ":1.0"));
    Path b = write(root, "bin/b.yaml", pod(IMAGE + ":1.0"));
    Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rw-r-----"));
    Files.setPosixFilePermissions(b, PosixFilePermissions.fromString("rwxr-xr-x"));
    Object inodeA = inode(a);

    Run run = bump(root, "-i", IMAGE + ":2.0");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(a).hasContent(pod(IMAGE + ":2.0"));
    assertThat(b).hasContent(pod(IMAGE + ":2.0"));
    assertThat(mode(a)).isEqualTo("rw-r-----");
    assertThat(mode(b)).isEqualTo("rwxr-xr-x");
    // replaced through a rename, not rewritten in place
    assertThat(inode(a)).isNotEqualTo(inodeA);
    assertNoTempFiles(root);
  }

  @Test
  void noTempFileIsLeftAfterAFailure() throws IOException {
    Path root = dir("root");
    write(root, "a.yaml", pod(IMAGE + ":1.0"));
    write(root, "sub/bad.yaml", "image: " + IMAGE + ":1.0\n  x: [\n");

    Run invalid = bump(root, "-i", IMAGE + ":2.0");
    write(root, "sub/bad.yaml", "image: " + IMAGE + ":1.0\n");
    Run noMatch = bump(root, "-i", IMAGE + ":2.0", "-i", "nginx:9");

    assertThat(invalid.code()).as(invalid.toString()).isEqualTo(4);
    assertThat(noMatch.code()).as(noMatch.toString()).isEqualTo(3);
    assertThat(root.resolve("a.yaml")).hasContent(pod(IMAGE + ":1.0"));
    assertNoTempFiles(root);
  }

  @Test
  void unchangedFilesAreNotRewrittenWhenOthersChange() throws IOException {
    Path root = dir("root");
    Path changes = write(root, "changes.yaml", pod(IMAGE + ":1.0"));
    Path current = write(root, "current.yaml", pod(IMAGE + ":2.0"));
    Path unrelated = write(root, "unrelated.yaml", pod("docker.io/library/nginx:1.27"));
    Path mentions = write(root, "mentions.yaml", "# web is deployed elsewhere\nkind: ConfigMap\n");
    Map<Path, Object> inodes = new LinkedHashMap<>();
    for (Path p : List.of(changes, current, unrelated, mentions)) {
      Files.setLastModifiedTime(p, PAST);
      inodes.put(p, inode(p));
    }

    Run run = bump(root, "-i", IMAGE + ":2.0");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(changes).hasContent(pod(IMAGE + ":2.0"));
    assertThat(Files.getLastModifiedTime(changes)).isNotEqualTo(PAST);
    for (Path p : List.of(current, unrelated, mentions)) {
      assertThat(Files.getLastModifiedTime(p)).as(p.toString()).isEqualTo(PAST);
      assertThat(inode(p)).as(p.toString()).isEqualTo(inodes.get(p));
    }
    assertThat(run.out()).contains("1 image").contains("in 1 file (4 files scanned)");
  }

  // ---------------------------------------------------------------------------------------------
  // 7. Which files

  @Nested
  class WhichFiles {

    private Path root;

    private void tree() throws IOException {
      root = dir("root");
      for (String f :
          List.of(
              "a/x.yaml",
              "a/b/y.yml",
              "a/b/c/deep.yaml",
              "a/Kustomization",
              ".argocd-source-x.yaml",
              ".git/g.yaml",
              ".github/workflows/w.yaml",
              "a/.hidden/h.yaml",
              "a/notes.txt",
              "a/kustomization",
              "a/z.yaml.bak",
              "a/yaml")) {
        write(root, f, pod(IMAGE + ":1.0"));
      }
    }

    private List<Object> changedFiles(Run run) {
      assertThat(run.code()).as(run.toString()).isZero();
      return changes(StrictJson.parseObject(run.out().strip())).stream().map(c -> c.get("file")).toList();
    }

    @Test
    void recursiveOverYamlYmlAndKustomizationSkippingHiddenDirectoriesButNotHiddenFiles()
        throws IOException {
      tree();
      Map<String, byte[]> before = snapshot(root);

      Run run = bump(root, "--output", "json", "-i", IMAGE + ":2.0");

      List<String> expected =
          List.of(".argocd-source-x.yaml", "a/Kustomization", "a/b/c/deep.yaml", "a/b/y.yml", "a/x.yaml");
      assertThat(changedFiles(run)).containsExactlyElementsOf(expected);
      Map<String, byte[]> after = snapshot(root);
      for (String f : before.keySet()) {
        String want = expected.contains(f) ? pod(IMAGE + ":2.0") : pod(IMAGE + ":1.0");
        assertThat(new String(after.get(f), UTF_8)).as(f).isEqualTo(want);
      }
      assertThat(StrictJson.parseObject(run.out().strip())).containsEntry("filesScanned", 5L);
    }

    /** The walk enters no linked directory: one named as a PATH is said so, not taken as empty. */
    @Test
    void aPathThatIsALinkToADirectoryIsAUsageErrorNamingIt() throws IOException {
      tree();
      Files.createSymbolicLink(root.resolve("linked"), Path.of("a/b"));
      Map<String, byte[]> before = snapshot(root);

      for (String path : List.of("linked", "linked/")) {
        Run run = bump(root, "-i", IMAGE + ":2.0", "--allow-no-match", path);

        assertThat(run.code()).as(path).isEqualTo(2);
        assertThat(run.err()).as(path).contains(path + ": a link to a directory (a/b), which bumper does not follow;"
            + " name the directory itself").doesNotContain("\tat ");
      }
      assertThat(snapshot(root)).containsExactlyInAnyOrderEntriesOf(before);
    }

    /** A glob that is none is the user's to fix: exit 2 naming the option, no stack trace. */
    @Test
    void aGlobThatIsNoneIsAUsageErrorNamingTheOption() throws IOException {
      tree();
      Map<String, byte[]> before = snapshot(root);

      for (String[] glob : new String[][] {{"--include", "["}, {"--exclude", "{a,{b}}"}, {"--include", "**/[z-a].yaml"}}) {
        Run run = bump(root, "-v", "-i", IMAGE + ":2.0", glob[0], glob[1]);

        assertThat(run.code()).as(glob[1]).isEqualTo(2);
        assertThat(run.err()).as(glob[1]).contains(glob[0] + " '" + glob[1] + "': not a glob (")
            .doesNotContain("internal error").doesNotContain("\tat ");
      }
      assertThat(snapshot(root)).containsExactlyInAnyOrderEntriesOf(before);
    }

    @Test
    void pathArgumentsLimitTheSearch() throws IOException {
      tree();

      Run run = bump(root, "--output", "json", "-i", IMAGE + ":2.0", "a/b", "a/notes.txt");

      // a file named explicitly is taken whatever its name
      assertThat(changedFiles(run)).containsExactly("a/b/c/deep.yaml", "a/b/y.yml", "a/notes.txt");
      assertThat(root.resolve("a/x.yaml")).hasContent(pod(IMAGE + ":1.0"));
    }

    @Test
    void includeGlobWithoutSlashMatchesFileNames() throws IOException {
      tree();

      Run run = bump(root, "--output", "json", "-i", IMAGE + ":2.0", "--include", "*.yml");

      assertThat(changedFiles(run)).containsExactly("a/b/y.yml");
      assertThat(root.resolve("a/x.yaml")).hasContent(pod(IMAGE + ":1.0"));
    }

    @Test
    void includeGlobWithSlashMatchesTheRelativePath() throws IOException {
      tree();

      Run one = bump(root, "--output", "json", "-i", IMAGE + ":2.0", "--include", "a/*.yaml");
      Run many = bump(root, "--output", "json", "-i", IMAGE + ":3.0", "--include", "a/**");

      assertThat(changedFiles(one)).containsExactly("a/x.yaml");
      assertThat(changedFiles(many))
          .containsExactly("a/Kustomization", "a/b/c/deep.yaml", "a/b/y.yml", "a/x.yaml");
      assertThat(root.resolve(".argocd-source-x.yaml")).hasContent(pod(IMAGE + ":1.0"));
    }

    @Test
    void excludeGlobsByNameAndByPath() throws IOException {
      tree();

      Run run =
          bump(root, "--output", "json", "-i", IMAGE + ":2.0", "--exclude", "x.yaml", "--exclude", "a/b/*");

      assertThat(changedFiles(run)).containsExactly(".argocd-source-x.yaml", "a/Kustomization", "a/b/c/deep.yaml");
      assertThat(root.resolve("a/x.yaml")).hasContent(pod(IMAGE + ":1.0"));
      assertThat(root.resolve("a/b/y.yml")).hasContent(pod(IMAGE + ":1.0"));
    }

    @Test
    void symlinkedFileInsideTheRootIsBumpedOnceThroughItsTarget() throws IOException {
      root = dir("root");
      Path target = write(root, "a/x.yaml", pod(IMAGE + ":1.0"));
      Path link = root.resolve("a/link.yaml");
      Files.createSymbolicLink(link, Path.of("x.yaml"));
      Path otherLink = root.resolve("b/link.yaml");
      Files.createDirectories(otherLink.getParent());
      Files.createSymbolicLink(otherLink, Path.of("../a/x.yaml"));

      Run run = bump(root, "--output", "json", "-i", IMAGE + ":2.0");

      assertThat(run.code()).as(run.toString()).isZero();
      Map<String, Object> json = StrictJson.parseObject(run.out().strip());
      assertThat(changes(json)).hasSize(1);
      assertThat(changes(json).get(0).get("file")).isIn("a/x.yaml", "a/link.yaml", "b/link.yaml");
      assertThat(json).containsEntry("filesChanged", 1L);
      assertThat(target).hasContent(pod(IMAGE + ":2.0"));
      assertThat(Files.isSymbolicLink(link)).isTrue();
      assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("x.yaml"));
      assertThat(Files.isSymbolicLink(otherLink)).isTrue();
      assertThat(Files.readSymbolicLink(otherLink)).isEqualTo(Path.of("../a/x.yaml"));
      assertNoTempFiles(root);
    }
    @Test
    void symlinkedFileIsReportedUnderTheFileActuallyWritten() throws Exception {
      root = dir("root");
      write(root, "a/x.yaml", pod(IMAGE + ":1.0"));
      for (int i = 0; i < 9; i++) {
        Files.createSymbolicLink(root.resolve("a/l" + i + ".yaml"), Path.of("x.yaml"));
      }
      // named explicitly, the link first: the order is then certain
      Run explicit = bump(root, "--output", "json", "-i", IMAGE + ":2.0", "a/l0.yaml", "a/x.yaml");
      Run walked = bump(root, "--dry-run", "-i", IMAGE + ":3.0");

      assertThat(changedFiles(explicit)).containsExactly("a/x.yaml");
      assertThat(walked.out()).startsWith("--- a/a/x.yaml\n+++ b/a/x.yaml\n");
      Map<String, byte[]> expected = snapshot(root);
      expected.put("a/x.yaml", pod(IMAGE + ":3.0").getBytes(UTF_8));
      assertGitAppliesTo(root, walked.out(), expected);
    }

    @Test
    void symlinkOutOfTheRootFailsTheRunAndNothingIsWritten() throws IOException {
      root = dir("root");
      Path inside = write(root, "a/x.yaml", pod(IMAGE + ":1.0"));
      Path outsideDir = dir("outside");
      Path outside = write(outsideDir, "o.yaml", pod(IMAGE + ":1.0"));
      Path outside2 = write(outsideDir, "deeper/p.yaml", pod(IMAGE + ":1.0"));
      Files.createSymbolicLink(root.resolve("a/out.yaml"), outside);
      Files.createSymbolicLink(root.resolve("a/up.yaml"), Path.of("../../outside/deeper/p.yaml"));
      Files.createSymbolicLink(root.resolve("a/outdir"), outsideDir);

      Run dryRun = bump(root, "--dry-run", "-i", IMAGE + ":2.0");
      Run run = bump(root, "-i", IMAGE + ":2.0");

      for (Run refused : List.of(dryRun, run)) {
        assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err())
            .contains("a/out.yaml leads through a symlink to " + outside.toRealPath() + ", outside the root")
            .contains("a/up.yaml leads through a symlink to " + outside2.toRealPath() + ", outside the root")
            .contains("2 of 3 files could not be bumped; nothing written")
            .doesNotContain("outdir"); // a directory: not entered, and no manifest of its own
      }
      // all or nothing: the file inside the root that would have changed is not written either
      assertThat(inside).hasContent(pod(IMAGE + ":1.0"));
      assertThat(outside).hasContent(pod(IMAGE + ":1.0"));
      assertThat(outside2).hasContent(pod(IMAGE + ":1.0"));
      assertThat(root.resolve("a/out.yaml")).isSymbolicLink();
      assertNoTempFiles(outsideDir);
    }

    @Test
    void excludingASymlinkOutOfTheRootBumpsTheRest() throws IOException {
      root = dir("root");
      Path inside = write(root, "a/x.yaml", pod(IMAGE + ":1.0"));
      Path outside = write(dir("outside"), "o.yaml", pod(IMAGE + ":1.0"));
      Files.createSymbolicLink(root.resolve("a/out.yaml"), outside);

      Run refused = bump(root, "-i", IMAGE + ":2.0");
      Run run = bump(root, "-i", IMAGE + ":2.0", "--exclude", "a/out.yaml");

      assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
      assertThat(refused.err()).contains("(--exclude 'a/out.yaml' leaves it out)");
      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(run.out()).contains("1 image updated in 1 file (1 file scanned)");
      assertThat(inside).hasContent(pod(IMAGE + ":2.0"));
      assertThat(outside).hasContent(pod(IMAGE + ":1.0"));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 8. The example config repo

  @Nested
  class Examples {
    private static final String STAGING_DIGEST =
        "sha256:4f2c1b9e8d7a6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b";

    private Path root;
    private Map<String, byte[]> original;

    private void copy() throws IOException {
      root = copyExamples("config");
      original = snapshot(root);
      assertThat(original).hasSize(13);
    }

    /** Original text of a file with {@code from} replaced once by {@code to}. */
    private String edited(String file, String from, String to) {
      String text = new String(original.get(file), UTF_8);
      assertThat(text).as(file).contains(from);
      int at = text.indexOf(from);
      assertThat(text.indexOf(from, at + 1)).as(file + ": '" + from + "' is unique").isEqualTo(-1);
      return text.substring(0, at) + to + text.substring(at + from.length());
    }

    private void assertOnlyChanged(Map<String, String> changedFiles) throws IOException {
      Map<String, byte[]> after = snapshot(root);
      assertThat(after.keySet()).isEqualTo(original.keySet());
      for (String f : original.keySet()) {
        if (changedFiles.containsKey(f)) {
          assertThat(new String(after.get(f), UTF_8)).as(f).isEqualTo(changedFiles.get(f));
        } else {
          assertThat(after.get(f)).as(f + " unchanged").isEqualTo(original.get(f));
        }
      }
    }

    @Test
    void imageBumpChangesExactlyTheExpectedLines() throws IOException {
      copy();

      Run run = bump(root, "--output", "json", "-i", IMAGE + ":1.4.2");

      assertThat(run.code()).as(run.toString()).isZero();
      Map<String, Object> json = StrictJson.parseObject(run.out().strip());
      assertThat(json).containsEntry("filesScanned", 12L).containsEntry("filesChanged", 8L);
      assertThat(changes(json))
          .extracting(c -> List.of(c.get("file"), c.get("line"), c.get("column"), c.get("kind"), c.get("old"), c.get("new")))
          .containsExactly(
              List.of(".argocd-source-web-staging.yaml", 3L, 7L, "argocd", IMAGE + ":1.4.1", IMAGE + ":1.4.2"),
              List.of("apps/jobs/cleanup-cronjob.yaml", 18L, 22L, "container", IMAGE + ":1.4.1", IMAGE + ":1.4.2"),
              List.of("apps/web/deployment.yaml", 20L, 18L, "container", IMAGE + ":1.4.1", IMAGE + ":1.4.2"),
              List.of("apps/web/flux-imagepolicy.yaml", 17L, 18L, "container", IMAGE + ":1.4.1", IMAGE + ":1.4.2"),
              List.of("charts/web/values.yaml", 8L, 8L, "helm", IMAGE + ":1.4.1", IMAGE + ":1.4.2"),
              List.of("flux/web-preview.yaml", 41L, 15L, "kustomize", IMAGE + ":1.4.1", IMAGE + ":1.4.2"),
              List.of("overlays/production/kustomization.yaml", 14L, 13L, "kustomize", IMAGE + ":1.4.0", IMAGE + ":1.4.2"),
              List.of("overlays/staging/kustomization.yaml", 12L, 13L, "kustomize", IMAGE + ":1.4.1@" + STAGING_DIGEST,
                  IMAGE + ":1.4.2"));
      Map<String, String> expected = new TreeMap<>();
      expected.put(".argocd-source-web-staging.yaml",
          edited(".argocd-source-web-staging.yaml", "- ghcr.io/acme/web:1.4.1\n", "- ghcr.io/acme/web:1.4.2\n"));
      expected.put("apps/jobs/cleanup-cronjob.yaml",
          edited("apps/jobs/cleanup-cronjob.yaml", "image: ghcr.io/acme/web:1.4.1\n", "image: ghcr.io/acme/web:1.4.2\n"));
      expected.put("apps/web/deployment.yaml",
          edited("apps/web/deployment.yaml", "web:1.4.1   # keep this comment", "web:1.4.2   # keep this comment"));
      expected.put("apps/web/flux-imagepolicy.yaml",
          edited("apps/web/flux-imagepolicy.yaml", "web:1.4.1 # {", "web:1.4.2 # {"));
      expected.put("charts/web/values.yaml", edited("charts/web/values.yaml", "tag: \"1.4.1\"", "tag: \"1.4.2\""));
      expected.put("flux/web-preview.yaml",
          edited("flux/web-preview.yaml", "newTag: 1.4.1 # {", "newTag: 1.4.2 # {"));
      expected.put("overlays/production/kustomization.yaml",
          edited("overlays/production/kustomization.yaml", "newTag: 1.4.0\n", "newTag: 1.4.2\n"));
      expected.put("overlays/staging/kustomization.yaml",
          edited("overlays/staging/kustomization.yaml", "newTag: 1.4.1\n    digest: " + STAGING_DIGEST + "\n",
              "newTag: 1.4.2\n"));
      assertOnlyChanged(expected);
      assertNoTempFiles(root);

      Run again = bump(root, "-i", IMAGE + ":1.4.2");
      assertThat(again.code()).as(again.toString()).isZero();
      assertThat(again.out()).isEqualTo("0 images updated in 0 files (12 files scanned)\n");
    }

    @Test
    void policyChangesOnlyTheMarkedLines() throws IOException {
      copy();

      Run run = bump(root, "--output", "json", "--policy", "flux-system:web=" + IMAGE + ":1.4.3");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(changes(StrictJson.parseObject(run.out().strip())))
          .extracting(c -> List.of(c.get("file"), c.get("line"), c.get("kind"), c.get("old"), c.get("new")))
          .containsExactly(
              List.of("apps/web/flux-imagepolicy.yaml", 17L, "marker", IMAGE + ":1.4.1", IMAGE + ":1.4.3"),
              List.of("flux/web-preview.yaml", 41L, "marker", "1.4.1", "1.4.3"));
      assertOnlyChanged(
          Map.of(
              "apps/web/flux-imagepolicy.yaml",
              edited(
                  "apps/web/flux-imagepolicy.yaml",
                  "image: ghcr.io/acme/web:1.4.1 # {\"$imagepolicy\": \"flux-system:web\"}",
                  "image: ghcr.io/acme/web:1.4.3 # {\"$imagepolicy\": \"flux-system:web\"}"),
              "flux/web-preview.yaml",
              edited(
                  "flux/web-preview.yaml",
                  "newTag: 1.4.1 # {\"$imagepolicy\": \"flux-system:web:tag\"}",
                  "newTag: 1.4.3 # {\"$imagepolicy\": \"flux-system:web:tag\"}")));
    }

    @Test
    void setOnValuesImageTag() throws IOException {
      copy();

      Run run = bump(root, "--set", "image.tag=1.5.0", "charts/web/values.yaml");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(run.out().lines()).first().isEqualTo("charts/web/values.yaml:8: 1.4.1 -> 1.5.0");
      assertOnlyChanged(
          Map.of("charts/web/values.yaml", edited("charts/web/values.yaml", "tag: \"1.4.1\"", "tag: \"1.5.0\"")));
    }

    @Test
    void setOverTheWholeTreeTouchesOnlyFilesWithThePath() throws IOException {
      copy();

      Run run = bump(root, "--output", "json", "--set", "image.tag=1.5.0");

      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(changes(StrictJson.parseObject(run.out().strip())))
          .extracting(c -> List.of(c.get("file"), c.get("line"), c.get("kind")))
          .containsExactly(List.of("charts/web/values.yaml", 8L, "path"));
      assertOnlyChanged(
          Map.of("charts/web/values.yaml", edited("charts/web/values.yaml", "tag: \"1.4.1\"", "tag: \"1.5.0\"")));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  static Run bump(Path root, String... args) {
    List<String> all = new ArrayList<>(List.of("bump-manifest", "-C", root.toString()));
    all.addAll(Arrays.asList(args));
    return run(all.toArray(String[]::new));
  }

  static String pod(String image) {
    return "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: web\n      image: " + image + "\n";
  }

  private Path dir(String name) throws IOException {
    return Files.createDirectories(tmp.resolve(name)).toRealPath();
  }

  static Path write(Path root, String relative, String text) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, UTF_8);
    return file;
  }

  private Path copyExamples(String name) throws IOException {
    Path source = Path.of(System.getProperty("basedir", ".")).resolve("examples/config");
    assertThat(source).as("examples/config in the project").isDirectory();
    Path target = dir(name);
    try (Stream<Path> all = Files.walk(source)) {
      for (Path p : all.toList()) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return target;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  static Object inode(Path p) throws IOException {
    return Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
  }

  static String mode(Path p) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    return PosixFilePermissions.toString(perms);
  }

  /** Every regular file under root (not following links, skipping .git), by relative path. */
  static Map<String, byte[]> snapshot(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    walk(root, (p, rel) -> files.put(rel, Files.readAllBytes(p)));
    return files;
  }

  static Map<String, FileTime> mtimes(Path root) throws IOException {
    Map<String, FileTime> times = new TreeMap<>();
    walk(root, (p, rel) -> times.put(rel, Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)));
    return times;
  }

  interface FileAction {
    void accept(Path file, String relative) throws IOException;
  }

  static void walk(Path root, FileAction action) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            return d.getFileName().toString().equals(".git") && !d.equals(root)
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            if (attrs.isRegularFile()) {
              action.accept(file, root.relativize(file).toString().replace('\\', '/'));
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  static void assertSameBytes(Map<String, byte[]> actual, Map<String, byte[]> expected) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String f : expected.keySet()) {
      assertThat(actual.get(f)).as(f).isEqualTo(expected.get(f));
    }
  }

  static void assertNoTempFiles(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      List<String> temps =
          all.filter(p -> TEMP_FILE.matcher(p.getFileName().toString()).matches())
              .map(Path::toString)
              .toList();
      assertThat(temps).as("temp files left behind").isEmpty();
    }
  }

  static void assertUsageError(Run run) {
    assertThat(run.code()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).as("stdout").isEmpty();
    assertThat(run.err()).as("stderr").startsWith("bumper: ");
    assertNoJavaInternals(run.err());
  }

  static void assertNoJavaInternals(String err) {
    assertThat(err)
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("dev.bumper.")
        .doesNotContain("java.")
        .doesNotContain("picocli.");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> changes(Map<String, Object> json) {
    assertThat(json).containsKey("changes");
    return (List<Map<String, Object>>) json.get("changes");
  }

  /**
   * Runs the real git CLI: {@code git init}, {@code git apply --check} and {@code git apply} of
   * {@code patch} in {@code tree}, then checks the tree holds exactly {@code expected}.
   */
  private void assertGitAppliesTo(Path tree, String patch, Map<String, byte[]> expected)
      throws IOException, InterruptedException {
    Path patchFile = tmp.resolve("patch-" + tree.getFileName() + ".diff");
    Files.writeString(patchFile, patch, UTF_8);
    TestProcesses.git(tree, "init", "-q", ".");
    String check = TestProcesses.git(tree, "apply", "--check", patchFile.toString());
    assertThat(check).as("git apply --check output").isEmpty();
    TestProcesses.git(tree, "apply", patchFile.toString());
    assertSameBytes(snapshot(tree), expected);
  }

  /** A strict, minimal JSON parser: objects, arrays, strings, integers, booleans, null. */

}
