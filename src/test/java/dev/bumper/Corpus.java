package dev.bumper;

import dev.bumper.image.ImageReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real-world corpus ({@code src/test/data/corpus}, listed by its MANIFEST.tsv): file contents,
 * and the image repositories each file uses, so that a test can ask for a bump that touches the
 * file. Loading it proves every byte pristine: each file's git blob hash and size must be the
 * MANIFEST's, and no file may be missing or extra.
 */
public final class Corpus {
  private static final Pattern IMAGE_VALUE =
      Pattern.compile("(?m)(?:image|newName|reference):[ \\t]+[\"']?([a-z0-9][a-z0-9./:_@-]*)");
  /** The corpus's own files: its listing, sources, licences and git attributes. */
  private static final Pattern OWN_FILE = Pattern.compile("MANIFEST\\.tsv|SOURCES\\.md|\\.gitattributes|LICENSES/.*");

  private static Corpus loaded;

  private final Path dir;
  private final List<String> paths;

  private Corpus(Path dir, List<String> paths) {
    this.dir = dir;
    this.paths = paths;
  }

  /** The project's corpus, checked against its MANIFEST once per JVM. */
  public static synchronized Corpus load() {
    if (loaded == null) {
      loaded = verified(TestData.dir("corpus"));
    }
    return loaded;
  }

  /**
   * The corpus in {@code dir}, after checking every file against {@code MANIFEST.tsv}; an
   * {@link AssertionError} lists every file that differs.
   */
  public static Corpus verified(Path dir) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("MANIFEST.tsv"), StandardCharsets.UTF_8);
      List<String> paths = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] columns = line.split("\t");
        String path = columns[0];
        paths.add(path);
        Path file = dir.resolve(path);
        if (!Files.isRegularFile(file)) {
          problems.add(path + ": missing");
          continue;
        }
        byte[] bytes = Files.readAllBytes(file);
        String blob = gitBlobSha1(bytes);
        if (!blob.equals(columns[1]) || bytes.length != Integer.parseInt(columns[2])) {
          problems.add(path + ": " + bytes.length + " bytes, blob " + blob + "; MANIFEST.tsv says "
              + columns[2] + " bytes, blob " + columns[1]);
        }
      }
      Set<String> listed = Set.copyOf(paths);
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(Files::isRegularFile)
            .map(f -> dir.relativize(f).toString().replace('\\', '/'))
            .filter(p -> !listed.contains(p) && !OWN_FILE.matcher(p).matches())
            .sorted()
            .forEach(p -> problems.add(p + ": not in MANIFEST.tsv"));
      }
      if (!problems.isEmpty()) {
        throw new AssertionError("the corpus in " + dir + " is not pristine (" + problems.size()
            + " files); its bytes must be exactly as fetched, so check git's line-ending settings"
            + " (core.autocrlf) against src/test/data/.gitattributes:\n  " + String.join("\n  ", problems));
      }
      return new Corpus(dir, List.copyOf(paths));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The id git gives {@code bytes} as a blob: SHA-1 over "blob LENGTH\0" and the bytes. */
  static String gitBlobSha1(byte[] bytes) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha1.digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The corpus directory. */
  public Path dir() {
    return dir;
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
