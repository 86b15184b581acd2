package dev.bumper;

import dev.bumper.image.ImageReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real-world corpus in the shared test data ({@code corpus/}, listed by its MANIFEST.tsv):
 * file contents, and the image repositories each file uses, so that a test can ask for a bump
 * that touches the file.
 */
public final class Corpus {
  private static final Pattern IMAGE_VALUE =
      Pattern.compile("(?m)(?:image|newName|reference):[ \\t]+[\"']?([a-z0-9][a-z0-9./:_@-]*)");

  private final Path dir;
  private final List<String> paths;

  private Corpus(Path dir, List<String> paths) {
    this.dir = dir;
    this.paths = paths;
  }

  /** The shared corpus (skipped when absent on a developer's machine, failed under CI=true). */
  public static Corpus load() {
    Path dir = SharedData.dir("corpus");
    try {
      List<String> lines = Files.readAllLines(dir.resolve("MANIFEST.tsv"), StandardCharsets.UTF_8);
      List<String> paths = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        paths.add(line.split("\t")[0]);
      }
      return new Corpus(dir, List.copyOf(paths));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Paths relative to the corpus directory, in MANIFEST order. */
  public List<String> paths() {
    return paths;
  }

  public int size() {
    return paths.size();
  }

  public byte[] read(String path) {
    try {
      return Files.readAllBytes(dir.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file name a corpus path ends with: Argo CD write-back files are recognised by name. */
  public static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Repositories named in a file's text (image-like values after image keys), in order. */
  public static List<String> repositories(byte[] content) {
    Set<String> found = new LinkedHashSet<>();
    Matcher m = IMAGE_VALUE.matcher(new String(content, StandardCharsets.UTF_8));
    while (m.find()) {
      Optional<ImageReference> ref = ImageReference.tryParse(m.group(1));
      ref.ifPresent(r -> found.add(r.name()));
    }
    return List.copyOf(found);
  }
}
