package dev.bumper.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * Writes a tree: a base tree with some files given new content. Only the trees on the paths to
 * changed files are read and written again; every other subtree keeps its id. Rebuilding the
 * whole tree through an index instead cost most of a second for a 20,000-file repository.
 */
final class TreeWriter {
  private TreeWriter() {}

  /** The changed files under one directory, by entry name. */
  private static final class Dir {
    final Map<String, Dir> dirs = new TreeMap<>();
    final Map<String, byte[]> files = new TreeMap<>();
  }

  /** A tree entry. */
  private record Entry(byte[] name, FileMode mode, ObjectId id) {}

  /**
   * Returns the id of {@code base} (null: the empty tree) with each of {@code files} (a
   * {@code /}-separated path to bytes) written as a blob. A file's mode is kept; a new file is a
   * regular file. The inserter is not flushed.
   *
   * @throws IOException also when a path runs through a file, or names a directory
   */
  static ObjectId write(ObjectInserter inserter, ObjectReader reader, ObjectId base, Map<String, byte[]> files)
      throws IOException {
    Dir root = new Dir();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      String[] parts = file.getKey().split("/");
      Dir dir = root;
      for (int i = 0; i < parts.length - 1; i++) {
        dir = dir.dirs.computeIfAbsent(parts[i], name -> new Dir());
      }
      dir.files.put(parts[parts.length - 1], file.getValue());
    }
    return write(inserter, reader, base, root, "");
  }

  private static ObjectId write(ObjectInserter inserter, ObjectReader reader, ObjectId tree, Dir changes, String path)
      throws IOException {
    List<Entry> entries = new ArrayList<>();
    if (tree != null) {
      CanonicalTreeParser parser = new CanonicalTreeParser(null, reader, tree);
      for (; !parser.eof(); parser.next()) {
        String name = parser.getEntryPathString();
        FileMode mode = parser.getEntryFileMode();
        ObjectId id = parser.getEntryObjectId();
        byte[] content = changes.files.remove(name);
        Dir below = changes.dirs.remove(name);
        if (content != null) {
          if (mode == FileMode.TREE || mode == FileMode.GITLINK) {
            throw new IOException(path + name + ": a directory, not a file");
          }
          id = inserter.insert(Constants.OBJ_BLOB, content);
          mode = mode == FileMode.EXECUTABLE_FILE ? mode : FileMode.REGULAR_FILE;
        } else if (below != null) {
          if (mode != FileMode.TREE) {
            throw new IOException(path + name + ": a file, not a directory");
          }
          id = write(inserter, reader, id, below, path + name + "/");
        }
        // the name's own bytes: git takes any, and one that is not UTF-8 would come back from
        // its decoded form as another name, a rename of a file the edit never touched
        byte[] raw = new byte[parser.getNameLength()];
        parser.getName(raw, 0);
        entries.add(new Entry(raw, mode, id));
      }
    }
    for (Map.Entry<String, byte[]> file : changes.files.entrySet()) {
      entries.add(new Entry(bytes(file.getKey()), FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, file.getValue())));
    }
    for (Map.Entry<String, Dir> dir : changes.dirs.entrySet()) {
      entries.add(new Entry(bytes(dir.getKey()), FileMode.TREE, write(inserter, reader, null, dir.getValue(), path + dir.getKey() + "/")));
    }
    entries.sort(TreeWriter::gitOrder);
    TreeFormatter formatter = new TreeFormatter();
    for (Entry entry : entries) {
      formatter.append(entry.name(), entry.mode(), entry.id());
    }
    return inserter.insert(formatter);
  }

  private static byte[] bytes(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  /** Git's order of tree entries: by name bytes, a tree's name read as if it ended in '/'. */
  private static int gitOrder(Entry a, Entry b) {
    byte[] x = a.name();
    byte[] y = b.name();
    int common = Math.min(x.length, y.length);
    int mismatch = Arrays.mismatch(x, 0, common, y, 0, common);
    if (mismatch >= 0) {
      return Byte.toUnsignedInt(x[mismatch]) - Byte.toUnsignedInt(y[mismatch]);
    }
    int cx = x.length > common ? Byte.toUnsignedInt(x[common]) : a.mode() == FileMode.TREE ? '/' : 0;
    int cy = y.length > common ? Byte.toUnsignedInt(y[common]) : b.mode() == FileMode.TREE ? '/' : 0;
    return cx - cy;
  }
}
