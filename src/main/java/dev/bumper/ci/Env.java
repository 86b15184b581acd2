package dev.bumper.ci;

import java.util.Map;

/** The environment a CI passes to its jobs, read the way every CI's variables are read. */
final class Env {
  private final Map<String, String> variables;

  Env(Map<String, String> variables) {
    this.variables = variables;
  }

  /** A variable's value without surrounding blanks; empty when unset. */
  String get(String name) {
    String value = variables.get(name);
    return value == null ? "" : value.strip();
  }

  /** The first of the variables that is set and not blank; empty when none is. */
  String first(String... names) {
    for (String name : names) {
      String value = get(name);
      if (!value.isEmpty()) {
        return value;
      }
    }
    return "";
  }

  boolean isSet(String name) {
    return !get(name).isEmpty();
  }

  /** Whether a variable says {@code true}, as CIs mark themselves ({@code SEMAPHORE=true}). */
  boolean isTrue(String name) {
    return "true".equalsIgnoreCase(get(name));
  }

  /** The parts joined, when none is empty; empty otherwise (a URL missing a part is no URL). */
  static String join(String... parts) {
    StringBuilder sb = new StringBuilder();
    for (String part : parts) {
      if (part.isEmpty()) {
        return "";
      }
      sb.append(part);
    }
    return sb.toString();
  }
}
