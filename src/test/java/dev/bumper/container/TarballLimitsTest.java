package dev.bumper.container;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tarballs whose headers claim more than any image tarball holds: a GNU long name or a PAX record
 * of 200 MB, twelve thousand entries, an OCI manifest of 100 MB. commons-compress keeps what it
 * indexes in memory, and a manifest is read whole, so each of these cost memory in proportion to
 * the claim (1.3 GB of RSS for the long name, 1 GB for the manifest). Now each is refused as
 * invalid input within a second, having allocated a bounded amount whatever the claim.
 *
 * <p>The big entries are holes in sparse files: the claim is real to every reader, the disk holds
 * none of it.
 */
class TarballLimitsTest {
  private static final long CLAIM = 200L * 1024 * 1024;
  /** What reading a tarball may allocate before it is refused: four times the header budget. */
  private static final long MAX_ALLOCATED = 4 * TarIndex.MAX_HEADER_BYTES;

  @TempDir Path tmp;

  @Test
  void aLongNameOfTwoHundredMegabytesIsRefusedWithinTheHeaderBudget() throws Exception {
    Path tarball = tmp.resolve("long-name.tar");
    try (FileChannel tar = create(tarball)) {
      header(tar, new TarArchiveEntry("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME), CLAIM);
      tar.position(tar.position() + CLAIM); // the name: a hole, zeros to whoever reads it
      header(tar, new TarArchiveEntry("manifest.json"), 0);
      end(tar);
    }

    assertRefused(tarball, "more than 16 MB of tar headers, long names and PAX records");
  }

  @Test
  void aPaxRecordOfTwoHundredMegabytesIsRefusedWithinTheHeaderBudget() throws Exception {
    Path tarball = tmp.resolve("pax-path.tar");
    String start = CLAIM + " path=";
    try (FileChannel tar = create(tarball)) {
      header(tar, new TarArchiveEntry("././@PaxHeader", TarConstants.LF_PAX_EXTENDED_HEADER_LC), CLAIM);
      long data = tar.position();
      tar.write(ByteBuffer.wrap(start.getBytes(UTF_8)));
      tar.position(data + CLAIM - 1);
      tar.write(ByteBuffer.wrap("\n".getBytes(UTF_8)));
      header(tar, new TarArchiveEntry("manifest.json"), 0);
      end(tar);
    }

    assertRefused(tarball, "more than 16 MB of tar headers, long names and PAX records");
  }

  @Test
  void moreEntriesThanAnImageTarballHasAreRefused() throws Exception {
    Path tarball = tmp.resolve("many.tar");
    int entries = TarIndex.MAX_ENTRIES + 2_000;
    try (FileChannel tar = create(tarball)) {
      for (int i = 0; i < entries; i++) {
        header(tar, new TarArchiveEntry("f" + i), 0);
      }
      end(tar);
    }

    assertRefused(tarball, entries + " entries, more than an image tarball has");
  }

  @Test
  void anOciManifestLargerThanARegistryTakesIsRefusedUnread() throws Exception {
    long claim = 100L * 1024 * 1024;
    String digest = "sha256:" + "ab".repeat(32);
    Path tarball = tmp.resolve("big-manifest.tar");
    try (FileChannel tar = create(tarball)) {
      file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
      file(tar, "index.json", index(digest, claim));
      header(tar, new TarArchiveEntry("blobs/sha256/" + digest.substring(7)), claim);
      tar.position(tar.position() + claim);
      end(tar);
    }

    assertRefused(tarball, "manifest " + digest + " is " + claim + " bytes, more than the 4 MB a registry takes");
  }

  @Test
  void anOciManifestOfAnotherSizeThanItsIndexSaysIsRefused() throws Exception {
    String manifest = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:" + "cd".repeat(32) + "\",\"size\":2},\"layers\":[]}";
    String digest = Digests.of(manifest.getBytes(UTF_8));
    Path tarball = tmp.resolve("lying-size.tar");
    try (FileChannel tar = create(tarball)) {
      file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
      file(tar, "index.json", index(digest, 10));
      file(tar, "blobs/sha256/" + digest.substring(7), manifest);
      end(tar);
    }

    assertRefused(tarball, "manifest " + digest + " is " + manifest.length() + " bytes, index.json says 10");
  }

  // ---- helpers

  /**
   * Reading {@code tarball} is invalid input naming it and {@code problem}, within a second, and
   * allocates less than {@link #MAX_ALLOCATED} bytes on the way (counted by the JVM for the thread
   * that reads: a reader that kept a 200 MB claim in memory allocates that much, and more).
   */
  private static void assertRefused(Path tarball, String problem) {
    long[] allocated = new long[1];
    Throwable thrown = catchThrowable(() -> assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
      long before = allocatedByThisThread();
      try {
        ArchiveImage.read(tarball).close();
      } finally {
        allocated[0] = allocatedByThisThread() - before;
      }
    }));

    assertThat(thrown).as(problem).isInstanceOf(ContainerException.class);
    assertThat(((ContainerException) thrown).kind()).isEqualTo(ContainerException.Kind.INVALID_INPUT);
    assertThat(thrown.getMessage()).startsWith(tarball + ": ").contains(problem);
    assertThat(allocated[0]).as("bytes allocated reading " + tarball.getFileName()).isLessThan(MAX_ALLOCATED);
  }

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  private static FileChannel create(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SPARSE);
  }

  /** An entry's header, as commons-compress writes it, claiming {@code size} bytes of data. */
  private static void header(FileChannel tar, TarArchiveEntry entry, long size) throws IOException {
    entry.setSize(size);
    byte[] block = new byte[TarConstants.DEFAULT_RCDSIZE];
    entry.writeEntryHeader(block);
    tar.write(ByteBuffer.wrap(block));
  }

  /** A small file: its header, its bytes, padding to the next 512-byte block. */
  private static void file(FileChannel tar, String name, String content) throws IOException {
    byte[] bytes = content.getBytes(UTF_8);
    header(tar, new TarArchiveEntry(name), bytes.length);
    tar.write(ByteBuffer.wrap(bytes));
    int padding = (TarConstants.DEFAULT_RCDSIZE - bytes.length % TarConstants.DEFAULT_RCDSIZE) % TarConstants.DEFAULT_RCDSIZE;
    tar.write(ByteBuffer.allocate(padding));
  }

  /** The end of a tar: two zero blocks, written out so that a hole before them is kept. */
  private static void end(FileChannel tar) throws IOException {
    long at = tar.position();
    long aligned = (at + TarConstants.DEFAULT_RCDSIZE - 1) / TarConstants.DEFAULT_RCDSIZE * TarConstants.DEFAULT_RCDSIZE;
    tar.position(aligned);
    tar.write(ByteBuffer.allocate(2 * TarConstants.DEFAULT_RCDSIZE));
  }

  private static String index(String digest, long size) {
    return "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"digest\":\"" + digest + "\",\"size\":" + size + "}]}";
  }
}
