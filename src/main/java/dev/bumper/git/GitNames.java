package dev.bumper.git;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * File names as git stores them: any bytes but NUL and {@code /}. Java names files in UTF-8, so a
 * name that is not UTF-8 can be neither created nor found under its own bytes, which a checkout or
 * a commit of one must refuse rather than rename.
 */
final class GitNames {
  private GitNames() {}

  /** Whether {@code name} is UTF-8. */
  static boolean isUtf8(byte[] name) {
    try {
      RawParseUtils.decodeNoFallback(StandardCharsets.UTF_8, name, 0, name.length);
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** {@code name} quoted as git quotes a path it prints: in quotes, a byte past ASCII in octal. */
  static String quote(byte[] name) {
    StringBuilder out = new StringBuilder("\"");
    for (byte b : name) {
      int c = b & 0xff;
      if (c >= 0x80 || c < 0x20 || c == '"' || c == '\\') {
        out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
            .append((char) ('0' + (c & 7)));
      } else {
        out.append((char) c);
      }
    }
    return out.append('"').toString();
  }

  /** The refusal of a name that is not UTF-8 by {@code what} (a clone, a commit), with what to do. */
  static InvalidTreeException notUtf8(byte[] name, String what, String instead) {
    return new InvalidTreeException(quote(name) + ": a file name that is not UTF-8, which " + what
        + " cannot hold as git does (Java names files in UTF-8); " + instead);
  }
}
