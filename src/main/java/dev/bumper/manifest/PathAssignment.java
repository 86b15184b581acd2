package dev.bumper.manifest;

/** One {@code --set KEY=VALUE}: the scalar at a path gets a value. */
public record PathAssignment(PathExpression path, String value) {

  /**
   * Parses {@code KEY=VALUE}, split at the first {@code =} that is outside brackets and quotes (a
   * selector such as {@code [name=web]} has its own).
   */
  public static PathAssignment parse(String text) {
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '[') {
        depth++;
      } else if (!quoted && c == ']') {
        depth--;
      } else if (!quoted && depth == 0 && c == '=') {
        return new PathAssignment(PathExpression.parse(text.substring(0, i)), text.substring(i + 1));
      }
    }
    throw new InvalidRequestException(
        "invalid --set \"" + text + "\": expected KEY=VALUE, as in spec.template.spec.containers[name=web].image=web:1.2");
  }

  @Override
  public String toString() {
    return path + "=" + value;
  }
}
