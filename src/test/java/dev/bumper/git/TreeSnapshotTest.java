package dev.bumper.git;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one pass that checks a fetched tree and lists its files, against JGit's own TreeWalk. */
class TreeSnapshotTest {
  private InMemoryRepository repo;
  private ObjectInserter inserter;
  private ObjectReader reader;

  @BeforeEach
  void open() {
    repo = new InMemoryRepository(new DfsRepositoryDescription("trees"));
    inserter = repo.newObjectInserter();
    reader = repo.newObjectReader();
  }

  @AfterEach
  void close() {
    reader.close();
    inserter.close();
    repo.close();
  }

  private ObjectId indexTree(String... pathsAndModes) throws IOException {
    DirCache index = DirCache.newInCore();
    DirCacheBuilder builder = index.builder();
    for (int i = 0; i < pathsAndModes.length; i += 2) {
      DirCacheEntry entry = new DirCacheEntry(pathsAndModes[i]);
      entry.setFileMode(FileMode.fromBits(Integer.parseInt(pathsAndModes[i + 1], 8)));
      entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, pathsAndModes[i].getBytes(UTF_8)));
      builder.add(entry);
    }
    builder.finish();
    ObjectId tree = index.writeTree(inserter);
    inserter.flush();
    return tree;
  }

  /** A tree object written byte by byte, names unchecked, as a hostile server could send one. */
  private ObjectId rawTree(Object... modeNameId) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (int i = 0; i < modeNameId.length; i += 3) {
      raw.writeBytes((modeNameId[i] + " " + modeNameId[i + 1]).getBytes(UTF_8));
      raw.write(0);
      raw.writeBytes(idBytes((ObjectId) modeNameId[i + 2]));
    }
    ObjectId tree = inserter.insert(Constants.OBJ_TREE, raw.toByteArray());
    inserter.flush();
    return tree;
  }

  private static byte[] idBytes(ObjectId id) {
    byte[] bytes = new byte[Constants.OBJECT_ID_LENGTH];
    id.copyRawTo(bytes, 0);
    return bytes;
  }

  private List<String> treeWalkFiles(ObjectId tree) throws IOException {
    List<String> files = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(tree);
      walk.setRecursive(true);
      while (walk.next()) {
        FileMode mode = walk.getFileMode(0);
        if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
          files.add(walk.getPathString() + " " + walk.getObjectId(0).name());
        }
      }
    }
    return files;
  }

  private List<String> snapshotFiles(ObjectId tree) throws IOException {
    List<String> files = new ArrayList<>();
    try (TreeSnapshot snapshot = new TreeSnapshot(reader, tree)) {
      for (String path : snapshot.paths()) {
        files.add(path + " " + ObjectId.fromRaw(sha1(snapshot.read(path))).name());
      }
    }
    return files;
  }

  private byte[] sha1(byte[] blob) {
    byte[] id = new byte[Constants.OBJECT_ID_LENGTH];
    inserter.idFor(Constants.OBJ_BLOB, blob).copyRawTo(id, 0);
    return id;
  }

  @Test
  void listsTheFilesInTreeWalkOrderLeavingOutLinksAndSubmodules() throws IOException {
    ObjectId tree = indexTree(
        "a-b/x.yaml", "100644",
        "a.b", "100644",
        "a/b/c/deep.yaml", "100755",
        "a/b.yaml", "100644",
        "a/link", "120000",
        "apps/café/values.yaml", "100644",
        "module", "160000",
        "z.yaml", "100644");

    List<String> files = snapshotFiles(tree);

    assertThat(files).isEqualTo(treeWalkFiles(tree));
    assertThat(files).extracting(line -> line.substring(0, line.indexOf(' '))).containsExactly(
        "a-b/x.yaml", "a.b", "a/b.yaml", "a/b/c/deep.yaml", "apps/café/values.yaml", "z.yaml");
  }

  @Test
  void listsOneSubtreeAsOftenAsItIsUsed() throws IOException {
    ObjectId app = indexTree("deployment.yaml", "100644");
    TreeFormatter top = new TreeFormatter();
    top.append("prod", FileMode.TREE, app);
    top.append("staging", FileMode.TREE, app);
    ObjectId tree = inserter.insert(top);
    inserter.flush();

    assertThat(snapshotFiles(tree)).isEqualTo(treeWalkFiles(tree)).hasSize(2);
  }

  @Test
  void refusesAnEntryThatIsAPathNamingItsDirectory() throws IOException {
    ObjectId blob = inserter.insert(Constants.OBJ_BLOB, "kind: Pod\n".getBytes(UTF_8));
    ObjectId bad = rawTree("100644", "..", blob);
    ObjectId web = rawTree("40000", "web", bad);
    ObjectId tree = rawTree("40000", "apps", web);

    assertThatThrownBy(() -> new TreeSnapshot(reader, tree))
        .isInstanceOf(InvalidTreeException.class)
        .hasMessageStartingWith("the tree of apps/web/ (" + bad.abbreviate(12).name()
            + ") has an entry named '..', which git refuses");
    assertThatThrownBy(() -> TreeCheck.verify(reader, tree))
        .isInstanceOf(InvalidTreeException.class)
        .hasMessageContaining("of apps/web/");
  }

  private ObjectId nested(int depth) throws IOException {
    ObjectId tree = indexTree("leaf.yaml", "100644");
    for (int level = 0; level < depth; level++) {
      TreeFormatter parent = new TreeFormatter();
      parent.append("d", FileMode.TREE, tree);
      tree = inserter.insert(parent);
    }
    inserter.flush();
    return tree;
  }

  @Test
  void walksATreeAsDeepAsGitAllowsOnAnExplicitStack() throws IOException {
    ObjectId tree = nested(TreeCheck.MAX_DEPTH - 1);

    try (TreeSnapshot snapshot = new TreeSnapshot(reader, tree)) {
      assertThat(snapshot.paths()).singleElement().satisfies(path -> assertThat(path)
          .hasSize((TreeCheck.MAX_DEPTH - 1) * 2 + "leaf.yaml".length()).endsWith("d/leaf.yaml"));
    }
  }

  @Test
  void refusesATreeDeeperThanGitAllows() throws IOException {
    ObjectId tree = nested(TreeCheck.MAX_DEPTH);

    assertThatThrownBy(() -> new TreeSnapshot(reader, tree))
        .isInstanceOf(InvalidTreeException.class)
        .hasMessageEndingWith("nests more than 4096 directories deep, which git refuses (core.maxTreeDepth)");
    assertThatThrownBy(() -> TreeCheck.verify(reader, tree)).isInstanceOf(InvalidTreeException.class);
  }
}
