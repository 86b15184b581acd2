package dev.bumper.io;

import dev.bumper.failure.UsageException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Paths given on the command line, and what to say when Java cannot name one. Java decodes the
 * arguments, and encodes file names, with the locale's encoding (on Linux, fixed at start-up from
 * LANG/LC_ALL/LC_CTYPE; {@code -Dsun.jnu.encoding} cannot change it). Under a C or POSIX locale
 * that is ASCII, so {@code café.yaml} arrives as {@code caf??.yaml} and names no file; under any
 * locale, a name that is not valid in its encoding arrives the same way. Files found by walking a
 * directory keep their bytes and are unaffected: only names typed as arguments are.
 */
public final class PathArguments {
  private static final char LOST = '\uFFFD';

  private PathArguments() {}

  /** {@code Path.of(given)}, or a usage error (exit 2) saying why it cannot be. */
  public static Path of(String given) {
    try {
      return Path.of(given);
    } catch (InvalidPathException e) {
      throw new UsageException(given + ": " + whyNot(e));
    }
  }

  /** {@code dir.resolve(given)}, or a usage error (exit 2) saying why it cannot be. */
  public static Path resolve(Path dir, String given) {
    return dir.resolve(of(given));
  }

  /**
   * Why {@code given} may name no file although the user sees one, as {@code " (...)"}: its name,
   * or the current directory's when it is relative, lost bytes as the locale decoded it. Empty
   * when nothing was lost.
   */
  public static String hint(String given) {
    if (given.indexOf(LOST) >= 0) {
      return " (Java cannot name this file: " + remedy() + ")";
    }
    String cwd = System.getProperty("user.dir", "");
    if (!given.startsWith("/") && cwd.indexOf(LOST) >= 0) {
      return " (the current directory, " + cwd + ", has a name this locale cannot decode: "
          + remedy() + ")";
    }
    return "";
  }

  public static String whyNot(InvalidPathException e) {
    if (e.getInput().indexOf(LOST) >= 0 || !encoding().newEncoder().canEncode(e.getInput())) {
      return "Java cannot name this file: " + remedy();
    }
    return "not a path: " + e.getReason();
  }

  private static String remedy() {
    Charset names = encoding();
    if (!names.equals(StandardCharsets.UTF_8)) {
      return "the locale's encoding (" + names.name() + ") cannot hold every byte of the name; run "
          + "bumper with a UTF-8 locale (LC_ALL=C.UTF-8), as its launcher does";
    }
    return "the name is not valid UTF-8; name a directory above it instead, and bumper finds the "
        + "files under it whatever their names";
  }

  /** The encoding Java uses for file names and arguments. */
  private static Charset encoding() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    } catch (IllegalArgumentException e) {
      return Charset.defaultCharset();
    }
  }
}
