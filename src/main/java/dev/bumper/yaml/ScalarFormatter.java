package dev.bumper.yaml;

import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.ScalarStyle;

/**
 * Writes a new value for an existing scalar: in the scalar's own quoting, or double-quoted when a
 * plain scalar would not read back as the same string.
 *
 * <p>Manifests are read by many parsers: Go's yaml.v2 and v3 (YAML 1.1 and 1.2 flavours),
 * PyYAML, SnakeYAML. A plain {@code 0.10} is a float to all of them and {@code yes} a boolean to
 * some, so a plain value is kept plain only if no YAML 1.1 or 1.2 schema reads it as anything
 * but a string.
 */
public final class ScalarFormatter {
  private static final Pattern NON_STRING =
      Pattern.compile(
          String.join(
              "|",
              // null
              "~|null|Null|NULL",
              // booleans, YAML 1.1 included
              "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
              // integers: 1.2 core and 1.1 (binary, octal, hex, underscores, sexagesimal)
              "[-+]?[0-9][0-9_]*",
              "[-+]?0b[01_]+",
              "[-+]?0o[0-7_]+",
              "[-+]?0x[0-9a-fA-F_]+",
              "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+",
              // floats: 1.2 core, JSON and 1.1 (leading dot, underscores, sexagesimal)
              "[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?",
              "[-+]?[0-9][0-9_]*([eE][-+]?[0-9]+)",
              "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*",
              "[-+]?\\.(inf|Inf|INF)",
              "\\.(nan|NaN|NAN)",
              // timestamps (YAML 1.1)
              "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?",
              // merge key and value key (YAML 1.1)
              "<<|="));

  /** Characters a plain scalar may hold anywhere without changing meaning in flow or block. */
  private static final Pattern SAFE_PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./@:+=~%-]*");

  private ScalarFormatter() {}

  /** True when some YAML 1.1 or 1.2 schema would read the plain scalar as a non-string. */
  public static boolean readsAsNonString(String value) {
    return value.isEmpty() || NON_STRING.matcher(value).matches();
  }

  /** True when the value can be written as a plain scalar and still read as this string. */
  public static boolean canBePlainString(String value) {
    return SAFE_PLAIN.matcher(value).matches()
        && !value.endsWith(":")
        && !readsAsNonString(value);
  }

  /**
   * The source text for a new string value of a scalar that was written in {@code style}.
   *
   * @param keepPlain write the value plain even though it reads as a non-string: used when the
   *     old value was a plain non-string of the same type (a replica count set to another number)
   */
  public static String format(String value, ScalarStyle style, boolean keepPlain) {
    switch (style) {
      case SINGLE_QUOTED:
        if (isPrintableOneLine(value)) {
          return "'" + value.replace("'", "''") + "'";
        }
        return doubleQuoted(value);
      case DOUBLE_QUOTED:
        return doubleQuoted(value);
      default:
        if (keepPlain && SAFE_PLAIN.matcher(value).matches()) {
          return value;
        }
        return canBePlainString(value) ? value : doubleQuoted(value);
    }
  }

  /** Double-quotes a value with YAML escapes, on one line. */
  public static String doubleQuoted(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7F || c == '\u0085' || c == '\u2028' || c == '\u2029'
              || c == '\uFEFF') {
            sb.append(String.format("\\u%04X", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private static boolean isPrintableOneLine(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7F || c == '\u0085' || c == '\u2028' || c == '\u2029'
          || c == '\uFEFF') {
        return false;
      }
    }
    return true;
  }
}
