package dev.bumper.edit;

import dev.bumper.failure.ExitCode;
import dev.bumper.io.JsonWriter;
import dev.bumper.io.ManifestSource;
import dev.bumper.io.PathArguments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The environments a rollback holds, in {@code .bumper/holds.yaml} at the top of the config repo:
 * a file a reviewer reads in the rollback's own commit, and that every edit reads before it
 * changes a file, so that the next pipeline does not undo the rollback. bumper writes the file
 * whole; a hand-written one is read as long as it has the same shape.
 */
public final class Holds {
  /** Where the holds are, from the top of the repository. */
  public static final String FILE = ".bumper/holds.yaml";

  private static final String HEADER =
      "# Environments held after a rollback (bumper rollback --hold). bumper refuses to change a\n"
          + "# file under a held path (exit 6) until `bumper release PATH`, or a bump with\n"
          + "# --force.\n";

  private Holds() {}

  /**
   * A held path.
   *
   * @param path the environment, from the top of the repository ({@code ""}: all of it)
   * @param reason why, for people
   * @param rolledBackTo the commit whose images the rollback set
   * @param rollbackOf the deploy the rollback undid
   * @param since when, ISO-8601
   * @param by who, {@code Name <email>}
   */
  public record Hold(
      String path, String reason, String rolledBackTo, String rollbackOf, String since, String by) {
    public Hold {
      path = normalize(path);
    }

    /** Whether the file at {@code file} (from the top of the repository) is under this hold. */
    public boolean covers(String file) {
      return path.isEmpty() || file.equals(path) || file.startsWith(path + "/");
    }
  }

  /** {@code path} as holds name it: relative, {@code /}-separated, no {@code .} or trailing /. */
  public static String normalize(String path) {
    Path normalized = PathArguments.of(path).normalize();
    String text = normalized.toString().replace('\\', '/');
    if (normalized.isAbsolute() || text.equals("..") || text.startsWith("../")) {
      throw new IllegalArgumentException(path + ": outside the repository");
    }
    return text.equals(".") ? "" : text;
  }

  /** The holds in the tree's repository; none when it has no holds file. */
  public static List<Hold> read(FileTree tree) throws IOException {
    ManifestSource file = tree.repositoryFile(FILE);
    return file == null ? List.of() : parse(file.display(), file.read());
  }

  /**
   * Parses a holds file.
   *
   * @throws EditFailedException (exit 4) when it is not YAML of the shape bumper writes: a wrong
   *     holds file must stop a bump, never let it through
   */
  public static List<Hold> parse(String display, byte[] bytes) {
    Object loaded;
    try {
      loaded = new Load(LoadSettings.builder().build())
          .loadFromString(new String(bytes, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw invalid(display, "not YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (loaded == null) {
      return List.of();
    }
    if (!(loaded instanceof Map<?, ?> top) || !(top.get("holds") instanceof List<?> list)) {
      if (loaded instanceof Map<?, ?> top && top.get("holds") == null) {
        return List.of();
      }
      throw invalid(display, "expected a mapping with a list 'holds'");
    }
    List<Hold> holds = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> entry) || !(entry.get("path") instanceof String path)) {
        throw invalid(display, "each hold is a mapping with a string 'path'");
      }
      try {
        holds.add(new Hold(path, text(entry.get("reason")), text(entry.get("rolledBackTo")),
            text(entry.get("rollbackOf")), text(entry.get("since")), text(entry.get("by"))));
      } catch (IllegalArgumentException e) {
        throw invalid(display, e.getMessage());
      }
    }
    return holds;
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  private static EditFailedException invalid(String display, String reason) {
    String line = "bumper: " + display + ": " + reason;
    return new EditFailedException(ExitCode.INVALID_INPUT, display + ": " + reason, List.of(line));
  }

  /** The file's text for {@code holds}, sorted by path. */
  public static byte[] render(List<Hold> holds) {
    StringBuilder out = new StringBuilder(HEADER);
    if (holds.isEmpty()) {
      return out.append("holds: []\n").toString().getBytes(StandardCharsets.UTF_8);
    }
    out.append("holds:\n");
    List<Hold> sorted = new ArrayList<>(holds);
    sorted.sort(Comparator.comparing(Hold::path));
    for (Hold hold : sorted) {
      // JSON strings are YAML double-quoted scalars: no value can break the file's structure
      out.append("  - path: ").append(quoted(hold.path())).append('\n');
      field(out, "reason", hold.reason());
      field(out, "rolledBackTo", hold.rolledBackTo());
      field(out, "rollbackOf", hold.rollbackOf());
      field(out, "since", hold.since());
      field(out, "by", hold.by());
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void field(StringBuilder out, String name, String value) {
    if (value != null && !value.isEmpty()) {
      out.append("    ").append(name).append(": ").append(quoted(value)).append('\n');
    }
  }

  private static String quoted(String value) {
    StringBuilder text = new StringBuilder();
    new JsonWriter(text).value(value);
    return text.toString();
  }

  /** The hold that covers {@code file} (from the top of the repository), or null. */
  public static Hold covering(List<Hold> holds, String file) {
    for (Hold hold : holds) {
      if (hold.covers(file)) {
        return hold;
      }
    }
    return null;
  }

  /**
   * Refuses a change to a held path: every edit ends here before anything is written, in every
   * workspace and delivery, and again when it is applied to a new tip after a lost race.
   *
   * @param force {@code --force}: the hold is overridden
   * @throws HeldException (exit 6) naming the held path and the file
   */
  static void refuse(FileTree tree, EditResult result, boolean force) throws IOException {
    if (force || !result.changed()) {
      return;
    }
    List<Hold> holds = read(tree);
    if (holds.isEmpty()) {
      return;
    }
    String prefix = tree.repositoryPrefix();
    for (EditResult.FileEdit edit : result.edits()) {
      String file = Edit.join(prefix, edit.path());
      Hold hold = covering(holds, file);
      if (hold != null) {
        throw new HeldException(hold, file);
      }
    }
  }
}
