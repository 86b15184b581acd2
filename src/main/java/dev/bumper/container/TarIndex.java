package dev.bumper.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The entries of an uncompressed tar file, found by commons-compress reading only the headers, so
 * that a 1 GB image tarball is indexed without reading its layers. Each entry can then be opened
 * on its own, any number of times, also several at once.
 *
 * <p>A tarball comes from wherever a pipeline got it, so nothing in it is trusted: a header that
 * does not parse, a size that is negative or past the end of the file, more entries or longer
 * names than any image has, are all a clear "invalid input", never a loop or an internal error.
 */
final class TarIndex {
  private static final int BLOCK = 512;
  /**
   * More entries than any image tarball holds: Docker caps an image at 127 layers, and a {@code
   * docker save} has about four entries per layer.
   */
  static final int MAX_ENTRIES = 10_000;
  /**
   * What commons-compress may read while indexing: headers, GNU long names and PAX records, all
   * kept in memory. Room for {@link #MAX_ENTRIES} entries of three headers each; a tar that needs
   * more is refused before it costs more memory than that.
   */
  static final long MAX_HEADER_BYTES = 16L * 1024 * 1024;
  /** JSON entries (manifests, indexes, configs) are read whole: Docker caps a manifest at 4 MB. */
  static final long MAX_JSON_BYTES = 16L * 1024 * 1024;

  /** A file in the tar: where its bytes start and how many there are; or a link to another. */
  record Entry(String name, long offset, long size, String linkTarget) {}

  private final Path file;
  private final Map<String, Entry> entries;

  private TarIndex(Path file, Map<String, Entry> entries) {
    this.file = file;
    this.entries = entries;
  }

  /**
   * Indexes {@code file}.
   *
   * @throws ContainerException (invalid input) when it is not a well-formed tar file
   * @throws NoSuchFileException when there is no such file
   */
  static TarIndex read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer magic = ByteBuffer.allocate(2);
      channel.read(magic, 0);
      if (magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b) {
        throw ContainerException.invalidInput(file + ": a gzip-compressed tarball; decompress it first (gunzip)");
      }
      if (size < BLOCK) {
        throw ContainerException.invalidInput(file + ": not a tar file (" + size + " bytes)");
      }
      List<TarArchiveEntry> found;
      BoundedReadChannel headers = new BoundedReadChannel(channel, MAX_HEADER_BYTES);
      try (TarFile tar = new TarFile(headers)) {
        found = tar.getEntries();
      } catch (IOException | RuntimeException e) {
        if (headers.exceeded()) {
          throw ContainerException.invalidInput(file + ": more than " + MAX_HEADER_BYTES / (1024 * 1024)
              + " MB of tar headers, long names and PAX records, more than an image tarball has");
        }
        // commons-compress says what is wrong (a negative size, a bad PAX record, a truncated
        // archive); any of it means the file is not a tarball bumper can push.
        throw ContainerException.invalidInput(file + ": not a tar file, or a damaged one (" + reason(e) + ")");
      }
      if (found.size() > MAX_ENTRIES) {
        throw ContainerException.invalidInput(file + ": " + found.size() + " entries, more than an image tarball has");
      }
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (TarArchiveEntry entry : found) {
        String name = normalize(entry.getName());
        if (entry.isSymbolicLink() || entry.isLink()) {
          String target = entry.getLinkName();
          if (entry.isSymbolicLink() && !target.startsWith("/") && name.contains("/")) {
            target = name.substring(0, name.lastIndexOf('/') + 1) + target;
          }
          entries.put(name, new Entry(name, entry.getDataOffset(), 0, normalize(target)));
        } else if (entry.isFile()) {
          long offset = entry.getDataOffset();
          long length = entry.getSize();
          if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw ContainerException.invalidInput(file + ": " + name + " claims " + length
                + " bytes, past the end of the file (truncated?)");
          }
          entries.put(name, new Entry(name, offset, length, null));
        }
      }
      return new TarIndex(file, entries);
    }
  }

  Path file() {
    return file;
  }

  /** The file entry named {@code name} (links followed), or null. */
  Entry get(String name) {
    Entry entry = entries.get(normalize(name));
    for (int hops = 0; entry != null && entry.linkTarget() != null && hops < 16; hops++) {
      entry = entries.get(entry.linkTarget());
    }
    return entry == null || entry.linkTarget() != null ? null : entry;
  }

  /** The names of all entries, in tar order. */
  java.util.List<String> names() {
    return java.util.List.copyOf(entries.keySet());
  }

  boolean contains(String name) {
    return get(name) != null;
  }

  /** The bytes of a small entry. */
  byte[] read(Entry entry) throws IOException {
    if (entry.size() > MAX_JSON_BYTES) {
      throw ContainerException.invalidInput(file + ": " + entry.name() + " is " + entry.size()
          + " bytes, too large for the JSON it should be");
    }
    try (InputStream in = open(entry)) {
      return in.readAllBytes();
    }
  }

  /** A stream over an entry's bytes. */
  InputStream open(Entry entry) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    channel.position(entry.offset());
    InputStream whole = Channels.newInputStream(channel);
    return new InputStream() {
      private long left = entry.size();

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        int b = whole.read();
        if (b >= 0) {
          left--;
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = whole.read(buffer, offset, (int) Math.min(length, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  /** What commons-compress found wrong, in a user's terms where its own are about its workings. */
  private static String reason(Exception e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("move backwards")) {
      // it adds an entry's size to its position in the file: a size near 2^63 overflows it
      return "an entry's size is larger than the file: " + message;
    }
    return message;
  }

  private static String normalize(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    while (n.startsWith("/")) {
      n = n.substring(1);
    }
    return n;
  }
}
