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

  @Test
  void refusesASubtreeReusedDeeperThanGitAllowsWhereItWasFirstFine() throws IOException {
    // the chain fits at the top ("a"), and is named again two trees further down ("z/z/z")
    ObjectId chain = nested(TreeCheck.MAX_DEPTH - 2);
    TreeFormatter y = new TreeFormatter();
    y.append("z", FileMode.TREE, chain);
    TreeFormatter z = new TreeFormatter();
    z.append("z", FileMode.TREE, inserter.insert(y));
    TreeFormatter top = new TreeFormatter();
    top.append("a", FileMode.TREE, chain);
    top.append("z", FileMode.TREE, inserter.insert(z));
    ObjectId tree = inserter.insert(top);
    inserter.flush();

    TreeCheck.verify(reader, rawTree("40000", "a", chain));
    assertThatThrownBy(() -> TreeCheck.verify(reader, tree))
        .isInstanceOf(InvalidTreeException.class)
        .hasMessageStartingWith("the tree of z/z/z/ nests more than 4096 directories deep");
    assertThatThrownBy(() -> new TreeSnapshot(reader, tree))
        .isInstanceOf(InvalidTreeException.class)
        .hasMessageEndingWith("nests more than 4096 directories deep, which git refuses (core.maxTreeDepth)");
  }

  /** A tree naming {@code uses} times (d00, d01...) one subtree, itself {@code files} files. */
  private ObjectId reused(ObjectId subtree, int uses) throws IOException {
    TreeFormatter tree = new TreeFormatter();
    for (int i = 0; i < uses; i++) {
      tree.append(String.format("d%02d", i), FileMode.TREE, subtree);
    }
    ObjectId id = inserter.insert(tree);
    inserter.flush();
    return id;
  }

  /** A tree of {@code count} files, named f0000000... in order, all the same small blob. */
  private ObjectId flat(int count) throws IOException {
    ObjectId blob = inserter.insert(Constants.OBJ_BLOB, "kind: Pod\n".getBytes(UTF_8));
    TreeFormatter tree = new TreeFormatter();
    for (int i = 0; i < count; i++) {
      tree.append(String.format("f%07d", i), FileMode.REGULAR_FILE, blob);
    }
    ObjectId id = inserter.insert(tree);
    inserter.flush();
    return id;
  }

  @Test
  void refusesAGitBombBeforeListingOrCheckingItOut() throws IOException {
    // eight trees of ten entries each: 10^8 files from 2,460 bytes of trees
    ObjectId tree = flat(10);
    for (int level = 0; level < 7; level++) {
      tree = reused(tree, 10);
    }
    ObjectId bomb = tree;

    assertThatThrownBy(() -> new TreeSnapshot(reader, bomb))
        .isInstanceOf(InvalidTreeException.class)
        .hasMessageStartingWith("the tree's paths come to 80123460 bytes by d00/d01/")
        .hasMessageEndingWith(", from 2460 bytes of distinct trees: subtrees named over and over"
            + " (a \"git bomb\"), or nested far deeper than a config repo's, which bumper refuses to"
            + " expand");
    // each subtree is read once and the others counted at their size: the listing above stopped
    // at the first repeat to run this check, before listing a second copy of anything
    assertThatThrownBy(() -> TreeCheck.verify(reader, bomb))
        .isInstanceOf(InvalidTreeException.class)
        .hasMessageStartingWith("the tree's paths come to 80123460 bytes by d00/d01/, from 2460 bytes");
  }

  @Test
  void refusesLongNamesNestedDeepBeforeListingThem() throws IOException {
    // 2,000 directories of 250-byte names, one inside the other, over 2,000 files: 1.1 MB of
    // trees whose paths come to 2,000 paths of half a megabyte, without one subtree reused
    String name = "n".repeat(250);
    ObjectId tree = flat(2_000);
    for (int level = 0; level < 2_000; level++) {
      TreeFormatter parent = new TreeFormatter();
      parent.append(name + String.format("%04d", level), FileMode.TREE, tree);
      tree = inserter.insert(parent);
    }
    inserter.flush();
    ObjectId deep = tree;

    assertThatThrownBy(() -> new TreeSnapshot(reader, deep))
        .isInstanceOf(InvalidTreeException.class).hasMessageContaining("nested far deeper than a config repo's");
    assertThatThrownBy(() -> TreeCheck.verify(reader, deep))
        .isInstanceOf(InvalidTreeException.class).hasMessageContaining("nested far deeper than a config repo's");
  }

  @Test
  void listsASubtreeUsedOverAndOverWhileTheTreeStaysUnderTheFloor() throws IOException {
    // 1,000 directories naming one subtree of 100 files: 100,000 files from 4,200 bytes of trees
    ObjectId tree = reused(reused(flat(100), 10), 100);

    try (TreeSnapshot snapshot = new TreeSnapshot(reader, tree)) {
      assertThat(snapshot.paths()).hasSize(100_000)
          .startsWith("d00/d00/f0000000").endsWith("d99/d09/f0000099");
    }
    TreeCheck.verify(reader, tree);
  }

  @Test
  void aTreeBeyondTheFloorIsRefusedOnlyPastSixtyFourBytesOfPathPerByteOfTree() throws IOException {
    ObjectId subtree = flat(32_000);
    // 32,000 files (1,152,000 bytes of tree), 14 bytes of path each, named 160 times: 71.7 MB of
    // paths, 62 per byte of tree; named 170 times: 76.2 MB, 66 per byte
    TreeFormatter fewer = new TreeFormatter();
    TreeFormatter more = new TreeFormatter();
    for (int i = 0; i < 170; i++) {
      if (i < 160) {
        fewer.append(String.format("d%03d", i), FileMode.TREE, subtree);
      }
      more.append(String.format("d%03d", i), FileMode.TREE, subtree);
    }
    ObjectId within = inserter.insert(fewer);
    ObjectId beyond = inserter.insert(more);
    inserter.flush();

    TreeCheck.verify(reader, within);
    assertThatThrownBy(() -> TreeCheck.verify(reader, beyond))
        .isInstanceOf(InvalidTreeException.class)
        .hasMessageContaining("git bomb");
  }

  /**
   * An edit names files by their decoded paths, and a name that is not UTF-8 (git takes any
   * bytes) has no decoded path of its own: a Latin-1 "café" decodes as the UTF-8 one does. The
   * tree is refused, the name quoted as git quotes it, whatever charset the platform has.
   */
  @Test
  void aNameThatIsNotUtf8IsRefusedWhateverThePlatformsCharset() throws IOException {
    ObjectId blob = inserter.insert(Constants.OBJ_BLOB, "a: 1\n".getBytes(UTF_8));
    org.eclipse.jgit.lib.TreeFormatter tree = new org.eclipse.jgit.lib.TreeFormatter();
    tree.append(new byte[] {'c', 'a', 'f', (byte) 0xe9, '.', 'y', 'a', 'm', 'l'}, FileMode.REGULAR_FILE, blob);
    tree.append("pod.yaml".getBytes(UTF_8), FileMode.REGULAR_FILE, blob);
    ObjectId id = inserter.insert(tree);
    inserter.flush();

    org.eclipse.jgit.util.SystemReader previous = org.eclipse.jgit.util.SystemReader.getInstance();
    for (java.nio.charset.Charset platform : List.of(UTF_8, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      org.eclipse.jgit.util.SystemReader.setInstance(new org.eclipse.jgit.util.SystemReader.Delegate(previous) {
        @Override
        public java.nio.charset.Charset getDefaultCharset() {
          return platform;
        }
      });
      try {
        assertThatThrownBy(() -> new TreeSnapshot(reader, id).close())
            .as(platform.name())
            .isInstanceOf(InvalidTreeException.class)
            .hasMessageStartingWith("\"caf\\351.yaml\": a file name that is not UTF-8");
      } finally {
        org.eclipse.jgit.util.SystemReader.setInstance(previous);
      }
    }
  }
}
