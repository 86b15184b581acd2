package dev.bumper.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A snapshot with some files replaced or added: the tree as earlier changes in a series left it. */
final class OverlaySnapshot implements Snapshot {
  private final Snapshot base;
  private final Map<String, byte[]> files = new LinkedHashMap<>();

  OverlaySnapshot(Snapshot base) {
    this.base = base;
  }

  void put(Map<String, byte[]> changed) {
    files.putAll(changed);
  }

  /** Every file changed so far, in the order first changed. */
  Map<String, byte[]> changes() {
    return files;
  }

  @Override
  public List<String> paths() {
    List<String> paths = base.paths();
    if (files.keySet().stream().allMatch(paths::contains)) {
      return paths;
    }
    TreeSet<String> all = new TreeSet<>(paths);
    all.addAll(files.keySet());
    return new ArrayList<>(all);
  }

  @Override
  public byte[] read(String path) throws IOException {
    byte[] changed = files.get(path);
    return changed != null ? changed : base.read(path);
  }
}
