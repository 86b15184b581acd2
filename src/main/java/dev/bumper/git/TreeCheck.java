package dev.bumper.git;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * Checks a fetched tree as {@code git fsck} would before bumper reads, checks out or edits it: a
 * hostile remote's tree with an entry named {@code apps/web.yaml} or {@code ..} would otherwise be
 * taken for a path, and edited and pushed back as a corrupt tree.
 *
 * <p>JGit can check objects as it fetches them, but then also demands the complete history,
 * which a shallow fetch does not have; so the trees of the commit are checked here instead.
 *
 * <p>A tree may also be small to send and vast to list: a subtree named ten times in a tree that
 * is itself named ten times, and so on down (a "git bomb"), lists ten billion files from a few
 * hundred bytes; long names nested deep make each path long. Checking counts the bytes of the
 * paths the tree expands to, a subtree seen before at the size it had, and refuses a tree once
 * they pass {@link #EXPANSION_FLOOR} and {@link #MAX_EXPANSION} times the bytes of its distinct
 * trees, before it is checked out or edited. A large tree without such reuse lists a few bytes
 * of path per byte of tree, and is never refused.
 */
final class TreeCheck {
  private static final ObjectChecker CHECKER = checker();

  /** git's default {@code core.maxTreeDepth}: no checkout of a deeper tree is possible anyway. */
  static final int MAX_DEPTH = 4096;

  /** Bytes of paths a tree may list however it is made: more than any config repo lists. */
  static final long EXPANSION_FLOOR = 64L << 20;

  /** Bytes of path per byte of distinct tree a tree beyond {@link #EXPANSION_FLOOR} may list. */
  static final long MAX_EXPANSION = 64;

  private TreeCheck() {}

  /** What {@link #walk} hands on: a file entry of a checked tree. */
  interface FileEntry {
    /**
     * One entry that is not a tree, in the order of a recursive {@code TreeWalk}.
     *
     * @param path its path from the top, decoded as {@code TreeWalk} decodes one
     * @param mode its raw mode
     * @param notUtf8 null when the path is UTF-8; else (git takes any bytes) the path's own
     *     bytes, which {@code path} does not give back
     */
    void accept(String path, int mode, ObjectId id, byte[] notUtf8) throws IOException;
  }

  /**
   * Checks {@code tree} and every tree under it.
   *
   * @throws InvalidTreeException naming the directory and what is wrong with it
   */
  static void verify(ObjectReader reader, AnyObjectId tree) throws IOException {
    walk(reader, tree, null);
  }

  /**
   * Checks {@code tree} and every tree under it, and hands each entry that is not a tree to
   * {@code files}, in one pass: each tree is inflated once, for the check and for its entries.
   * Without {@code files}, a subtree already checked elsewhere is not entered again, and counts
   * towards the expansion limit at the size it had.
   *
   * @throws InvalidTreeException naming the directory and what is wrong with it
   */
  static void walk(ObjectReader reader, AnyObjectId tree, FileEntry files) throws IOException {
    Set<ObjectId> checked = new HashSet<>();
    Expansion expansion = new Expansion();
    boolean reused = false;
    // an explicit stack: a hostile remote's tree may nest deeper than a thread's stack allows
    Deque<Level> levels = new ArrayDeque<>();
    // one buffer for every level's path: a level writes only past its parent's prefix
    byte[] path = new byte[256];
    levels.push(open(reader, path, 0, tree.copy(), checked, expansion));
    while (!levels.isEmpty()) {
      Level level = levels.peek();
      CanonicalTreeParser entries = level.entries();
      if (entries.eof()) {
        levels.pop();
        expansion.close(level);
        if (!levels.isEmpty()) {
          levels.peek().holds(level.depth()[0] + 1);
        }
        continue;
      }
      int length = level.prefixLength() + entries.getNameLength();
      if (path.length < length + 1) {
        path = Arrays.copyOf(path, Math.max(2 * path.length, length + 1));
      }
      entries.getName(path, level.prefixLength());
      int mode = entries.getEntryRawMode();
      ObjectId id = entries.getEntryObjectId();
      entries.next();
      expansion.count(1, length + 1, path, length);
      if (FileMode.TREE.equals(mode)) {
        path[length] = '/';
        if (files != null || !checked.contains(id)) {
          if (files != null && !reused && checked.contains(id)) {
            // The first subtree named twice: before listing it again, the whole tree is checked
            // once without listing (each subtree read once, repeats counted at their size), so
            // that a bomb is refused before its paths fill memory. Trees without reuse never
            // pay for this second pass.
            reused = true;
            walk(reader, tree, null);
          }
          checkDepth(levels.size(), path, length + 1);
          levels.push(open(reader, path, length + 1, id, checked, expansion));
        } else {
          // checked and counted before, here or elsewhere: its paths count again, and its
          // depth from here, unread
          long[] size = expansion.sizeOf(id);
          checkDepth(levels.size() + (int) size[2], path, length + 1);
          level.holds((int) size[2] + 1);
          expansion.countAgain(size, length + 1, path);
        }
      } else if (files != null) {
        String decoded = GitNames.utf8(path, 0, length);
        if (decoded != null) {
          files.accept(decoded, mode, id, null);
        } else {
          files.accept(RawParseUtils.decode(path, 0, length), mode, id, Arrays.copyOf(path, length));
        }
      }
    }
  }

  /** Refuses a tree {@code levels} deep that would hold one more, as git's checkout would. */
  private static void checkDepth(int levels, byte[] path, int pathLength) throws InvalidTreeException {
    if (levels >= MAX_DEPTH) {
      throw new InvalidTreeException("the tree of " + RawParseUtils.decode(path, 0, pathLength)
          + " nests more than " + MAX_DEPTH + " directories deep, which git refuses"
          + " (core.maxTreeDepth)");
    }
  }

  /**
   * Counts the paths a tree expands to (every entry of every subtree, as often as it is named, by
   * its full path) against the bytes of its distinct trees, and remembers what each subtree
   * expanded to, to count it again where it is named again without reading it.
   */
  private static final class Expansion {
    /** Per subtree: its entries, the bytes of their paths relative to it, the trees below it. */
    private final Map<ObjectId, long[]> sizes = new HashMap<>();
    private long entries;
    private long bytes;
    private long distinct;

    /** A tree read for the first time: its bytes are distinct ones. */
    void read(byte[] raw) {
      distinct += raw.length;
    }

    /** Counts {@code count} entries whose paths are {@code pathBytes} long in all. */
    void count(long count, long pathBytes, byte[] path, int pathLength) throws InvalidTreeException {
      entries += count;
      bytes += pathBytes;
      if (bytes > EXPANSION_FLOOR && bytes > MAX_EXPANSION * distinct) {
        throw new InvalidTreeException("the tree's paths come to " + bytes + " bytes by "
            + RawParseUtils.decode(path, 0, pathLength) + ", from " + distinct
            + " bytes of distinct trees: subtrees named over and over (a \"git bomb\"), or nested"
            + " far deeper than a config repo's, which bumper refuses to expand");
      }
    }

    /**
     * What the subtree {@code tree}, read before, expanded to: its entries, the bytes of their
     * paths relative to it, the trees below it.
     */
    long[] sizeOf(ObjectId tree) {
      // a subtree still open could only be its own ancestor, which no tree of git's can be
      return sizes.getOrDefault(tree, new long[3]);
    }

    /** Counts a subtree of that {@link #sizeOf size} again, under a path {@code prefixLength} long. */
    void countAgain(long[] size, int prefixLength, byte[] path) throws InvalidTreeException {
      count(size[0], size[1] + size[0] * prefixLength, path, prefixLength);
    }

    void close(Level level) {
      long under = entries - level.entriesBefore();
      long relative = bytes - level.bytesBefore() - under * level.prefixLength();
      sizes.putIfAbsent(level.id(), new long[] {under, relative, level.depth()[0]});
    }
  }

  /**
   * Reads the tree {@code id} whose path is the first {@code prefixLength} bytes of {@code path}
   * ("" or "dir/"), checked unless it was before.
   */
  private static Level open(ObjectReader reader, byte[] path, int prefixLength, ObjectId id,
      Set<ObjectId> checked, Expansion expansion) throws IOException {
    byte[] raw = reader.open(id, Constants.OBJ_TREE).getCachedBytes();
    if (checked.add(id)) {
      expansion.read(raw);
      try {
        CHECKER.checkTree(id, raw);
      } catch (CorruptObjectException e) {
        String dir = RawParseUtils.decode(path, 0, prefixLength);
        String where = dir.isEmpty() ? "at the top" : "of " + dir;
        String entry = badEntry(raw);
        throw new InvalidTreeException(entry != null
            ? "the tree " + where + " (" + id.abbreviate(12).name() + ") has an entry named " + entry
                + ", which git refuses: " + e.getMessage()
            : "the tree " + where + " (" + id.abbreviate(12).name() + ") is not one git accepts: "
                + e.getMessage());
      }
    }
    CanonicalTreeParser entries = new CanonicalTreeParser();
    entries.reset(raw);
    return new Level(id, prefixLength, entries, expansion.entries, expansion.bytes, new int[1]);
  }

  /**
   * The first entry of a raw tree ({@code MODE SP NAME NUL ID}...) whose name git refuses, quoted
   * and escaped for a message; null when the names are fine (the flaw is elsewhere: order, modes).
   */
  private static String badEntry(byte[] raw) {
    int ptr = 0;
    while (ptr < raw.length) {
      int space = indexOf(raw, (byte) ' ', ptr);
      int nul = space < 0 ? -1 : indexOf(raw, (byte) 0, space + 1);
      if (nul < 0) {
        return null;
      }
      try {
        CHECKER.checkPathSegment(raw, space + 1, nul);
      } catch (CorruptObjectException e) {
        return quote(RawParseUtils.decode(raw, space + 1, nul));
      }
      ptr = nul + 1 + Constants.OBJECT_ID_LENGTH;
    }
    return null;
  }

  private static int indexOf(byte[] raw, byte b, int from) {
    for (int i = from; i < raw.length; i++) {
      if (raw[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** A name as a message shows it: in quotes, control characters escaped, an empty one said so. */
  private static String quote(String name) {
    if (name.isEmpty()) {
      return "'' (an empty name)";
    }
    StringBuilder quoted = new StringBuilder("'");
    for (char c : name.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        quoted.append(String.format("\\x%02x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('\'').toString();
  }

  /**
   * A tree being read: the length of its path with a trailing slash, where its entries are, how
   * many entries and bytes of path were counted before it, and how many trees deep what it holds
   * so far nests.
   */
  private record Level(ObjectId id, int prefixLength, CanonicalTreeParser entries,
      long entriesBefore, long bytesBefore, int[] depth) {
    /** Notes that it holds trees {@code below} deep. */
    void holds(int below) {
      depth[0] = Math.max(depth[0], below);
    }
  }

  /**
   * Refuses every malformed name or tree; flaws that real histories carry and git only warns of
   * (zero-padded modes) are let through.
   */
  private static ObjectChecker checker() {
    ObjectChecker checker = new ObjectChecker();
    for (ObjectChecker.ErrorType tolerated : EnumSet.of(ObjectChecker.ErrorType.ZERO_PADDED_FILEMODE)) {
      checker.setIgnore(tolerated, true);
    }
    return checker;
  }
}
