package dev.bumper.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.image.ImageUpdate;
import dev.bumper.manifest.BumpRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriteRoot}, the one place that decides whether bumper may write a path, and the writes
 * that ask it: on a real file system, with real symlinks, absolute and relative.
 */
class WriteRootTest {
  private static final String POD = "spec:\n  containers:\n    - name: web\n      image: ghcr.io/acme/web:1.0\n";

  @TempDir Path tmp;
  private Path root;
  private Path outside;

  @BeforeEach
  void layout() throws IOException {
    root = Files.createDirectories(tmp.resolve("root")).toRealPath();
    Files.createDirectories(root.resolve(".git/hooks"));
    Files.writeString(root.resolve(".git/hooks/pre-commit.yaml"), "x");
    outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
    Files.writeString(outside.resolve("pod.yaml"), POD);
  }

  @Test
  void filesInsideTheRootResolveToTheirRealPath() throws IOException {
    Path file = Files.writeString(root.resolve("pod.yaml"), POD);
    Path link = Files.createSymbolicLink(Files.createDirectories(root.resolve("overlay")).resolve("pod.yaml"),
        Path.of("../pod.yaml"));
    WriteRoot writeRoot = WriteRoot.of(root);

    assertThat(writeRoot.resolve(file)).isEqualTo(file);
    assertThat(writeRoot.resolve(link)).as("a link inside the root is written through").isEqualTo(file);
    assertThat(writeRoot.resolve(root.resolve("overlay/new.yaml"))).isEqualTo(root.resolve("overlay/new.yaml"));
  }

  @Test
  void linksOutOfTheRootAreRefusedNamingTheLinkAndItsTarget() throws IOException {
    Path absolute = Files.createSymbolicLink(root.resolve("absolute.yaml"), outside.resolve("pod.yaml"));
    Path relative = Files.createSymbolicLink(root.resolve("relative.yaml"), Path.of("../outside/pod.yaml"));
    Path viaDirectory = Files.createSymbolicLink(root.resolve("dir"), outside).resolve("pod.yaml");
    WriteRoot writeRoot = WriteRoot.of(root);

    for (Path file : List.of(absolute, relative, viaDirectory)) {
      assertThatThrownBy(() -> writeRoot.resolve(file))
          .as(file.toString())
          .isInstanceOfSatisfying(OutsideRootException.class, e -> {
            assertThat(e.target()).isEqualTo(outside.resolve("pod.yaml"));
            assertThat(e.intoGit()).isFalse();
          })
          .hasMessage(file + " leads through a symlink to " + outside.resolve("pod.yaml") + ", outside the root "
              + root + "; bumper writes only inside the root, and did not write it");
    }
    assertThatThrownBy(() -> writeRoot.resolve(root.resolve("../outside/new.yaml")))
        .isInstanceOf(OutsideRootException.class)
        .hasMessageContaining("is outside the root " + root);
  }

  @Test
  void gitsOwnFilesAreRefusedByNameAndThroughLinks() throws IOException {
    Path link = Files.createSymbolicLink(root.resolve("hook.yaml"), Path.of(".git/hooks/pre-commit.yaml"));
    WriteRoot writeRoot = WriteRoot.of(root);

    assertThatThrownBy(() -> writeRoot.resolve(link))
        .isInstanceOfSatisfying(OutsideRootException.class, e -> assertThat(e.intoGit()).isTrue())
        .hasMessageContaining("hook.yaml leads through a symlink to " + root.resolve(".git/hooks/pre-commit.yaml")
            + ", into .git");
    assertThatThrownBy(() -> writeRoot.resolve(root.resolve(".git/config")))
        .isInstanceOf(OutsideRootException.class)
        .hasMessageContaining("is inside .git");
    assertThatThrownBy(() -> WriteRoot.of(root.resolve(".git/hooks")))
        .isInstanceOf(OutsideRootException.class);
  }

  @Test
  void aDanglingLinkIsNeverWrittenThrough() throws IOException {
    Path link = Files.createSymbolicLink(root.resolve("ghost.yaml"), outside.resolve("created.yaml"));
    WriteRoot writeRoot = WriteRoot.of(root);

    assertThatThrownBy(() -> AtomicFiles.write(writeRoot, link, "x".getBytes(UTF_8)))
        .isInstanceOf(NoSuchFileException.class);

    assertThat(outside.resolve("created.yaml")).doesNotExist();
    assertThat(link).isSymbolicLink();
  }

  @Test
  void writeAllChecksEveryFileBeforeWritingAny() throws IOException {
    Path first = Files.writeString(root.resolve("a.yaml"), POD);
    Path link = Files.createSymbolicLink(root.resolve("b.yaml"), Path.of("../outside/pod.yaml"));
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(first, "new".getBytes(UTF_8));
    files.put(link, "new".getBytes(UTF_8));

    assertThatThrownBy(() -> AtomicFiles.writeAll(WriteRoot.of(root), files))
        .isInstanceOf(OutsideRootException.class)
        .hasMessageContaining("b.yaml leads through a symlink to " + outside.resolve("pod.yaml"));

    assertThat(first).hasContent(POD);
    assertThat(outside.resolve("pod.yaml")).hasContent(POD);
  }

  @Test
  void aLinkPlantedAfterTheWalkIsRefusedAtTheWrite() throws IOException {
    Path file = Files.writeString(root.resolve("pod.yaml"), POD);
    WriteRoot writeRoot = WriteRoot.of(root);
    ManifestFiles files = new ManifestFiles(writeRoot, List.of(), List.of(), note -> {});
    BumpRequest request = new BumpRequest(List.of(ImageUpdate.parse("ghcr.io/acme/web:2.0")), List.of(), List.of());
    TreeBump bump = new TreeBumper(request, 1).bump(files.list(List.of(root)));
    assertThat(bump.changedFiles()).hasSize(1);

    // Between the walk and the write, the file becomes a link out of the root.
    Files.delete(file);
    Files.createSymbolicLink(file, outside.resolve("pod.yaml"));

    assertThatThrownBy(() -> TreeBumper.write(writeRoot, bump))
        .isInstanceOf(OutsideRootException.class)
        .hasMessageContaining("pod.yaml leads through a symlink to " + outside.resolve("pod.yaml"));
    assertThat(outside.resolve("pod.yaml")).hasContent(POD);
    assertThat(file).isSymbolicLink();
  }
}
