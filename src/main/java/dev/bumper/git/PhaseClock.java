package dev.bumper.git;

import java.util.function.Consumer;

/** Tells the verbose log how long each phase of a remote command took. */
final class PhaseClock {
  private final Consumer<String> log;
  private long last = System.nanoTime();

  PhaseClock(Consumer<String> log) {
    this.log = log;
  }

  /** Logs that {@code what} is done, with the time since the last lap. */
  void lap(String what) {
    long now = System.nanoTime();
    log.accept(what + " in " + (now - last) / 1_000_000 + " ms");
    last = now;
  }
}
