package dev.bumper.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bumper.Corpus;
import dev.bumper.Mutations;
import dev.bumper.image.ImageUpdate;
import dev.bumper.manifest.BumpRequest;
import dev.bumper.manifest.FileBump;
import dev.bumper.manifest.ManifestBumper;
import dev.bumper.manifest.PathAssignment;
import dev.bumper.manifest.PolicyAssignment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Fuzzes the YAML core: decoding, composing, editing and the self-check, on arbitrary bytes and
 * on damaged real files. Whatever the input, the only failures are the documented ones: {@link
 * InvalidYamlException} (exit 4), {@link EditConflictException} (exit 2) and {@link
 * SelfCheckException} (exit 1, nothing written). When an edit succeeds, the edits are the whole
 * difference and a second run has nothing left to do.
 *
 * <p>{@code ./mvnw verify} runs the saved inputs and a short fuzzing run of each target; README
 * "Fuzzing" has the command for longer runs.
 */
class YamlFuzzTest {
  private static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  /**
   * Requests a fuzzer picks from: image specs of every form, paths and Flux policies. None of
   * them renames an image into one another spec sets, so each is done after one run.
   */
  private static final List<BumpRequest> REQUESTS =
      List.of(
          images("ghcr.io/acme/web:1.4.2"),
          images("web=ghcr.io/acme/web:2.0@" + DIGEST),
          images("nginx:1.27", "docker.io/library/redis:*@" + DIGEST),
          images("web=*:1.10", "app@" + DIGEST),
          images("ghcr.io/acme/web:1.4.2", "redis=ghcr.io/acme/redis:7.2"),
          new BumpRequest(
              List.of(),
              List.of(
                  PathAssignment.parse("spec.replicas=3"),
                  PathAssignment.parse("spec.template.spec.containers[name=web].image=web:1.5"),
                  PathAssignment.parse("a[0].b=\"x: y\"")),
              List.of()),
          new BumpRequest(
              List.of(),
              List.of(),
              List.of(
                  PolicyAssignment.parse("flux-system:web=ghcr.io/acme/web:1.4.2@" + DIGEST),
                  PolicyAssignment.parse("ns:app=app:2"))));

  private static CorpusFiles corpusFiles;

  @FuzzTest
  // In libFuzzer dictionary syntax: \\xNN is a byte, \\" a quote.
  @DictionaryEntries({
    "image: ", "containers:", "- name: web", "image: ghcr.io/acme/web:1.0", "&a ", "*a", "---",
    "...", "%YAML 1.2", "!!str ", "images:", "newTag: ", "newName: ", "repository: ", "tag: ",
    "registry: ", "digest: ", "{", "}", "[", "]", "\\\"", "'", "|", ">", "? ", ": ", "web:1.0",
    "nginx:1.25", "kustomize:", "replicas: ", "\\x0A", "\\x0D\\x0A", "\\x09",
    "\\xEF\\xBB\\xBF", "# {\\\"$imagepolicy\\\": \\\"flux-system:web\\\"}",
    "# {\\\"$imagepolicy\\\": \\\"ns:app:tag\\\"}",
  })
  void arbitraryText(FuzzedDataProvider data) {
    BumpRequest request = REQUESTS.get(data.consumeInt(0, REQUESTS.size() - 1));
    String name = data.consumeBoolean() ? ".argocd-source-web.yaml" : "fuzz.yaml";
    bumpAndCheck(name, data.consumeRemainingAsBytes(), request);
  }

  @FuzzTest
  void mutatedCorpus(FuzzedDataProvider data) {
    CorpusFiles files = corpusFiles;
    int index = data.consumeInt(0, files.contents().size() - 1);
    byte[] bytes = files.contents().get(index);
    RandomGenerator random = data::consumeLong;
    int mutations = data.consumeInt(1, 4);
    for (int i = 0; i < mutations; i++) {
      bytes = Mutations.apply(bytes, Mutations.pick(random), random);
    }
    List<String> repositories = files.repositories().get(index);
    String repository =
        repositories.isEmpty() ? "ghcr.io/acme/web" : repositories.get(data.consumeInt(0, repositories.size() - 1));
    BumpRequest request =
        data.consumeBoolean()
            ? images(repository + ":9.9.9-fuzz")
            : images(repository + "=" + "registry.example.com/moved/app:*@" + DIGEST);
    bumpAndCheck(files.names().get(index), bytes, request);
  }

