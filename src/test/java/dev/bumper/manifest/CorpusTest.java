package dev.bumper.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.Corpus;
import dev.bumper.image.ImageReference;
import dev.bumper.image.ImageUpdate;
import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.ScalarSpan;
import dev.bumper.yaml.SourceText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Bumps every image in every file of the real-world corpus (src/test/data/corpus: 504 manifests,
 * values files and kustomizations from 15 repositories) and checks the output byte for byte.
 *
 * <p>For each file the expected output is computed here, independently of the editor: the input
 * with each image scalar's span replaced by the new value in the scalar's own quoting. Files
 * whose kustomize entries gain or lose a field are checked line by line outside those entries.
 * Every output is then composed again and compared with the input tree.
 */
class CorpusTest {
  private static final String NEW_TAG = "9.9.9-bumped";
  private static final String NEW_DIGEST =
      "sha256:feedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedface";

  private static Path corpus;
  private static List<String> files;

  @BeforeAll
  static void loadCorpus() {
    Corpus loaded = Corpus.load();
    corpus = loaded.dir();
    files = loaded.paths();
    assertThat(files).hasSize(504);
  }

  /** One image place of a file, with what it holds now. */
  private record Found(Place place, ImageReference ref) {}

  @Test
  void bumpingEveryImageToANewTagChangesOnlyThoseScalars() throws IOException {
    Stats stats = run(ref -> ref.withTag(NEW_TAG).withDigest(null), ref -> ref.name() + ":" + NEW_TAG);
    assertThat(stats.filesChanged).isGreaterThan(300);
    // 471 places in 344 files when this was written; the corpus is pinned
    assertThat(stats.placesChanged).isGreaterThan(450);
  }

  @Test
  void bumpingEveryImageToADigestChangesOnlyThoseScalars() throws IOException {
    Stats stats = run(ref -> ref.withTag(null).withDigest(NEW_DIGEST), ref -> ref.name() + "@" + NEW_DIGEST);
    assertThat(stats.filesChanged).isGreaterThan(300);
  }

  @Test
  void aNoOpBumpLeavesEveryFileByteIdentical() throws IOException {
    int specsRun = 0;
    for (String file : files) {
      byte[] bytes = Files.readAllBytes(corpus.resolve(file));
      SourceText source = SourceText.decode(file, bytes);
      Map<String, List<Found>> byRepo = images(file, ComposedYaml.compose(source));
      List<ImageUpdate> specs = new ArrayList<>();
      for (List<Found> uses : byRepo.values()) {
        ImageReference first = uses.get(0).ref();
        if (uses.stream().allMatch(f -> same(f.ref(), first))) {
          specs.add(ImageUpdate.parse(first.toString()));
        }
      }
      if (specs.isEmpty()) {
        continue;
      }
      specsRun += specs.size();
      FileBump result = new ManifestBumper(new BumpRequest(specs, List.of(), List.of())).bump(file, source);
      assertThat(result.changes()).as(file).isEmpty();
      assertThat(result.edited().newText().getBytes(StandardCharsets.UTF_8)).as(file).isEqualTo(bytes);
      assertThat(result.matched().cardinality()).as(file).isEqualTo(specs.size());
    }
    assertThat(specsRun).isGreaterThan(400);
  }

  private static boolean same(ImageReference a, ImageReference b) {
    return java.util.Objects.equals(a.tag(), b.tag()) && java.util.Objects.equals(a.digest(), b.digest());
  }

  private static final class Stats {
    int filesChanged;
    int placesChanged;
  }

