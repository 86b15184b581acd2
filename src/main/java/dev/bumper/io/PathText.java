package dev.bumper.io;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A path as text for people: its name as Java decodes it, except where Java could not decode a
 * name. Java decodes file names with the locale's encoding; under a C or POSIX locale it turns
 * every non-ASCII byte into U+FFFD, so {@code café.yaml} would print as {@code caf��.yaml}. The
 * path itself keeps the name's bytes, so that is where they are read from, as UTF-8, the encoding
 * git and Kubernetes tools use for names.
 */
public final class PathText {
  private static final char LOST = '\uFFFD';

  private PathText() {}

  public static String of(Path path) {
    String text = path.toString();
    if (text.indexOf(LOST) < 0 || path.getNameCount() == 0) {
      return text; // the common case: nothing was lost
    }
    String[] names;
    try {
      // A file URI holds the path's bytes, percent-encoded; toString does not.
      names = utf8(path.toAbsolutePath().toUri()).split("/");
    } catch (RuntimeException | java.io.IOError e) {
      return text;
    }
    // Only the path's own names: the part toAbsolutePath added may itself have been decoded lossily.
    int count = path.getNameCount();
    if (names.length < count) {
      return text;
    }
    StringBuilder out = new StringBuilder(path.isAbsolute() ? "/" : "");
    for (int i = names.length - count; i < names.length; i++) {
      out.append(names[i]).append(i < names.length - 1 ? "/" : "");
    }
    return out.toString();
  }

  /** The path of a file URI as UTF-8, invalid bytes shown as U+FFFD; no trailing slash. */
  private static String utf8(URI uri) {
    String raw = uri.getRawPath();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        bytes.write(Integer.parseInt(raw, i + 1, i + 3, 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }
}
