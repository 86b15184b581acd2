package dev.bumper.edit;

import dev.bumper.io.ManifestSource;
import dev.bumper.manifest.ImagesInUse;
import dev.bumper.yaml.SourceText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an environment (a PATH of the config repo) deploys in one tree: for each file under it,
 * each repository's references, read from the files a bump of PATH would read and by the rules it
 * follows.
 *
 * @param files by file (from the tree's top), by normalized repository, the references as spelled
 */
public record DeployedImages(SortedMap<String, SortedMap<String, SortedSet<String>>> files) {
  public DeployedImages {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }

  /** The images under {@code path} ({@code ""}: the whole tree). */
  public static DeployedImages of(FileTree tree, String path) throws IOException {
    SortedMap<String, SortedMap<String, SortedSet<String>>> files = new TreeMap<>();
    List<ManifestSource> sources = new ArrayList<>();
    tree.manifests("", path.isEmpty() ? List.of() : List.of(path), List.of(), List.of(),
        sources::add);
    for (ManifestSource source : sources) {
      SourceText text;
      try {
        text = SourceText.decode(source.display(), source.read());
      } catch (RuntimeException e) {
        continue; // not UTF-8: deploys nothing bumper could change
      }
      for (ImagesInUse.Use use : ImagesInUse.of(source.display(), text)) {
        files.computeIfAbsent(source.display(), f -> new TreeMap<>())
            .computeIfAbsent(use.repository(), r -> new TreeSet<>())
            .add(use.reference());
      }
    }
    return new DeployedImages(files);
  }

  /** Each repository's references in all the files together. */
  public SortedMap<String, SortedSet<String>> byRepository() {
    SortedMap<String, SortedSet<String>> all = new TreeMap<>();
    files.values().forEach(repositories -> repositories.forEach(
        (repository, refs) -> all.computeIfAbsent(repository, r -> new TreeSet<>()).addAll(refs)));
    return all;
  }

  /** The references of every repository, joined, as history shows one: {@code a, b}; or null. */
  public static String shown(SortedSet<String> refs) {
    return refs == null || refs.isEmpty() ? null : String.join(", ", refs);
  }
}
