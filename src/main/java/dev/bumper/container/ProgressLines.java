package dev.bumper.container;

import java.io.PrintWriter;

/**
 * Progress for logs: the events, and a line when another tenth of the work is done, at most one
 * every {@value #QUIET_MILLIS} ms, so that a CI log shows that a long push is moving without
 * a line per buffer, and a short one stays short.
 */
public final class ProgressLines implements Progress {
  static final long QUIET_MILLIS = 2000;

  private final PrintWriter err;
  private final String prefix;
  private final java.util.function.LongSupplier clock;
  private int shownTenths;
  private long lastShown;

  /** @param prefix what the lines start with, e.g. {@code "push 127.0.0.1:5000/acme/web"} */
  public ProgressLines(PrintWriter err, String prefix) {
    this(err, prefix, System::currentTimeMillis);
  }

  ProgressLines(PrintWriter err, String prefix, java.util.function.LongSupplier clock) {
    this.err = err;
    this.prefix = prefix;
    this.clock = clock;
    this.lastShown = clock.getAsLong();
  }

  @Override
  public synchronized void update(double fraction, String detail) {
    int tenths = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 10);
    long now = clock.getAsLong();
    if (tenths > shownTenths && tenths < 10 && now - lastShown >= QUIET_MILLIS) {
      shownTenths = tenths;
      lastShown = now;
      err.println(prefix + ": " + tenths * 10 + "%" + (detail.isEmpty() ? "" : " (" + detail + ")"));
      err.flush();
    }
  }

  @Override
  public synchronized void line(String text) {
    err.println(prefix + ": " + text);
    err.flush();
  }

  @Override
  public synchronized void done() {
    err.flush();
  }
}
