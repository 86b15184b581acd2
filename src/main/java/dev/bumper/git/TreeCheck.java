package dev.bumper.git;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
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
 */
final class TreeCheck {
  private static final ObjectChecker CHECKER = checker();

  private TreeCheck() {}

  /**
   * Checks {@code tree} and every tree under it.
   *
   * @throws InvalidTreeException naming the directory and what is wrong with it
   */
  static void verify(ObjectReader reader, AnyObjectId tree) throws IOException {
    Deque<Dir> pending = new ArrayDeque<>();
    Set<ObjectId> seen = new HashSet<>();
    pending.push(new Dir("", tree.copy()));
    while (!pending.isEmpty()) {
      Dir dir = pending.pop();
      if (!seen.add(dir.id())) {
        continue;
      }
      byte[] raw = reader.open(dir.id(), Constants.OBJ_TREE).getCachedBytes();
      try {
        CHECKER.checkTree(dir.id(), raw);
      } catch (CorruptObjectException e) {
        String where = dir.path().isEmpty() ? "at the top" : "of " + dir.path() + "/";
        String entry = badEntry(raw);
        throw new InvalidTreeException(entry != null
            ? "the tree " + where + " (" + dir.id().abbreviate(12).name() + ") has an entry named " + entry
                + ", which git refuses: " + e.getMessage()
            : "the tree " + where + " (" + dir.id().abbreviate(12).name() + ") is not one git accepts: "
                + e.getMessage());
      }
      CanonicalTreeParser entries = new CanonicalTreeParser(null, reader, dir.id());
      for (; !entries.eof(); entries.next()) {
        if (FileMode.TREE.equals(entries.getEntryRawMode())) {
          String name = entries.getEntryPathString();
          pending.push(new Dir(dir.path().isEmpty() ? name : dir.path() + "/" + name, entries.getEntryObjectId()));
        }
      }
    }
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

  private record Dir(String path, ObjectId id) {}

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
