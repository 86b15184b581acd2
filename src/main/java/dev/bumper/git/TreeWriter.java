package dev.bumper.git;

import java.io.IOException;
import java.util.Map;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;

/** Writes a tree: a base tree with some files given new content, through an in-memory index. */
final class TreeWriter {
  private TreeWriter() {}

  /**
   * Returns the id of {@code base} with each of {@code files} (path to bytes) written as a blob.
   * A file's mode is kept; a new file is a regular file. The inserter is not flushed.
   */
  static ObjectId write(ObjectInserter inserter, ObjectReader reader, ObjectId base, Map<String, byte[]> files)
      throws IOException {
    DirCache index = DirCache.newInCore();
    DirCacheBuilder builder = index.builder();
    if (base != null) {
      builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, base);
    }
    builder.finish();
    DirCacheEditor editor = index.editor();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      ObjectId blob = inserter.insert(Constants.OBJ_BLOB, file.getValue());
      editor.add(
          new DirCacheEditor.PathEdit(file.getKey()) {
            @Override
            public void apply(DirCacheEntry entry) {
              if (entry.getRawMode() == 0) {
                entry.setFileMode(FileMode.REGULAR_FILE);
              }
              entry.setObjectId(blob);
            }
          });
    }
    editor.finish();
    return index.writeTree(inserter);
  }
}