  /**
   * Bumps every repository found in each file to {@code next(ref)} (one spec per repository) and
   * checks the bytes against the independently computed expectation.
   */
  private Stats run(Function<ImageReference, ImageReference> next, Function<ImageReference, String> spec)
      throws IOException {
    Stats stats = new Stats();

    for (String file : files) {
      byte[] bytes = Files.readAllBytes(corpus.resolve(file));
      SourceText source = SourceText.decode(file, bytes);
      ComposedYaml yaml = ComposedYaml.compose(source);
      Map<String, List<Found>> byRepo = images(file, yaml);
      if (byRepo.isEmpty()) {
        continue;
      }
      List<ImageUpdate> specs = new ArrayList<>();
      byRepo.values().forEach(uses -> specs.add(ImageUpdate.parse(spec.apply(uses.get(0).ref()))));
      FileBump result = new ManifestBumper(new BumpRequest(specs, List.of(), List.of())).bump(file, source);
      String out = result.edited().newText();

      Expected expected = expected(yaml, byRepo, next);
      if (expected.exact) {
        assertThat(out).as(file).isEqualTo(expected.text);
      } else {
        assertLinesOutsideEqual(file, source.text(), out, expected.entryLines);
      }
      assertThat(result.matched().cardinality()).as(file).isEqualTo(specs.size());
      assertTreeChangedOnlyAtPlaces(file, yaml, out);
      if (!out.equals(source.text())) {
        stats.filesChanged++;
        stats.placesChanged += result.changes().size();
      }
    }
    return stats;
  }

  /** The images of a file, grouped by normalized repository, through the production finder. */
  private static Map<String, List<Found>> images(String file, ComposedYaml yaml) {
    boolean argo = file.substring(file.lastIndexOf('/') + 1).startsWith(".argocd-source");
    Map<String, List<Found>> byRepo = new TreeMap<>();
    for (Node document : yaml.documents()) {
      for (Place place : PlaceFinder.find(document, argo)) {
        ImageReference ref = refOf(place);
        if (ref != null) {
          byRepo.computeIfAbsent(ref.repository(), r -> new ArrayList<>()).add(new Found(place, ref));
        }
      }
    }
    return byRepo;
  }

  private static ImageReference refOf(Place place) {
    if (place instanceof Place.Ref ref) {
      String value = ref.scalar().getValue();
      if (ref.kind() == Kind.ARGOCD && value.contains("=")) {
        value = value.substring(value.indexOf('=') + 1);
      }
      return ImageReference.tryParse(value).orElse(null);
    }
    if (place instanceof Place.HelmImage helm) {
      String registry = Nodes.string(helm.registry());
      String name = (registry == null || registry.isEmpty() ? "" : registry + "/") + Nodes.string(helm.repository());
      ImageReference ref = ImageReference.tryParse(name).orElse(null);
      if (ref == null || ref.tag() != null || ref.digest() != null) {
        return null;
      }
      String tag = Nodes.string(helm.tag());
      String digest = Nodes.string(helm.digest());
      if (helm.digest() == null && tag != null && tag.contains("@")) {
        digest = tag.substring(tag.indexOf('@') + 1);
        tag = tag.substring(0, tag.indexOf('@'));
      }
      return withParts(ref, tag, digest);
    }
    if (place instanceof Place.KustomizeEntry entry) {
      String newName = Nodes.string(entry.entry(), "newName");
      ImageReference ref =
          ImageReference.tryParse(newName != null ? newName : Nodes.string(entry.entry(), "name")).orElse(null);
      return ref == null
          ? null
          : withParts(ref, Nodes.string(entry.entry(), "newTag"), Nodes.string(entry.entry(), "digest"));
    }
    return null;
  }

