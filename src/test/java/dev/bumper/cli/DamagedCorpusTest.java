package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.Corpus;
import dev.bumper.Mutations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bump-manifest and kustomize-set-image on 1,000 damaged real files (see {@link DamagedCorpus}),
 * in-process: each file alone, then in batches of 25. Whatever the damage, a run ends with exit
 * 0, 3 or 4 and a message, never a stack trace; a failed run writes nothing; no temp file is left;
 * and a batch of files that each bump cleanly bumps each of them as a run of its own does.
 */
class DamagedCorpusTest {
  private static final int CASES = 1_000;
  private static final int BATCH = 25;
  private static final long SEED = 72_024L;

  @TempDir Path tmp;

  @Test
  void bumpManifestOnAThousandDamagedFiles() throws Exception {
    List<DamagedCorpus.Case> cases = DamagedCorpus.cases(Corpus.load(), CASES, SEED);
    Map<Integer, Integer> alone = new TreeMap<>();
    Map<Mutations.Kind, Integer> refused = new EnumMap<>(Mutations.Kind.class);
    Map<DamagedCorpus.Case, byte[]> bumped = new LinkedHashMap<>();
    for (DamagedCorpus.Case c : cases) {
      Path root = Files.createDirectories(tmp.resolve("alone-" + c.index()));
      Map<Path, byte[]> before = DamagedCorpus.write(root, List.of(c));
      Run run = Run.run("bump-manifest", "-C", root.toString(), "-i", c.spec());
      check(run, c.toString(), List.of(0, 3, 4));
      DamagedCorpus.checkFiles(root, before, run.code(), c + "\n" + run);
      alone.merge(run.code(), 1, Integer::sum);
      if (run.code() == 4) {
        refused.merge(c.kind(), 1, Integer::sum);
        assertThat(run.err()).as(c + "\n" + run).containsPattern("(?m)^" + Pattern.quote(c.relative()));
      }
      if (run.code() == 0) {
        bumped.put(c, Files.readAllBytes(root.resolve(c.relative())));
      }
    }

    Map<Integer, Integer> mixed = batches(cases, "mixed", List.of(0, 3, 4));
    List<DamagedCorpus.Case> clean = new ArrayList<>(bumped.keySet());
    Map<Integer, Integer> cleanCodes = new TreeMap<>();
    for (int from = 0; from < clean.size(); from += BATCH) {
      List<DamagedCorpus.Case> batch = clean.subList(from, Math.min(clean.size(), from + BATCH));
      Path root = Files.createDirectories(tmp.resolve("clean-" + from));
      Map<Path, byte[]> before = DamagedCorpus.write(root, batch);
      Run run = bump(root, batch);
      String what = "clean batch from " + batch.get(0);
      check(run, what, List.of(0));
      DamagedCorpus.checkFiles(root, before, run.code(), what + "\n" + run);
      for (DamagedCorpus.Case c : batch) {
        // The batch's other specs may match the file too, so it holds at least its own bump.
        List<String> ownLines = new ArrayList<>(lines(bumped.get(c)));
        ownLines.removeAll(lines(c.bytes()));
        assertThat(lines(Files.readAllBytes(root.resolve(c.relative()))))
            .as(c + " in a batch holds what it got alone\n" + run)
            .containsAll(ownLines);
      }
      cleanCodes.merge(run.code(), 1, Integer::sum);
    }

    long changed = bumped.entrySet().stream()
        .filter(e -> !new String(e.getValue(), ISO_8859_1).equals(new String(e.getKey().bytes(), ISO_8859_1)))
        .count();
    System.out.printf(
        "[DamagedCorpusTest] %d damaged files, each alone: exit codes %s (%d files changed); exit 4 by damage: %s;"
            + " batches of %d: mixed %s, of files that bumped alone %s%n",
        CASES, alone, changed, refused, BATCH, mixed, cleanCodes);
    assertThat(alone.keySet()).as("damage that leaves a file valid is bumped, other damage refused").contains(0, 4);
    assertThat(changed).isPositive();
  }

  @Test
  void kustomizeSetImageOnDamagedKustomizations() throws Exception {
    List<DamagedCorpus.Case> cases = new ArrayList<>();
    for (DamagedCorpus.Case c : DamagedCorpus.cases(Corpus.load(), CASES, SEED)) {
      if (Corpus.fileName(c.source()).startsWith("kustomization.")) {
        cases.add(c);
      }
    }
    Map<Integer, Integer> codes = new TreeMap<>();
    for (DamagedCorpus.Case c : cases) {
      Path root = Files.createDirectories(tmp.resolve("k-" + c.index()));
      Map<Path, byte[]> before = DamagedCorpus.write(root, List.of(c));
      Path file = root.resolve(c.relative());
      String[] args = {"kustomize-set-image", "-C", file.getParent().toString(), c.spec(), "extra=registry.example.com/extra:9.9.9-damaged"};
      Run run = Run.run(args);
      check(run, c.toString(), List.of(0, 4));
      DamagedCorpus.checkFiles(root, before, run.code(), false, c + "\n" + run);
      codes.merge(run.code(), 1, Integer::sum);
      if (run.code() == 0) {
        byte[] set = Files.readAllBytes(file);
        Run again = Run.run(args);
        assertThat(again.code()).as(c + " set again\n" + again).isZero();
        assertThat(again.out()).as(c + " set again\n" + again).contains("images already up to date");
        assertThat(file).as(c + " set again").hasBinaryContent(set);
      }
    }
    System.out.printf("[DamagedCorpusTest] %d damaged kustomizations: exit codes %s%n", cases.size(), codes);
    assertThat(cases).hasSizeGreaterThan(50);
    assertThat(codes.keySet()).contains(0, 4);
  }

  /** Runs the cases in batches; returns how many batches ended with each exit code. */
  private Map<Integer, Integer> batches(List<DamagedCorpus.Case> cases, String name, List<Integer> allowed)
      throws IOException {
    Map<Integer, Integer> codes = new TreeMap<>();
    for (int from = 0; from < cases.size(); from += BATCH) {
      List<DamagedCorpus.Case> batch = cases.subList(from, Math.min(cases.size(), from + BATCH));
      Path root = Files.createDirectories(tmp.resolve(name + "-" + from));
      Map<Path, byte[]> before = DamagedCorpus.write(root, batch);
      Run run = bump(root, batch);
      String what = name + " batch from " + batch.get(0);
      check(run, what, allowed);
      DamagedCorpus.checkFiles(root, before, run.code(), what + "\n" + run);
      codes.merge(run.code(), 1, Integer::sum);
    }
    return codes;
  }

  private static List<String> lines(byte[] bytes) {
    return List.of(new String(bytes, ISO_8859_1).split("\n", -1));
  }

  private static Run bump(Path root, List<DamagedCorpus.Case> batch) {
    List<String> args = new ArrayList<>(List.of("bump-manifest", "-C", root.toString()));
    args.addAll(DamagedCorpus.imageArgs(batch));
    return Run.run(args.toArray(new String[0]));
  }

  private static void check(Run run, String what, List<Integer> codes) {
    assertThat(run.code()).as(what + "\n" + run).isIn(codes);
    assertThat(run.out() + run.err()).as(what + "\n" + run).doesNotContainPattern(DamagedCorpus.CRASH);
    if (run.code() != 0) {
      assertThat(run.err()).as(what + "\n" + run).isNotBlank();
    }
  }
}
