package dev.bumper.kustomize;

import static dev.bumper.kustomize.KustomizationImagesTest.images;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.Corpus;
import dev.bumper.kustomize.KustomizationImagesTest.ImagesRegion;
import dev.bumper.yaml.SourceText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * {@code kustomize-set-image} on every kustomization of the real-world corpus (src/test/data/corpus,
 * listed in MANIFEST.tsv): for each existing entry, {@code NAME:bumped-tag} must change that
 * entry only, keep every other entry's text verbatim and every byte outside the list.
 */
class KustomizeCorpusTest {
  private static final String TAG = "bumped-tag";
  private static final Set<String> NAMES = Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private static Path corpus;
  private static List<String> kustomizations;

  @BeforeAll
  static void listKustomizations() {
    Corpus loaded = Corpus.load();
    corpus = loaded.dir();
    kustomizations = new ArrayList<>();
    for (String path : loaded.paths()) {
      if (NAMES.contains(Corpus.fileName(path))) {
        kustomizations.add(path);
      }
    }
    // the corpus is pinned (MANIFEST.tsv holds blob hashes): 62 kustomizations, 19 with images
    assertThat(kustomizations).hasSize(62);
  }

  /** One corpus file with an images list. */
  private record Case(String path, String text, List<Map<String, String>> entries) {}

  private static List<Case> casesWithImages() throws IOException {
    List<Case> cases = new ArrayList<>();
    int withoutImages = 0;
    for (String path : kustomizations) {
      String text = SourceText.decode(path, Files.readAllBytes(corpus.resolve(path))).text();
      List<Node> docs = KustomizationImagesTest.compose(text);
      assertThat(docs).as(path).hasSize(1);
      assertThat(docs.get(0)).as(path).isInstanceOf(MappingNode.class);
      List<Map<String, String>> entries = images(text);
      if (entries.isEmpty()) {
        withoutImages++;
        continue;
      }
      cases.add(new Case(path, text, entries));
    }
    System.out.printf(
        "KustomizeCorpusTest: %d kustomization files, %d with images, %d without%n",
        kustomizations.size(), cases.size(), withoutImages);
    assertThat(cases.size() + withoutImages).isEqualTo(kustomizations.size());
    return cases;
  }

  @Test
  void settingEachEntryChangesThatEntryAndKeepsEverythingElse() throws IOException {
    List<Case> cases = casesWithImages();
    int runs = 0;
    for (Case c : cases) {
      Set<String> names = new LinkedHashSet<>();
      c.entries().forEach(e -> names.add(e.getOrDefault("name", "")));
      for (String name : names) {
        SetImageResult result = set(c, List.of(name + ":" + TAG));
        String out = result.edited().newText();
        String what = c.path() + " with " + name + ":" + TAG;

        assertOutsideKept(what, c.text(), out);
        // every entry kustomize keeps (another name, first of its name) appears verbatim
        List<String> blocks = ImagesRegion.entryBlocks(c.text());
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < blocks.size(); i++) {
          String entryName = c.entries().get(i).getOrDefault("name", "");
          if (seen.add(entryName) && !entryName.equals(name)) {
            // whole lines; the last line of the file may lose or gain the final newline on a move
            String block = blocks.get(i).replaceAll("\\r?\\n$", "");
            String list = "\n" + ImagesRegion.of(out).list();
            assertThat(list.endsWith("\n" + block) || list.contains("\n" + block + "\n")
                || list.contains("\n" + block + "\r\n"))
                .as("%s: entry kept verbatim:%n%s%nin:%s", what, block, list)
                .isTrue();
          }
        }
        // the changed entry is exactly what kustomize writes for NAME:TAG
        List<Map<String, String>> after = images(out);
        assertThat(after).as(what).filteredOn(e -> name.equals(e.get("name")))
            .containsExactly(Map.of("name", name, "newTag", TAG));
        assertThat(after).as(what).hasSize(seen.size());
        assertThat(after.stream().map(e -> e.get("name")).toList()).as(what).isSorted();
        assertThat(result.edited().changed()).as(what).isTrue();
        assertThat(KustomizationImagesTest.compose(out)).as(what).hasSize(1);
        runs++;
      }
    }
    System.out.printf("KustomizeCorpusTest: %d files exercised, %d single-entry runs%n", cases.size(), runs);
    assertThat(cases).hasSize(19);
    assertThat(runs).isGreaterThan(cases.size());
  }

  @Test
  void settingAllEntriesAtOnceChangesOnlyTheList() throws IOException {
    List<Case> cases = casesWithImages();
    for (Case c : cases) {
      Set<String> names = new LinkedHashSet<>();
      c.entries().forEach(e -> names.add(e.getOrDefault("name", "")));
      List<String> args = names.stream().map(n -> n + ":" + TAG).toList();
      SetImageResult result = set(c, args);
      String out = result.edited().newText();

      assertOutsideKept(c.path(), c.text(), out);
      List<Map<String, String>> after = images(out);
      assertThat(after).as(c.path()).hasSize(names.size());
      for (Map<String, String> entry : after) {
        assertThat(entry).as(c.path()).isEqualTo(Map.of("name", entry.get("name"), "newTag", TAG));
      }
      assertThat(after.stream().map(e -> e.get("name")).toList()).as(c.path()).isSorted();
      assertThat(KustomizationImagesTest.compose(out)).as(c.path()).hasSize(1);
    }
    assertThat(cases).isNotEmpty();
  }

  @Test
  void settingEveryEntryToWhatItIsLeavesSortedFilesByteIdentical() throws IOException {
    int identical = 0;
    for (Case c : casesWithImages()) {
      List<String> names = c.entries().stream().map(e -> e.getOrDefault("name", "")).toList();
      boolean sortedAndUnique =
          names.stream().distinct().count() == names.size()
              && names.equals(names.stream().sorted(ImagesMerge::compareBytes).toList());
      if (!sortedAndUnique) {
        continue;
      }
      List<String> args = new ArrayList<>();
      for (Map<String, String> e : c.entries()) {
        if (e.containsKey("tagSuffix") || !Set.of("name", "newName", "newTag", "digest").containsAll(e.keySet())) {
          args = null; // tagSuffix or unknown keys: kustomize's replacement would drop them
          break;
        }
        String tag = e.getOrDefault("newTag", "");
        String digest = e.getOrDefault("digest", "");
        args.add(e.get("name") + "=" + e.getOrDefault("newName", "")
            + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest));
      }
      if (args == null) {
        continue;
      }
      SetImageResult result = set(c, args);
      assertThat(result.edited().newText()).as(c.path() + " " + args).isEqualTo(c.text());
      assertThat(result.changes()).as(c.path()).isEmpty();
      identical++;
    }
    System.out.printf("KustomizeCorpusTest: %d files unchanged by a no-op%n", identical);
    assertThat(identical).isGreaterThan(0);
  }

  private static SetImageResult set(Case c, List<String> args) {
    return KustomizationImages.set(SourceText.of(c.path(), c.text()), ImageArg.parseAll(args));
  }

  /** The text before the images list and after it is the input's, byte for byte. */
  private static void assertOutsideKept(String what, String input, String out) {
    ImagesRegion before = ImagesRegion.of(input);
    ImagesRegion after = ImagesRegion.of(out);
    assertThat(before.present()).as(what).isTrue();
    assertThat(after.prefix()).as(what + ": text before images").isEqualTo(before.prefix());
    assertThat(after.suffix()).as(what + ": text after images").isEqualTo(before.suffix());
    assertThat(out).as(what).startsWith(before.prefix()).endsWith(before.suffix());
  }
}
