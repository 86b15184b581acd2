package dev.bumper.edit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.io.ManifestFiles;
import dev.bumper.io.ManifestSource;
import dev.bumper.io.WriteRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A commit's tree selects the manifests a walk of the same files on disk selects, PATHs and globs alike. */
class ListedTreeTest {
  private static final List<String> FILES = List.of(
      "a/x.yaml", "a/b/y.yml", "a/b/c/deep.yaml", "a/Kustomization", ".argocd-source-x.yaml",
      ".github/workflows/w.yaml", ".github/workflows/.inner/i.yaml", "a/.hidden/h.yaml", "a/notes.txt",
      "a/z.yaml.bak", "apps/web.yaml.tmpl", "apps/web/d.yaml");

  @TempDir Path tmp;

  private static ListedTree listed() {
    return new ListedTree() {
      @Override
      public List<String> paths() {
        return FILES.stream().sorted().toList();
      }

      @Override
      public byte[] read(String path) {
        return new byte[0];
      }
    };
  }

  private List<String> walked(List<String> paths, List<String> includes, List<String> excludes) throws IOException {
    Path root = tmp.resolve("root");
    if (!Files.exists(root)) {
      for (String file : FILES) {
        Files.createDirectories(root.resolve(file).getParent());
        Files.writeString(root.resolve(file), "kind: Pod\n");
      }
    }
    List<Path> resolved = paths.isEmpty() ? List.of(root) : paths.stream().map(p -> root.resolve(p).normalize()).toList();
    return new ManifestFiles(WriteRoot.of(root), includes, excludes, line -> {}).list(resolved).stream()
        .map(ManifestSource::display).sorted().toList();
  }

  private static List<String> listed(List<String> paths, List<String> includes, List<String> excludes) {
    List<String> found = new ArrayList<>();
    listed().manifests("", paths, includes, excludes, source -> found.add(source.display()));
    return found.stream().sorted().toList();
  }

  @Test
  void pathsSelectTheFilesAWalkOfThemSelects() throws IOException {
    List<List<String>> cases = List.of(
        List.of(),
        List.of("a"),
        List.of("a/b", "a/notes.txt"),
        List.of(".github/workflows"),
        List.of(".github"),
        List.of(".github/workflows/w.yaml"),
        List.of("a/.hidden"),
        List.of("apps/web.yaml.tmpl"),
        List.of("apps", "apps/web.yaml.tmpl"),
        List.of("./a/", "a/b/"));
    for (List<String> paths : cases) {
      assertThat(listed(paths, List.of(), List.of())).as(paths.toString()).isEqualTo(walked(paths, List.of(), List.of()));
    }
    assertThat(listed(List.of(".github/workflows"), List.of(), List.of())).containsExactly(".github/workflows/w.yaml");
    assertThat(listed(List.of("apps/web.yaml.tmpl"), List.of(), List.of())).containsExactly("apps/web.yaml.tmpl");
  }

  @Test
  void globsMatchThePathFromTheTopUnderAPathToo() throws IOException {
    for (List<String> paths : List.of(List.<String>of(), List.of("a"), List.of(".github"))) {
      assertThat(listed(paths, List.of("**/b/**", "*.yaml"), List.of("deep.yaml")))
          .as(paths.toString()).isEqualTo(walked(paths, List.of("**/b/**", "*.yaml"), List.of("deep.yaml")));
    }
  }
}
