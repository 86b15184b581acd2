package dev.bumper.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  @Test
  void replacesContent() throws IOException {
    Path file = Files.writeString(dir.resolve("app.yaml"), "image: app:1\nlonger old content\n");

    AtomicFiles.write(file, "image: app:2\n".getBytes(UTF_8));

    assertThat(file).hasContent("image: app:2\n");
    assertThat(names(dir)).containsExactly("app.yaml");
  }

  @Test
  void createsMissingFile() throws IOException {
    Path file = dir.resolve("new.yaml");

    AtomicFiles.write(file, new byte[] {1, 2, 3});

    assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    assertThat(names(dir)).containsExactly("new.yaml");
  }

  @Test
  void newFileGetsDefaultModeNotTheTempFilesOwnerOnlyMode() throws IOException {
    assumePosix();
    Path reference = Files.writeString(dir.resolve("reference"), "x");
    Path file = dir.resolve("new.yaml");

    AtomicFiles.write(file, new byte[0]);

    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(Files.getPosixFilePermissions(reference));
  }

  @Test
  void writesEmptyAndLargeContent() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "old");
    byte[] large = new byte[5 * 1024 * 1024 + 7];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) i;
    }

    AtomicFiles.write(file, new byte[0]);
    assertThat(file).isEmptyFile();
    AtomicFiles.write(file, large);
    assertThat(Files.readAllBytes(file)).isEqualTo(large);
  }

  @Test
  void keepsMode0750() throws IOException {
    assertModeKept("rwxr-x---");
  }

  @Test
  void keepsMode0600() throws IOException {
    assertModeKept("rw-------");
  }

  @Test
  void keepsReadOnlyMode0444() throws IOException {
    assertModeKept("r--r--r--");
  }

  private void assertModeKept(String mode) throws IOException {
    assumePosix();
    Path file = Files.writeString(dir.resolve("f.yaml"), "old");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

    AtomicFiles.write(file, "new".getBytes(UTF_8));

    assertThat(file).hasContent("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo(mode);
    assertThat(names(dir)).containsExactly("f.yaml");
  }

  @Test
  void replacesSymlinkItselfAndLeavesItsTargetAlone() throws IOException {
    Path target = Files.writeString(dir.resolve("target"), "target");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target.getFileName());

    AtomicFiles.write(link, "new".getBytes(UTF_8));

    assertThat(Files.isSymbolicLink(link)).isFalse();
    assertThat(link).hasContent("new");
    assertThat(target).hasContent("target");
  }

  @Test
  void removesTempFileWhenMoveFails() throws IOException {
    Path target = Files.createDirectory(dir.resolve("target"));
    Files.writeString(target.resolve("inside"), "x");

    assertThatThrownBy(() -> AtomicFiles.write(target, "new".getBytes(UTF_8)))
        .isInstanceOf(IOException.class);

    assertThat(names(dir)).containsExactly("target");
    assertThat(target.resolve("inside")).hasContent("x");
  }

  @Test
  void failsWithoutLeftoversWhenDirectoryIsMissing() {
    Path file = dir.resolve("missing/f.yaml");

    assertThatThrownBy(() -> AtomicFiles.write(file, new byte[1]))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void recognisesTempFileNames() {
    assertThat(AtomicFiles.isTempFile(Path.of("a/.app.yaml.bumper-0123456789abcdef.tmp"))).isTrue();
    assertThat(AtomicFiles.isTempFile(Path.of(".x.bumper-ffffffffffffffff.tmp"))).isTrue();
    assertThat(AtomicFiles.isTempFile(Path.of(".x.bumper-4242-ffffffffffffffff.tmp"))).isTrue();

    assertThat(AtomicFiles.isTempFile(Path.of("app.yaml"))).isFalse();
    assertThat(AtomicFiles.isTempFile(Path.of("app.yaml.bumper-0123456789abcdef.tmp"))).isFalse();
    assertThat(AtomicFiles.isTempFile(Path.of("..bumper-0123456789abcdef.tmp"))).isFalse();
    assertThat(AtomicFiles.isTempFile(Path.of(".app.yaml.bumper-0123.tmp"))).isFalse();
    assertThat(AtomicFiles.isTempFile(Path.of(".app.yaml.bumper-0123456789ABCDEF.tmp"))).isFalse();
    assertThat(AtomicFiles.isTempFile(Path.of(".app.yaml.bumper-0123456789abcdef.tmp.x")))
        .isFalse();
    assertThat(AtomicFiles.isTempFile(Path.of("/"))).isFalse();
  }

  @Test
  void removesStaleTempFilesOnly() throws IOException {
    Files.writeString(dir.resolve(".a.yaml.bumper-0123456789abcdef.tmp"), "partial");
    Files.writeString(dir.resolve(".b.yaml.bumper-fedcba9876543210.tmp"), "partial");
    Files.writeString(dir.resolve("a.yaml"), "keep");
    Files.writeString(dir.resolve(".a.yaml.tmp"), "keep");
    Files.createDirectory(dir.resolve(".d.bumper-0000000000000000.tmp"));
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Files.writeString(sub.resolve(".c.bumper-0123456789abcdef.tmp"), "other directory");

    int removed = AtomicFiles.removeStaleTempFiles(dir);

    assertThat(removed).isEqualTo(2);
    assertThat(names(dir))
        .containsExactlyInAnyOrder(
            ".a.yaml.tmp", ".d.bumper-0000000000000000.tmp", "a.yaml", "sub");
    assertThat(names(sub)).hasSize(1);
  }

  @Test
  void keepsTheTempFilesOfARunStillWriting() throws IOException {
    Path live = dir.resolve(AtomicFiles.tempName("a.yaml"));
    Files.writeString(live, "being written");
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    Path ofOther = dir.resolve(".b.yaml.bumper-" + sleeper.pid() + "-0123456789abcdef.tmp");
    Files.writeString(ofOther, "being written by another process");
    long deadPid;
    Process ended = new ProcessBuilder("true").start();
    try {
      ended.waitFor();
      deadPid = ended.pid();
      Path ofDead = dir.resolve(".c.yaml.bumper-" + deadPid + "-0123456789abcdef.tmp");
      Files.writeString(ofDead, "left by a killed run");

      int removed = AtomicFiles.removeStaleTempFiles(dir);

      assertThat(removed).isEqualTo(1);
      assertThat(names(dir)).containsExactlyInAnyOrder(live.getFileName().toString(), ofOther.getFileName().toString());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    } finally {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void tempNamesAreRecognisedAndDiffer() {
    String first = AtomicFiles.tempName("app.yaml");
    String second = AtomicFiles.tempName("app.yaml");

    assertThat(first).startsWith(".app.yaml.bumper-" + ProcessHandle.current().pid() + "-").endsWith(".tmp");
    assertThat(AtomicFiles.isTempFile(Path.of(first))).isTrue();
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void writeAllWritesEveryFile() throws IOException {
    Path a = Files.writeString(dir.resolve("a"), "old a");
    Path b = dir.resolve("b");
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(a, "new a".getBytes(UTF_8));
    files.put(b, "new b".getBytes(UTF_8));

    AtomicFiles.writeAll(files);

    assertThat(a).hasContent("new a");
    assertThat(b).hasContent("new b");
    assertThat(names(dir)).containsExactlyInAnyOrder("a", "b");
  }

  /**
   * Every file's new content is written beside it before the first is renamed into place: a file
   * that cannot be written (here a directory in its way, after one that can) leaves every file
   * as it was, and no temp file behind.
   */
  @Test
  void writeAllWritesNothingWhenOneFileCannotBeWritten() throws IOException {
    Path a = Files.writeString(dir.resolve("a"), "old a");
    Path blocked = Files.createDirectory(dir.resolve("blocked"));
    Files.writeString(blocked.resolve("inside"), "x");
    Path c = Files.writeString(dir.resolve("c"), "old c");
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(a, "new a".getBytes(UTF_8));
    files.put(blocked, "new".getBytes(UTF_8));
    files.put(c, "new c".getBytes(UTF_8));

    assertThatThrownBy(() -> AtomicFiles.writeAll(files))
        .isInstanceOfSatisfying(
            PartialWriteException.class,
            e -> {
              assertThat(e.failedFile()).isEqualTo(blocked);
              assertThat(e.writtenFiles()).isEmpty();
              assertThat(e.getCause()).isInstanceOf(IOException.class);
            })
        .hasMessageContaining(blocked.toString())
        .hasMessageContaining("no file was written");

    assertThat(a).hasContent("old a");
    assertThat(c).hasContent("old c");
    assertThat(names(dir)).containsExactlyInAnyOrder("a", "blocked", "c");
    assertThat(names(blocked)).containsExactly("inside");
  }

  /** A file whose temp file cannot be made (its directory is gone) fails the batch before any rename. */
  @Test
  void aFileWhoseTempFileCannotBeMadeFailsTheBatchBeforeAnyRename() throws IOException {
    Path a = Files.writeString(dir.resolve("a"), "old a");
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path b = Files.writeString(sub.resolve("b"), "old b");
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(a, "new a".getBytes(UTF_8));
    files.put(b, "new b".getBytes(UTF_8));
    files.put(dir.resolve("gone/c"), "new c".getBytes(UTF_8));

    assertThatThrownBy(() -> AtomicFiles.writeAll(files))
        .isInstanceOfSatisfying(PartialWriteException.class, e -> {
          assertThat(e.writtenFiles()).isEmpty();
          assertThat(e.failedFile()).isEqualTo(dir.resolve("gone/c"));
        });

    assertThat(a).hasContent("old a");
    assertThat(b).hasContent("old b");
    assertThat(names(dir)).containsExactlyInAnyOrder("a", "sub");
    assertThat(names(sub)).containsExactly("b");
  }

  /** A name as long as the file system takes leaves no room to name a temp file after it. */
  @Test
  void aFileWithTheLongestNameIsWrittenThroughAShortTempName() throws IOException {
    Path longest = Files.writeString(dir.resolve("x".repeat(251) + ".yml"), "old");

    AtomicFiles.write(longest, "new".getBytes(UTF_8));

    assertThat(longest).hasContent("new");
    assertThat(names(dir)).containsExactly("x".repeat(251) + ".yml");
  }

  @Test
  void writeAllChecksArgumentsBeforeWriting() throws IOException {
    Path a = Files.writeString(dir.resolve("a"), "old a");
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(a, "new a".getBytes(UTF_8));
    files.put(dir.resolve("b"), null);

    assertThatThrownBy(() -> AtomicFiles.writeAll(files)).isInstanceOf(NullPointerException.class);
    assertThat(a).hasContent("old a");
  }

  @Test
  void writeAllOfNothingDoesNothing() throws IOException {
    AtomicFiles.writeAll(Map.of());

    assertThat(dir).isEmptyDirectory();
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  private void assumePosix() {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
  }
}
