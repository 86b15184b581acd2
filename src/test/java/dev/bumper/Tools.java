package dev.bumper;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.stream.Collectors.joining;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The programs the tests run besides Java and git, as {@code src/test/tools.tsv} lists them: where
 * each is installed, and which Debian package provides it. The npm packages the tests read are in
 * the table too ({@code npm:NAME@VERSION}), installed by {@code ./test.sh} under {@code target/npm}.
 */
public final class Tools {
  /**
   * A row of the table: a command or an npm package's name, where it comes from (a Debian/Ubuntu
   * package, or {@code npm:NAME@VERSION}), and what the tests use it for.
   */
  public record Tool(String command, String source, String purpose) {
    boolean npm() {
      return source.startsWith("npm:");
    }

    /** The pinned version of an npm package. */
    String version() {
      return source.substring(source.lastIndexOf('@') + 1);
    }
  }

  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]*)\"");

  /** sshd lives in an sbin directory, which a non-root user's PATH often lacks. */
  private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

  private static final Map<String, Tool> TABLE = load();

  private Tools() {}

  /** The program's absolute path, for tests that start it; a missing one fails the test. */
  public static String path(String command) {
    return find(command)
        .orElseThrow(() -> new AssertionError(describe(List.of(tool(command)))
            + " (the test class must name it in @RequiresTools)"))
        .toString();
  }

  /**
   * The directory of an npm package of the table, installed at its pinned version; a missing one
   * fails the test.
   */
  public static Path npmPackage(String name) {
    Tool tool = tool(name);
    if (!tool.npm()) {
      throw new IllegalArgumentException(name + " is not an npm package in src/test/tools.tsv");
    }
    return findNpm(tool)
        .orElseThrow(() -> new AssertionError(describe(List.of(tool))
            + " (the test class must name it in @RequiresTools)"));
  }

  /** The version of an npm package of the table, as pinned there. */
  public static String npmVersion(String name) {
    Tool tool = tool(name);
    if (!tool.npm()) {
      throw new IllegalArgumentException(name + " is not an npm package in src/test/tools.tsv");
    }
    return tool.version();
  }

  /** Where {@code command} is installed: the first executable on PATH, then in the sbin directories. */
  public static Optional<Path> find(String command) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(SBIN);
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /** The table's tools among {@code commands} that are not installed. */
  static List<Tool> missing(String... commands) {
    List<Tool> missing = new ArrayList<>();
    for (String command : commands) {
      Tool tool = tool(command);
      if ((tool.npm() ? findNpm(tool) : find(command)).isEmpty()) {
        missing.add(tool);
      }
    }
    return missing;
  }

  /**
   * "needs skopeo, zsh, which are not installed (apt-get install skopeo zsh)"; npm packages with
   * the npm command that ./test.sh runs for them.
   */
  static String describe(List<Tool> missing) {
    String commands = missing.stream().map(Tool::command).collect(joining(", "));
    String debian = missing.stream().filter(t -> !t.npm()).map(Tool::source).distinct().collect(joining(" "));
    String npm = missing.stream().filter(Tool::npm).map(t -> t.source().substring("npm:".length()))
        .collect(joining(" "));
    List<String> how = new ArrayList<>();
    if (!debian.isEmpty()) {
      how.add("apt-get install " + debian);
    }
    if (!npm.isEmpty()) {
      how.add("npm install --prefix target/npm --no-save --ignore-scripts " + npm + ", as ./test.sh does");
    }
    return "needs " + commands + (missing.size() == 1 ? ", which is" : ", which are")
        + " not installed (" + String.join("; ", how) + ")";
  }

  /** Whether this is a CI run, where a missing program fails the build instead of skipping. */
  static boolean ci() {
    return "true".equalsIgnoreCase(String.valueOf(System.getenv("CI")).trim());
  }

  /** Appends the skipped class to {@code target/skipped-tests.tsv}, which ./test.sh sums up. */
  static void recordSkip(Class<?> testClass, List<Tool> missing) {
    String line = testClass.getSimpleName() + "\t"
        + missing.stream().map(Tool::command).collect(joining(" ")) + "\t"
        + missing.stream().map(Tool::source).distinct().collect(joining(" ")) + "\n";
    Path file = TestData.projectDir().resolve("target/skipped-tests.tsv");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, line, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The package's directory under target/npm when its package.json has the pinned version: an
   * older install left in target/ would check against another description.
   */
  private static Optional<Path> findNpm(Tool tool) {
    Path dir = TestData.projectDir().resolve("target/npm/node_modules").resolve(tool.command());
    try {
      Path manifest = dir.resolve("package.json");
      if (!Files.isRegularFile(manifest)) {
        return Optional.empty();
      }
      Matcher version = VERSION.matcher(Files.readString(manifest, UTF_8));
      return version.find() && version.group(1).equals(tool.version()) ? Optional.of(dir) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Tool tool(String command) {
    Tool tool = TABLE.get(command);
    if (tool == null) {
      throw new IllegalArgumentException(command + " is not in src/test/tools.tsv");
    }
    return tool;
  }

  private static Map<String, Tool> load() {
    Path table = TestData.projectDir().resolve("src/test/tools.tsv");
    Map<String, Tool> tools = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(table, UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] columns = line.split("\t");
        tools.put(columns[0], new Tool(columns[0], columns[1], columns[2]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(tools);
  }
}