  /** The reference with a tag and digest from separate fields; null when they are not valid. */
  private static ImageReference withParts(ImageReference ref, String tag, String digest) {
    try {
      return ref.withTag(tag == null || tag.isEmpty() ? null : tag)
          .withDigest(digest == null || digest.isEmpty() ? null : digest);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private record Expected(boolean exact, String text, List<int[]> entryLines) {}

  /**
   * The expected output: each image scalar's span replaced by its new value in its own quoting.
   * Kustomize entries and Helm blocks that must gain or lose a field make the expectation
   * inexact: those entries' lines are then excluded from the byte comparison.
   */
  private static Expected expected(
      ComposedYaml yaml, Map<String, List<Found>> byRepo, Function<ImageReference, ImageReference> next) {
    SourceText source = yaml.source();
    TreeMap<Integer, String[]> replacements = new TreeMap<>(); // start -> {end, text}
    List<int[]> entryLines = new ArrayList<>();
    boolean exact = true;
    Set<Node> done = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (List<Found> uses : byRepo.values()) {
      for (Found found : uses) {
        ImageReference now = next.apply(found.ref());
        if (found.place() instanceof Place.Ref ref) {
          String value = ref.scalar().getValue();
          String prefix = ref.kind() == Kind.ARGOCD && value.contains("=") ? value.substring(0, value.indexOf('=') + 1) : "";
          if (done.add(ref.scalar()) && !value.equals(prefix + now)) {
            replace(yaml, replacements, ref.scalar(), prefix + now);
          }
        } else if (found.place() instanceof Place.HelmImage helm) {
          String tag = Nodes.string(helm.tag());
          if (helm.digest() == null) {
            String oldTag = tag == null ? null : tag.contains("@") ? tag.substring(0, tag.indexOf('@')) : tag;
            String value = now.tag() != null ? now.tag() : oldTag + "@" + now.digest();
            if (helm.tag() == null) {
              exact = false;
              entryLines.add(lines(yaml, helm.map()));
            } else if (!value.equals(tag)) {
              replace(yaml, replacements, (ScalarNode) helm.tag().getValueNode(), value);
            }
          } else {
            if (now.tag() != null && helm.tag() != null && !now.tag().equals(tag)) {
              replace(yaml, replacements, (ScalarNode) helm.tag().getValueNode(), now.tag());
            } else if (now.tag() != null && helm.tag() == null) {
              exact = false;
              entryLines.add(lines(yaml, helm.map()));
            }
            String digest = now.digest() == null ? "" : now.digest();
            if (!digest.equals(Nodes.string(helm.digest()))) {
              replace(yaml, replacements, (ScalarNode) helm.digest().getValueNode(), digest);
            }
          }
        } else if (found.place() instanceof Place.KustomizeEntry entry) {
          NodeTuple newTag = Nodes.entry(entry.entry(), "newTag");
          NodeTuple digest = Nodes.entry(entry.entry(), "digest");
          boolean tagInPlace = now.tag() != null && newTag != null && digest == null;
          boolean digestInPlace = now.digest() != null && digest != null && newTag == null;
          if (tagInPlace) {
            if (!now.tag().equals(Nodes.string(newTag))) {
              replace(yaml, replacements, (ScalarNode) newTag.getValueNode(), now.tag());
            }
          } else if (digestInPlace) {
            if (!now.digest().equals(Nodes.string(digest))) {
              replace(yaml, replacements, (ScalarNode) digest.getValueNode(), now.digest());
            }
          } else {
            exact = false;
            entryLines.add(lines(yaml, entry.entry()));
          }
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    int at = 0;
    for (Map.Entry<Integer, String[]> r : replacements.entrySet()) {
      sb.append(source.text(), at, r.getKey()).append(r.getValue()[1]);
      at = Integer.parseInt(r.getValue()[0]);
    }
    sb.append(source.text().substring(at));
    return new Expected(exact, sb.toString(), entryLines);
  }

  private static void replace(ComposedYaml yaml, TreeMap<Integer, String[]> out, ScalarNode node, String value) {
    ScalarSpan span = yaml.span(node);
    String text;
    if (node.getScalarStyle() == ScalarStyle.SINGLE_QUOTED) {
      text = "'" + value + "'";
    } else if (node.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED || value.isEmpty()
        || value.matches("[0-9.]+")) {
      text = "\"" + value + "\"";
    } else {
      text = value;
    }
    out.put(span.start(), new String[] {String.valueOf(span.end()), text});
  }

  private static int[] lines(ComposedYaml yaml, Node node) {
    SourceText source = yaml.source();
    return new int[] {yaml.line(node), source.lineOf(yaml.endOffset(node))};
  }

  /** Lines outside the entries that gain or lose fields are unchanged, in order. */
  private static void assertLinesOutsideEqual(String file, String in, String out, List<int[]> entries) {
    List<String> before = outside(in.split("(?<=\n)", -1), entries, 0);
    // Lines of the output: the same count before the first entry; drop the changed entries by content.
    List<String> inLines = List.of(in.split("(?<=\n)", -1));
    List<String> outLines = List.of(out.split("(?<=\n)", -1));
    int delta = outLines.size() - inLines.size();
    assertThat(Math.abs(delta)).as(file + " lines added or removed").isLessThanOrEqualTo(entries.size() * 2);
    // Every input line outside the entries appears in the output, in order.
    int j = 0;
    for (String line : before) {
      while (j < outLines.size() && !outLines.get(j).equals(line)) {
        j++;
      }
      assertThat(j).as(file + ": line kept: " + line).isLessThan(outLines.size());
      j++;
    }
  }

  private static List<String> outside(String[] lines, List<int[]> entries, int unused) {
    List<String> kept = new ArrayList<>();
    outer:
    for (int i = 0; i < lines.length; i++) {
      int line = i + 1;
      for (int[] e : entries) {
        if (line >= e[0] && line <= e[1]) {
          continue outer;
        }
      }
      kept.add(lines[i]);
    }
    return kept;
  }

  /** Composes the output and walks it beside the input: equal except at the image places. */
  private static void assertTreeChangedOnlyAtPlaces(String file, ComposedYaml before, String out) {
    ComposedYaml after;
    try {
      after = ComposedYaml.compose(SourceText.of(file, out));
    } catch (InvalidYamlException e) {
      throw new AssertionError(file + ": output does not parse: " + e.getMessage());
    }
    assertThat(after.documents()).as(file).hasSameSizeAs(before.documents());
    for (int i = 0; i < before.documents().size(); i++) {
      compare(file, before.documents().get(i), after.documents().get(i), false, new IdentityHashMap<>());
    }
  }

  private static final Set<String> IMAGE_FIELDS = Set.of("image", "reference", "tag", "digest", "newTag", "newName", "images");

  private static void compare(String file, Node a, Node b, boolean mayChange, Map<Node, Node> seen) {
    if (seen.containsKey(a)) {
      assertThat(seen.get(a)).as(file + ": alias").isSameAs(b);
      return;
    }
    seen.put(a, b);
    assertThat(b.getNodeType()).as(file).isEqualTo(a.getNodeType());
    if (a instanceof ScalarNode sa) {
      if (!mayChange) {
        assertThat(((ScalarNode) b).getValue()).as(file + ":" + sa.getStartMark().get().getLine()).isEqualTo(sa.getValue());
      }
    } else if (a instanceof SequenceNode qa) {
      List<Node> x = qa.getValue();
      List<Node> y = ((SequenceNode) b).getValue();
      assertThat(y).as(file).hasSameSizeAs(x);
      for (int i = 0; i < x.size(); i++) {
        compare(file, x.get(i), y.get(i), mayChange, seen);
      }
    } else {
      Map<String, Node> x = entries((MappingNode) a);
      Map<String, Node> y = entries((MappingNode) b);
      for (Map.Entry<String, Node> e : x.entrySet()) {
        boolean field = IMAGE_FIELDS.contains(e.getKey()) || e.getKey().endsWith("Image");
        if (!y.containsKey(e.getKey())) {
          assertThat(field).as(file + ": removed key " + e.getKey()).isTrue();
          continue;
        }
        compare(file, e.getValue(), y.get(e.getKey()), mayChange || field, seen);
      }
      for (String key : y.keySet()) {
        if (!x.containsKey(key)) {
          assertThat(IMAGE_FIELDS).as(file + ": added key " + key).contains(key);
        }
      }
    }
  }

  private static Map<String, Node> entries(MappingNode map) {
    Map<String, Node> entries = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(System.identityHashCode(t));
      entries.putIfAbsent(key, t.getValueNode());
    }
    return entries;
  }
}
