package dev.bumper.container;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries of an uncompressed tar file (ustar, GNU long names, PAX {@code path} and {@code
 * size}), found by reading only the 512-byte headers, so that a 1 GB image tarball is indexed
 * without reading its layers. Each entry can then be opened on its own, any number of times.
 */
final class TarIndex {
  private static final int BLOCK = 512;

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
   * @throws ContainerException (invalid input) when it is not a tar file
   */
  static TarIndex read(Path file) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long position = 0;
      String longName = null;
      String paxPath = null;
      long paxSize = -1;
      ByteBuffer magic = ByteBuffer.allocate(2);
      channel.read(magic, 0);
      if (magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b) {
        throw ContainerException.invalidInput(file + ": a gzip-compressed tarball; decompress it first (gunzip)");
      }
      if (size > 0 && size < BLOCK) {
        throw ContainerException.invalidInput(file + ": not a tar file (" + size + " bytes)");
      }
      ByteBuffer header = ByteBuffer.allocate(BLOCK);
      while (position + BLOCK <= size) {
        header.clear();
        readFully(channel, header, position);
        byte[] h = header.array();
        if (isZero(h)) {
          break;
        }
        if (!checksumMatches(h)) {
          throw ContainerException.invalidInput(file + ": not a tar file (bad header at byte " + position + ")");
        }
        long entrySize = paxSize >= 0 ? paxSize : number(h, 124, 12);
        char type = (char) h[156];
        long data = position + BLOCK;
        if (data + entrySize > size) {
          throw ContainerException.invalidInput(file + ": truncated (an entry runs past the end)");
        }
        switch (type) {
          case 'L' -> longName = trimNul(readString(channel, data, entrySize));
          case 'x' -> {
            Map<String, String> pax = pax(readString(channel, data, entrySize));
            paxPath = pax.get("path");
            paxSize = pax.containsKey("size") ? Long.parseLong(pax.get("size")) : -1;
          }
          case 'g', 'K' -> { } // global PAX headers and long link names do not name entries
          default -> {
            String name = paxPath != null ? paxPath : longName != null ? longName : name(h);
            name = normalize(name);
            if (type == '0' || type == '\0' || type == '7') {
              entries.put(name, new Entry(name, data, entrySize, null));
            } else if (type == '1' || type == '2') {
              String target = text(h, 157, 100);
              if (type == '2' && !target.startsWith("/") && name.contains("/")) {
                target = name.substring(0, name.lastIndexOf('/') + 1) + target;
              }
              entries.put(name, new Entry(name, data, 0, normalize(target)));
            }
            longName = null;
            paxPath = null;
            paxSize = -1;
          }
        }
        position = data + (entrySize + BLOCK - 1) / BLOCK * BLOCK;
      }
    }
    return new TarIndex(file, entries);
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
    if (entry.size() > 64L * 1024 * 1024) {
      throw ContainerException.invalidInput(file + ": " + entry.name() + " is too large to be JSON");
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

  private static String name(byte[] h) {
    String name = text(h, 0, 100);
    boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar ? text(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String text(byte[] h, int offset, int length) {
    int end = offset;
    while (end < offset + length && h[end] != 0) {
      end++;
    }
    return new String(h, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static String trimNul(String s) {
    int nul = s.indexOf('\0');
    return nul < 0 ? s : s.substring(0, nul);
  }

  /** An octal field, or a base-256 one (GNU, for sizes of 8 GB and more). */
  private static long number(byte[] h, int offset, int length) {
    if ((h[offset] & 0x80) != 0) {
      long value = h[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (h[offset + i] & 0xff);
      }
      return value;
    }
    long value = 0;
    for (int i = offset; i < offset + length; i++) {
      byte b = h[i];
      if (b == 0 || b == ' ') {
        if (value > 0) {
          break;
        }
        continue;
      }
      if (b < '0' || b > '7') {
        throw ContainerException.invalidInput("not a tar file (bad number in a header)");
      }
      value = value * 8 + (b - '0');
    }
    return value;
  }

  private static boolean checksumMatches(byte[] h) {
    long stored = number(h, 148, 8);
    long unsigned = 0;
    for (int i = 0; i < BLOCK; i++) {
      unsigned += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    return stored == unsigned;
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> pax(String records) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String record : records.split("\n")) {
      int space = record.indexOf(' ');
      int equals = record.indexOf('=');
      if (space > 0 && equals > space) {
        values.put(record.substring(space + 1, equals), record.substring(equals + 1));
      }
    }
    return values;
  }

  private static String readString(FileChannel channel, long position, long size) throws IOException {
    if (size > 1024 * 1024) {
      throw ContainerException.invalidInput("not a tar file (a header entry of " + size + " bytes)");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) size);
    readFully(channel, buffer, position);
    return new String(buffer.array(), StandardCharsets.UTF_8);
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new EOFException("unexpected end of the tar file");
      }
      at += n;
    }
  }
}
