package dev.bumper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Damage done to a real file the way editors, tools and people damage YAML: bit flips, a cut-off
 * end, shifted indentation, stray quotes and colons, NUL bytes, invalid UTF-8, alias bombs, and a
 * few more. Driven by a {@link RandomGenerator}, so a seed (or a fuzzer's data) replays a case.
 */
public final class Mutations {
  /** The kinds of damage, each a way real files go wrong. */
  public enum Kind {
    BYTE_FLIP,
    TRUNCATE,
    SHIFT_INDENT,
    STRAY_QUOTE,
    STRAY_COLON,
    NUL,
    INVALID_UTF8,
    ALIAS_BOMB,
    DUPLICATE_LINE,
    TAB_INDENT,
    CRLF_MIX,
    DELETE_LINE,
  }

  private static final byte[][] INVALID_UTF8 = {
    {(byte) 0xFF},
    {(byte) 0xC3, (byte) 0x28},
    {(byte) 0x80},
    {(byte) 0xC0, (byte) 0xAF},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0xE2, (byte) 0x82},
  };

  private Mutations() {}

  /** One kind, picked by {@code random}. */
  public static Kind pick(RandomGenerator random) {
    Kind[] kinds = Kind.values();
    return kinds[random.nextInt(kinds.length)];
  }

  /** {@code original} with one mutation of {@code kind} applied; never the same bytes back. */
  public static byte[] apply(byte[] original, Kind kind, RandomGenerator random) {
    byte[] mutated = mutate(original, kind, random);
    if (Arrays.equals(mutated, original)) {
      // Some kinds can be a no-op on some files (no line to shift): a NUL always changes them.
      mutated = insert(original, random.nextInt(original.length + 1), new byte[] {0});
    }
    return mutated;
  }

  private static byte[] mutate(byte[] original, Kind kind, RandomGenerator random) {
    int n = original.length;
    switch (kind) {
      case BYTE_FLIP: {
        byte[] copy = original.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips && n > 0; i++) {
          copy[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
      }
      case TRUNCATE:
        return Arrays.copyOf(original, n == 0 ? 0 : random.nextInt(n));
      case SHIFT_INDENT: {
        int[] line = randomLine(original, random);
        int count = 1 + random.nextInt(3);
        if (random.nextBoolean()) {
          return insert(original, line[0], " ".repeat(count).getBytes(StandardCharsets.US_ASCII));
        }
        int spaces = 0;
        while (line[0] + spaces < line[1] && spaces < count && original[line[0] + spaces] == ' ') {
          spaces++;
        }
        return remove(original, line[0], line[0] + spaces);
      }
      case STRAY_QUOTE:
        return insert(original, random.nextInt(n + 1), new byte[] {random.nextBoolean() ? (byte) '"' : (byte) '\''});
      case STRAY_COLON:
        return insert(original, random.nextInt(n + 1), (random.nextBoolean() ? ": " : ":").getBytes(StandardCharsets.US_ASCII));
      case NUL:
        return insert(original, random.nextInt(n + 1), new byte[] {0});
      case INVALID_UTF8:
        return insert(original, random.nextInt(n + 1), INVALID_UTF8[random.nextInt(INVALID_UTF8.length)]);
      case ALIAS_BOMB:
        return insert(original, 0, aliasBomb(3 + random.nextInt(7), 2 + random.nextInt(9)));
      case DUPLICATE_LINE: {
        int[] line = randomLine(original, random);
        return insert(original, line[1], Arrays.copyOfRange(original, line[0], line[1]));
      }
      case TAB_INDENT: {
        int[] line = randomLine(original, random);
        return insert(original, line[0], new byte[] {'\t'});
      }
      case CRLF_MIX: {
        int[] line = randomLine(original, random);
        int end = line[1];
        if (end > 0 && original[end - 1] == '\n' && (end < 2 || original[end - 2] != '\r')) {
          return insert(original, end - 1, new byte[] {'\r'});
        }
        return insert(original, end, new byte[] {'\r'});
      }
      case DELETE_LINE: {
        int[] line = randomLine(original, random);
        return remove(original, line[0], line[1]);
      }
      default:
        throw new AssertionError(kind);
    }
  }

  /**
   * A billion-laughs block as top-level keys: {@code levels} anchored lists, each holding
   * {@code width} aliases of the one before. Small as text, huge if anything expands it.
   */
  public static byte[] aliasBomb(int levels, int width) {
    StringBuilder yaml = new StringBuilder("lol0: &lol0 [\"lol\"]\n");
    for (int level = 1; level < levels; level++) {
      yaml.append("lol").append(level).append(": &lol").append(level).append(" [");
      for (int i = 0; i < width; i++) {
        yaml.append(i == 0 ? "" : ", ").append("*lol").append(level - 1);
      }
      yaml.append("]\n");
    }
    return yaml.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code {start, end}} of a random line, its line break included in {@code end}. */
  private static int[] randomLine(byte[] bytes, RandomGenerator random) {
    int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
    int start = at;
    while (start > 0 && bytes[start - 1] != '\n') {
      start--;
    }
    int end = at;
    while (end < bytes.length && bytes[end] != '\n') {
      end++;
    }
    return new int[] {start, Math.min(bytes.length, end + 1)};
  }

  private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + inserted.length);
    out.write(bytes, 0, at);
    out.write(inserted, 0, inserted.length);
    out.write(bytes, at, bytes.length - at);
    return out.toByteArray();
  }

  private static byte[] remove(byte[] bytes, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    out.write(bytes, 0, from);
    out.write(bytes, to, bytes.length - to);
    return out.toByteArray();
  }
}
