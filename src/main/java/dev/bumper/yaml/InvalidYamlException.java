package dev.bumper.yaml;

/**
 * The input is not something bumper may edit: not UTF-8, not YAML, or a target it must not touch
 * (a block or multi-line scalar, a duplicate key on the path). Maps to exit code 4.
 *
 * <p>{@code line} and {@code column} are 1-based; 0 when the problem has no position.
 */
public final class InvalidYamlException extends RuntimeException {
  private final String file;
  private final int line;
  private final int column;
  private final String reason;

  public InvalidYamlException(String file, int line, int column, String reason) {
    super(format(file, line, column, reason));
    this.file = file;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  private static String format(String file, int line, int column, String reason) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    return sb.append(": ").append(reason).toString();
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  public String reason() {
    return reason;
  }
}
