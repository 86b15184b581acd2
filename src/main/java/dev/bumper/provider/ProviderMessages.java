package dev.bumper.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The message in a provider's error answer, as one line: GitHub's {@code message} and the
 * {@code message} or {@code code} of each of its {@code errors}; GitLab's {@code message} (a
 * string, a list, or a map of field to list) or {@code error}.
 */
final class ProviderMessages {
  private ProviderMessages() {}

  static String of(Object json) {
    if (!(json instanceof Map<?, ?> answer)) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    add(parts, answer.get("message"));
    if (answer.get("errors") instanceof List<?> errors) {
      for (Object error : errors) {
        if (error instanceof Map<?, ?> detail) {
          Object text = detail.get("message") != null ? detail.get("message") : detail.get("code");
          add(parts, text);
        } else {
          add(parts, error);
        }
      }
    }
    add(parts, answer.get("error"));
    return String.join("; ", parts).replaceAll("\\s+", " ").strip();
  }

  private static void add(List<String> parts, Object value) {
    if (value instanceof String text && !text.isBlank()) {
      parts.add(text);
    } else if (value instanceof List<?> list) {
      list.forEach(item -> add(parts, item));
    } else if (value instanceof Map<?, ?> fields) {
      // GitLab's validation errors: {"title": ["can't be blank"]}
      fields.forEach((field, reasons) -> {
        List<String> said = new ArrayList<>();
        add(said, reasons);
        said.forEach(reason -> parts.add(field + " " + reason));
      });
    }
  }
}
