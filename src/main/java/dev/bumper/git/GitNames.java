package dev.bumper.git;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * File names as git stores them: any bytes but NUL and {@code /}. Java names files in UTF-8, and
 * bumper's edits name files by their decoded paths, so a name that is not UTF-8 can be neither
 * created nor found nor edited under its own bytes: every command that would commit one refuses
 * it rather than rename or delete the file.
 */
final class GitNames {
  private GitNames() {}

  /**
   * {@code name} decoded as UTF-8, or null when it is not UTF-8. Strict whatever the platform's
   * charset, which JGit's own decoding falls back to.
   */
  static String utf8(byte[] name, int offset, int length) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(name, offset, length)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** {@code name} quoted as git quotes a path it prints, {@code core.quotePath} on. */
  static String quote(byte[] name) {
    StringBuilder out = new StringBuilder("\"");
    for (byte b : name) {
      int c = b & 0xff;
      switch (c) {
        case 0x07 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case 0x0b -> out.append("\\v");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c >= 0x7f) {
            out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                .append((char) ('0' + (c & 7)));
          } else {
            out.append((char) c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** The refusal of a name that is not UTF-8 by {@code what} (a clone, a commit), with what to do. */
  static InvalidTreeException notUtf8(byte[] name, String what, String instead) {
    return new InvalidTreeException(quote(name) + ": a file name that is not UTF-8, which " + what
        + " cannot keep as git does (Java and bumper's edits name files in UTF-8); " + instead);
  }
}
