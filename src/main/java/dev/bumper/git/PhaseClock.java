package dev.bumper.git;

import java.lang.management.ManagementFactory;
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
    boolean timing = Boolean.getBoolean("bumper.timing");
    this.log = timing ? log : line -> {};
    if (timing) {
      // what the JVM, the command line and the set-up cost before the first request
      log.accept("started in " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
      last = System.nanoTime();
    }
  }

  /** Logs that {@code what} is done, with the time since the last lap. */
  void lap(String what) {
    long now = System.nanoTime();
    log.accept(what + " in " + (now - last) / 1_000_000 + " ms");
    last = now;
  }
}
