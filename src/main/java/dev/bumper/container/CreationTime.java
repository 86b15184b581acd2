package dev.bumper.container;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The image's creation time. Reproducible unless asked otherwise: the same inputs must give the
 * same digest, so the time comes from the sources, never the clock. Highest first: {@code
 * --creation-time}, {@code SOURCE_DATE_EPOCH} (the reproducible-builds convention), the time of
 * the commit CI is building, and otherwise the Unix epoch, as Jib does.
 */
public final class CreationTime {
  static final String SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";

  private CreationTime() {}

  /**
   * Parses {@code --creation-time}: seconds since the epoch, an ISO-8601 instant ({@code
   * 2024-01-15T10:00:00Z}), or {@code now} (not reproducible).
   *
   * @throws ContainerException (usage) for anything else
   */
  public static Instant parse(String value, String what, Instant now) {
    String text = value.strip();
    if (text.equalsIgnoreCase("now")) {
      return now;
    }
    if (text.matches("-?[0-9]+")) {
      try {
        return Instant.ofEpochSecond(Long.parseLong(text));
      } catch (NumberFormatException | java.time.DateTimeException e) {
        throw ContainerException.usage(what + " " + value + ": out of range");
      }
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw ContainerException.usage(
          what + " " + value + ": expected seconds since 1970, an ISO-8601 time such as 2024-01-15T10:00:00Z, or now");
    }
  }

  /**
   * The creation time from the flag, the environment or the commit.
   *
   * @param flag {@code --creation-time}, or null
   * @param commitTime the time of CI's commit, when known
   * @return empty when none applies (the image then says 1970-01-01)
   */
  public static Optional<Instant> resolve(String flag, Map<String, String> env, Optional<Instant> commitTime, Instant now) {
    if (flag != null) {
      return Optional.of(parse(flag, "--creation-time", now));
    }
    String epoch = env.get(SOURCE_DATE_EPOCH);
    if (epoch != null && !epoch.isBlank()) {
      if (!epoch.strip().matches("[0-9]+")) {
        throw ContainerException.usage(SOURCE_DATE_EPOCH + "=" + epoch + ": expected seconds since 1970");
      }
      return Optional.of(parse(epoch, SOURCE_DATE_EPOCH, now));
    }
    return commitTime;
  }
}