  @FuzzTest
  void editAnyScalar(FuzzedDataProvider data) {
    String value = data.consumeString(40);
    int pick = data.consumeInt();
    int how = data.consumeInt(0, 2);
    byte[] bytes = data.consumeRemainingAsBytes();
    ComposedYaml yaml;
    try {
      yaml = ComposedYaml.compose(SourceText.decode("fuzz.yaml", bytes));
    } catch (InvalidYamlException e) {
      return;
    }
    List<ScalarNode> scalars = scalars(yaml);
    if (scalars.isEmpty()) {
      return;
    }
    ScalarNode target = scalars.get(Math.floorMod(pick, scalars.size()));
    YamlEditor editor = new YamlEditor(yaml);
    try {
      switch (how) {
        case 0 -> editor.setString(target, value);
        case 1 -> editor.setKeepingType(target, value);
        default -> editor.setStringQuoted(target, value);
      }
      EditedYaml edited = editor.apply();
      assertThat(UnifiedDiff.apply(yaml.source().text(), edited.edits())).isEqualTo(edited.newText());
      assertThat(edited.diff("fuzz.yaml")).isNotNull();
    } catch (InvalidYamlException | EditConflictException | SelfCheckException e) {
      assertThat(e.getMessage()).startsWith("fuzz.yaml");
    }
  }

  /** Bumps one file; fails on anything but a documented outcome. */
  static void bumpAndCheck(String name, byte[] bytes, BumpRequest request) {
    SourceText source;
    try {
      source = SourceText.decode(name, bytes);
    } catch (InvalidYamlException e) {
      assertThat(e.getMessage()).startsWith(name + ":").contains("not UTF-8");
      return;
    }
    FileBump bump;
    try {
      bump = new ManifestBumper(request).bump(name, source);
    } catch (InvalidYamlException | SelfCheckException e) {
      assertThat(e.getMessage()).startsWith(name);
      return;
    } catch (EditConflictException e) {
      assertThat(e.getMessage()).startsWith(name + ":").contains("two updates");
      return;
    }
    if (!bump.changed()) {
      return;
    }
    EditedYaml edited = bump.edited();
    assertThat(UnifiedDiff.apply(source.text(), edited.edits())).isEqualTo(edited.newText());
    assertThat(edited.diff(name)).startsWith("--- a/" + name + "\n+++ b/" + name + "\n");
    FileBump again = new ManifestBumper(request).bump(name, SourceText.of(name, edited.newText()));
    assertThat(again.changed()).as("a second bump of the result changes nothing").isFalse();
  }

  private static BumpRequest images(String... specs) {
    List<ImageUpdate> updates = new ArrayList<>();
    for (String spec : specs) {
      updates.add(ImageUpdate.parse(spec));
    }
    return new BumpRequest(updates, List.of(), List.of());
  }

  /** Every scalar of every document, each once, in document order. */
  private static List<ScalarNode> scalars(ComposedYaml yaml) {
    List<ScalarNode> found = new ArrayList<>();
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> pending = new ArrayList<>(yaml.documents());
    Collections.reverse(pending);
    while (!pending.isEmpty()) {
      Node node = pending.remove(pending.size() - 1);
      if (!seen.add(node)) {
        continue;
      }
      if (node instanceof ScalarNode scalar) {
        found.add(scalar);
      } else if (node instanceof SequenceNode seq) {
        List<Node> items = new ArrayList<>(seq.getValue());
        Collections.reverse(items);
        pending.addAll(items);
      } else if (node instanceof MappingNode map) {
        List<Node> items = new ArrayList<>();
        for (NodeTuple tuple : map.getValue()) {
          items.add(tuple.getKeyNode());
          items.add(tuple.getValueNode());
        }
        Collections.reverse(items);
        pending.addAll(items);
      }
    }
    return found;
  }

  /** The corpus in memory: a fuzzer runs thousands of inputs a second on it. */
  private record CorpusFiles(List<String> names, List<byte[]> contents, List<List<String>> repositories) {}

  /**
   * Loaded before any input runs, so that missing or damaged data fails the class as a test error
   * and is never taken by the fuzzer for a finding (which it would save as a crashing input).
   */
  @BeforeAll
  static void loadCorpus() {
    if (corpusFiles == null) {
      Corpus corpus = Corpus.load();
      List<String> names = new ArrayList<>();
      List<byte[]> contents = new ArrayList<>();
      List<List<String>> repositories = new ArrayList<>();
      for (String path : corpus.paths()) {
        byte[] bytes = corpus.read(path);
        names.add(Corpus.fileName(path));
        contents.add(bytes);
        repositories.add(Corpus.repositories(bytes));
      }
      corpusFiles = new CorpusFiles(names, contents, repositories);
    }
  }
}
