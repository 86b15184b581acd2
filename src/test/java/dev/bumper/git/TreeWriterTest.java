package dev.bumper.git;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New trees written by rewriting only the changed paths, checked against an index-built tree. */
class TreeWriterTest {
  @TempDir Path tmp;
  private Repository repo;
  private ObjectInserter inserter;
  private ObjectReader reader;

  @BeforeEach
  void open() throws IOException {
    repo = new FileRepositoryBuilder().setGitDir(tmp.resolve("repo.git").toFile()).setBare().build();
    repo.create(true);
    inserter = repo.newObjectInserter();
    reader = repo.newObjectReader();
  }

  @AfterEach
  void close() {
    reader.close();
    inserter.close();
    repo.close();
  }

  /** A tree built through an index, the way git itself would: the reference to compare with. */
  private ObjectId indexTree(Map<String, Object[]> files) throws IOException {
    DirCache index = DirCache.newInCore();
    DirCacheBuilder builder = index.builder();
    for (Map.Entry<String, Object[]> file : files.entrySet()) {
      DirCacheEntry entry = new DirCacheEntry(file.getKey());
      entry.setFileMode((FileMode) file.getValue()[1]);
      entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, ((String) file.getValue()[0]).getBytes(UTF_8)));
      builder.add(entry);
    }
    builder.finish();
    return index.writeTree(inserter);
  }

  private static Map<String, Object[]> tree(Object... pathTextMode) {
    Map<String, Object[]> files = new LinkedHashMap<>();
    for (int i = 0; i < pathTextMode.length; i += 3) {
      files.put((String) pathTextMode[i], new Object[] {pathTextMode[i + 1], pathTextMode[i + 2]});
    }
    return files;
  }

  private String listing(ObjectId tree) throws IOException {
    StringBuilder out = new StringBuilder();
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(tree);
      walk.setRecursive(true);
      while (walk.next()) {
        out.append(walk.getFileMode(0)).append(' ').append(walk.getPathString()).append(' ')
            .append(new String(reader.open(walk.getObjectId(0)).getBytes(), UTF_8)).append('\n');
      }
    }
    return out.toString();
  }

  @Test
  void changesOnlyTheGivenFilesKeepingModesAndOrder() throws IOException {
    ObjectId base =
        indexTree(tree(
            "a.yaml", "a", FileMode.REGULAR_FILE,
            "apps/web/deploy.yaml", "old", FileMode.REGULAR_FILE,
            "apps/web-api/deploy.yaml", "api", FileMode.REGULAR_FILE,
            "apps/web.yaml", "flat", FileMode.REGULAR_FILE,
            "bin/run.sh", "#!/bin/sh", FileMode.EXECUTABLE_FILE,
            "z/deep/er/x.yaml", "x", FileMode.REGULAR_FILE));
    Map<String, byte[]> changes = new LinkedHashMap<>();
    changes.put("apps/web/deploy.yaml", "new".getBytes(UTF_8));
    changes.put("bin/run.sh", "#!/bin/sh -e".getBytes(UTF_8));
    changes.put("apps/web/service.yaml", "svc".getBytes(UTF_8));
    changes.put("apps/web.d/extra.yaml", "extra".getBytes(UTF_8));
    changes.put("top.yaml", "top".getBytes(UTF_8));

    ObjectId written = TreeWriter.write(inserter, reader, base, changes);

    ObjectId expected =
        indexTree(tree(
            "a.yaml", "a", FileMode.REGULAR_FILE,
            "apps/web/deploy.yaml", "new", FileMode.REGULAR_FILE,
            "apps/web/service.yaml", "svc", FileMode.REGULAR_FILE,
            "apps/web-api/deploy.yaml", "api", FileMode.REGULAR_FILE,
            "apps/web.d/extra.yaml", "extra", FileMode.REGULAR_FILE,
            "apps/web.yaml", "flat", FileMode.REGULAR_FILE,
            "bin/run.sh", "#!/bin/sh -e", FileMode.EXECUTABLE_FILE,
            "top.yaml", "top", FileMode.REGULAR_FILE,
            "z/deep/er/x.yaml", "x", FileMode.REGULAR_FILE));
    assertThat(listing(written)).isEqualTo(listing(expected));
    assertThat(written).as("byte-identical to the tree git would write").isEqualTo(expected);
  }

  @Test
  void noChangesIsTheSameTreeAndAnEmptyBaseStartsFromNothing() throws IOException {
    ObjectId base = indexTree(tree("a/b.yaml", "b", FileMode.REGULAR_FILE));

    assertThat(TreeWriter.write(inserter, reader, base, Map.of())).isEqualTo(base);
    assertThat(TreeWriter.write(inserter, reader, null, Map.of("a/b.yaml", "b".getBytes(UTF_8)))).isEqualTo(base);
  }

  @Test
  void aPathThroughAFileOrOntoADirectoryIsRefused() throws IOException {
    ObjectId base = indexTree(tree("a/b.yaml", "b", FileMode.REGULAR_FILE));

    assertThatThrownBy(() -> TreeWriter.write(inserter, reader, base, Map.of("a/b.yaml/c", new byte[0])))
        .hasMessageContaining("a/b.yaml: a file, not a directory");
    assertThatThrownBy(() -> TreeWriter.write(inserter, reader, base, Map.of("a", new byte[0])))
        .hasMessageContaining("a: a directory, not a file");
  }

  /**
   * Git takes any bytes for a name: one that is not UTF-8 (a Latin-1 "café") beside an edited
   * file keeps its bytes; decoded and encoded again it came back as another name, and the push
   * renamed a file the edit never touched.
   */
  @Test
  void aNameThatIsNotUtf8BesideAnEditedFileKeepsItsBytes() throws IOException {
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9, '.', 'y', 'a', 'm', 'l'};
    DirCache index = DirCache.newInCore();
    DirCacheBuilder builder = index.builder();
    for (byte[] name : new byte[][] {latin1, "pod.yaml".getBytes(UTF_8)}) {
      DirCacheEntry entry = new DirCacheEntry(name);
      entry.setFileMode(FileMode.REGULAR_FILE);
      entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, "a: 1\n".getBytes(UTF_8)));
      builder.add(entry);
    }
    builder.finish();
    ObjectId base = index.writeTree(inserter);

    ObjectId tree = TreeWriter.write(inserter, reader, base, Map.of("pod.yaml", "a: 2\n".getBytes(UTF_8)));

    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(tree);
      assertThat(walk.next()).isTrue();
      assertThat(walk.getRawPath()).isEqualTo(latin1);
      assertThat(walk.next()).isTrue();
      assertThat(walk.getPathString()).isEqualTo("pod.yaml");
      assertThat(walk.next()).isFalse();
    }
  }
}
