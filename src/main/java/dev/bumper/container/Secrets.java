package dev.bumper.container;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The secrets of one run (registry passwords, identity tokens, bearer tokens), so that any text
 * that leaves bumper can be masked: a server's error body, an exception's message, a log line.
 * Thread-safe: uploads run in parallel and may learn new tokens.
 */
public final class Secrets {
  /** What a secret is shown as. */
  public static final String MASK = "***";

  /** Shorter values are too likely to occur by chance in ordinary text to be masked. */
  private static final int MIN_LENGTH = 4;

  private final List<String> values = new ArrayList<>();

  /** Remembers {@code secret}; null and short values are ignored. */
  public synchronized void add(String secret) {
    if (secret != null && secret.length() >= MIN_LENGTH && !values.contains(secret)) {
      values.add(secret);
      // longest first, so that a secret containing another is masked whole
      values.sort(Comparator.comparingInt(String::length).reversed());
    }
  }

  /** {@code text} with every known secret masked. */
  public synchronized String mask(String text) {
    if (text == null || values.isEmpty()) {
      return text;
    }
    String masked = text;
    for (String secret : values) {
      masked = masked.replace(secret, MASK);
    }
    return masked;
  }
}
