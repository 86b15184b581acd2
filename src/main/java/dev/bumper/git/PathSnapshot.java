package dev.bumper.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * The regular files under one path of a commit's tree: what history reads of each commit, so that
 * a long history of a large repository costs the environment's files, not the whole tree's.
 */
final class PathSnapshot implements Snapshot {
  private final ObjectReader reader;
  private final Map<String, ObjectId> blobs = new LinkedHashMap<>();

  PathSnapshot(ObjectReader reader, AnyObjectId tree, String path) throws IOException {
    this.reader = reader;
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(tree);
      walk.setRecursive(true);
      if (!path.isEmpty()) {
        walk.setFilter(PathFilter.create(path));
      }
      while (walk.next()) {
        FileMode mode = walk.getFileMode(0);
        if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
          blobs.put(walk.getPathString(), walk.getObjectId(0));
        }
      }
    }
  }

  @Override
  public List<String> paths() {
    return new ArrayList<>(blobs.keySet());
  }

  @Override
  public byte[] read(String path) throws IOException {
    ObjectId blob = blobs.get(path);
    if (blob == null) {
      throw new IOException(path + ": not in the tree");
    }
    try (ObjectReader own = reader.newReader()) {
      return own.open(blob).getCachedBytes(Integer.MAX_VALUE);
    }
  }
}
