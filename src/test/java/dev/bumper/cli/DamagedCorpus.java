package dev.bumper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.Corpus;
import dev.bumper.Mutations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real corpus files, each damaged by one {@link Mutations} kind, laid out for {@code
 * bump-manifest}: each in a directory of its own (so names such as {@code .argocd-source-x.yaml}
 * and {@code kustomization.yaml} keep their meaning), with an image spec that matches the
 * original file. Seeded, so a failure names a case that can be made again.
 */
final class DamagedCorpus {
  /** Signs of a crash rather than an error message: a stack frame or a JVM exception name. */
  static final Pattern CRASH =
      Pattern.compile("\\tat |Exception in thread|java\\.(lang|io|nio|util)\\.[A-Z]\\w*(Error|Exception)|internal error");

  private static final Pattern TEMP_FILE = Pattern.compile("\\..*\\.bumper-.*\\.tmp");

  /** One damaged file. */
  record Case(int index, String source, Mutations.Kind kind, byte[] bytes, String spec) {
    /** The file's path under a batch root. */
    String relative() {
      return "%04d/%s".formatted(index, Corpus.fileName(source));
    }

    @Override
    public String toString() {
      return "case " + index + " (" + kind + " of " + source + ", -i " + spec + ")";
    }
  }

  private DamagedCorpus() {}

  /**
   * {@code count} cases from the corpus, visiting its files in order (again from the start when
   * there are more cases than files) and its mutation kinds in turn, so every kind is used as
   * often as every other.
   */
  static List<Case> cases(Corpus corpus, int count, long seed) {
    Random random = new Random(seed);
    Mutations.Kind[] kinds = Mutations.Kind.values();
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String path = corpus.paths().get(i % corpus.size());
      byte[] original = corpus.read(path);
      Mutations.Kind kind = kinds[i % kinds.length];
      byte[] damaged = Mutations.apply(original, kind, random);
      List<String> repositories = Corpus.repositories(original);
      String repository = repositories.isEmpty() ? "ghcr.io/acme/web" : repositories.get(0);
      cases.add(new Case(i, path, kind, damaged, repository + ":9.9.9-damaged"));
    }
    return cases;
  }

  /** Writes the cases under {@code root}; returns each file's path and bytes. */
  static Map<Path, byte[]> write(Path root, List<Case> cases) throws IOException {
    Map<Path, byte[]> files = new HashMap<>();
    for (Case c : cases) {
      Path file = root.resolve(c.relative());
      Files.createDirectories(file.getParent());
      Files.write(file, c.bytes());
      files.put(file, c.bytes());
    }
    return files;
  }

  /** The distinct specs of some cases, as repeated {@code -i} arguments. */
  static List<String> imageArgs(List<Case> cases) {
    List<String> args = new ArrayList<>();
    cases.stream().map(Case::spec).distinct().forEach(spec -> {
      args.add("-i");
      args.add(spec);
    });
    return args;
  }

  /**
   * Checks what a run left behind: after a failure every file holds its old bytes; after a
   * success every changed line carries the new tag. Never a temp file.
   */
  static void checkFiles(Path root, Map<Path, byte[]> before, int code, String context) throws IOException {
    checkFiles(root, before, code, true, context);
  }

  /** As above; {@code checkLines} false skips the line check (kustomize adds whole entries). */
  static void checkFiles(Path root, Map<Path, byte[]> before, int code, boolean checkLines, String context)
      throws IOException {
    for (Map.Entry<Path, byte[]> file : before.entrySet()) {
      byte[] now = Files.readAllBytes(file.getKey());
      if (code != 0) {
        assertThat(now).as("a failed run writes nothing: " + file.getKey() + "\n" + context).isEqualTo(file.getValue());
      } else if (checkLines && !Arrays.equals(now, file.getValue())) {
        // Lines only the new text has (a changed value, or a field added to a kustomize entry)
        // carry the new tag; nothing else in the file changed.
        Map<String, Integer> old = new HashMap<>();
        lines(file.getValue()).forEach(line -> old.merge(line, 1, Integer::sum));
        for (String line : lines(now)) {
          if (old.merge(line, -1, Integer::sum) < 0) {
            assertThat(line).as(file.getKey() + " has a new line\n" + context).contains("9.9.9-damaged");
          }
        }
      }
    }
    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.filter(p -> TEMP_FILE.matcher(p.getFileName().toString()).matches()))
          .as("temp files left behind\n" + context)
          .isEmpty();
    }
  }

  private static List<String> lines(byte[] bytes) {
    return Arrays.asList(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).split("\n", -1));
  }
}
