package dev.bumper.git;

import java.util.function.Consumer;

/**
 * Tells the verbose log how long each phase of a remote command took, when the system property
 * {@code bumper.timing} is {@code true} ({@code BUMPER_JAVA_OPTS='-Dbumper.timing=true' bumper -v
 * ...}): for profiling, so the log of retries stays as it was otherwise.
 */
final class PhaseClock {
  private final Consumer<String> log;
  private long last = System.nanoTime();

  PhaseClock(Consumer<String> log) {
    this.log = Boolean.getBoolean("bumper.timing") ? log : line -> {};
  }

  /** Logs that {@code what} is done, with the time since the last lap. */
  void lap(String what) {
    long now = System.nanoTime();
    log.accept(what + " in " + (now - last) / 1_000_000 + " ms");
    last = now;
  }
}
