package dev.bumper.container;

import dev.bumper.io.JsonReader;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code --entrypoint} or {@code --cmd} value as the list of arguments the image runs (the
 * exec form): a JSON array, {@code ["/app", "--port", "8080"]}, as in a Dockerfile; or words
 * split at spaces, with single or double quotes to keep spaces in a word ({@code /app --name
 * "my app"}). An empty value, {@code ""} or {@code []}, clears what the base image set.
 */
public final class ExecForm {
  private ExecForm() {}

  /**
   * The arguments of {@code value}.
   *
   * @throws ContainerException (usage) for an invalid JSON array or an unclosed quote
   */
  public static List<String> parse(String value, String option) {
    String text = value.strip();
    if (text.startsWith("[")) {
      Object parsed;
      try {
        parsed = JsonReader.parse(text);
      } catch (JsonReader.JsonException e) {
        throw ContainerException.usage(option + " " + value + ": " + e.getMessage());
      }
      List<String> words = new ArrayList<>();
      for (Object item : (List<?>) parsed) {
        if (!(item instanceof String word)) {
          throw ContainerException.usage(option + " " + value + ": every item of the array must be a string");
        }
        words.add(word);
      }
      return words;
    }
    return words(text, option);
  }

  private static List<String> words(String text, String option) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < text.length() && "\"\\".indexOf(text.charAt(i + 1)) >= 0) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else if (c == '\\' && i + 1 < text.length()) {
        word = word == null ? new StringBuilder() : word;
        word.append(text.charAt(++i));
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (quote != 0) {
      throw ContainerException.usage(option + " " + text + ": unclosed " + quote);
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
