package dev.bumper.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * The regular files of a commit's tree, read blob by blob from the object database: nothing is
 * checked out, so a config repo of thousands of files costs only the blobs a bump reads.
 */
final class TreeSnapshot implements Snapshot, AutoCloseable {
  private final ObjectReader reader;
  private final List<String> paths = new ArrayList<>();
  private final Map<String, ObjectId> blobs = new HashMap<>();
  private final Missing missing;
  /**
   * Readers for the threads that read files, kept between reads: a fetched pack stores most blobs
   * as deltas on other blobs (chains a dozen deep), and a reader caches the bases it inflated, so
   * a fresh reader per file would inflate each chain again from its start.
   */
  private final ConcurrentLinkedDeque<ObjectReader> idle = new ConcurrentLinkedDeque<>();

  /** Fetches blobs that a tree fetched without them lacks. */
  interface Missing {
    void fetch(Collection<ObjectId> blobs) throws IOException;
  }

  /** @throws InvalidTreeException when the tree is one git would refuse (a name that is a path) */
  TreeSnapshot(ObjectReader reader, AnyObjectId tree) throws IOException {
    this(reader, tree, null);
  }

  /**
   * A snapshot of a tree whose blobs may not all be here: {@code missing} fetches those read
   * (null: all are here).
   */
  TreeSnapshot(ObjectReader reader, AnyObjectId tree, Missing missing) throws IOException {
    this.reader = reader;
    this.missing = missing;
    TreeCheck.walk(reader, tree, (path, raw, id, notUtf8) -> {
      if (notUtf8 != null) {
        // an edit names files by their decoded paths: two names may decode alike, and a path
        // that is not UTF-8 decodes its directories otherwise than its neighbours' do
        throw GitNames.notUtf8(notUtf8, "a commit made by bumper", "nothing pushed; change it with git");
      }
      FileMode mode = FileMode.fromBits(raw);
      if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
        paths.add(path);
        blobs.put(path, id);
      }
    });
  }

  @Override
  public List<String> paths() {
    return paths;
  }

  /**
   * The blobs of the files under {@code scope}: files or directories, as {@link TreeChange#scope}
   * names them.
   */
  List<ObjectId> blobsUnder(List<String> scope) {
    List<ObjectId> under = new ArrayList<>();
    for (String path : paths) {
      for (String prefix : scope) {
        if (path.equals(prefix) || path.startsWith(prefix + "/")) {
          under.add(blobs.get(path));
          break;
        }
      }
    }
    return under;
  }

  @Override
  public byte[] read(String path) throws IOException {
    ObjectId blob = blobs.get(path);
    if (blob == null) {
      throw new IOException(path + ": not in the tree");
    }
    // Bumps read files on several threads; an ObjectReader is for one thread at a time.
    ObjectReader own = idle.pollFirst();
    if (own == null) {
      own = reader.newReader();
    }
    try {
      if (missing != null && !own.has(blob)) {
        synchronized (missing) {
          if (!own.has(blob)) {
            missing.fetch(List.of(blob));
          }
        }
      }
      return own.open(blob).getCachedBytes(Integer.MAX_VALUE);
    } finally {
      idle.offerFirst(own);
    }
  }

  /** Closes the readers the reads used; the reader given stays open. */
  @Override
  public void close() {
    for (ObjectReader own; (own = idle.pollFirst()) != null; ) {
      own.close();
    }
  }
}
