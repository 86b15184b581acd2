package dev.bumper.container;

import java.io.PrintWriter;

/**
 * Progress on a terminal: one line redrawn in place with a carriage return, {@code label
 * [=========>          ]  45% detail}. Events are printed above it. Redrawn when the percentage
 * changes, and for a new detail at most every {@value #REDRAW_MILLIS} ms, so a fast upload does
 * not flood the terminal.
 */
public final class ProgressBar implements Progress {
  static final long REDRAW_MILLIS = 100;
  private static final int BAR_WIDTH = 30;

  private final PrintWriter err;
  private final String label;
  private final int columns;
  private final java.util.function.LongSupplier clock;
  private String shown = "";
  private int shownPercent = -1;
  private long drawnAt;

  /** @param columns the terminal's width; the line is cut to fit it */
  public ProgressBar(PrintWriter err, String label, int columns) {
    this(err, label, columns, System::currentTimeMillis);
  }

  ProgressBar(PrintWriter err, String label, int columns, java.util.function.LongSupplier clock) {
    this.err = err;
    this.label = label;
    this.columns = Math.max(20, columns);
    this.clock = clock;
  }

  /** The bar's line for {@code fraction}, without the carriage return. */
  static String render(String label, double fraction, String detail, int columns) {
    double clamped = Math.max(0, Math.min(1, fraction));
    int filled = (int) Math.floor(clamped * BAR_WIDTH);
    StringBuilder bar = new StringBuilder(label).append(" [");
    for (int i = 0; i < BAR_WIDTH; i++) {
      bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    bar.append("] ").append(String.format("%3d%%", (int) Math.floor(clamped * 100)));
    if (!detail.isEmpty()) {
      bar.append(' ').append(detail);
    }
    String line = bar.toString();
    return line.length() >= columns ? line.substring(0, columns - 1) : line;
  }

  @Override
  public synchronized void update(double fraction, String detail) {
    int percent = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
    long now = clock.getAsLong();
    if (percent == shownPercent && now - drawnAt < REDRAW_MILLIS) {
      return;
    }
    String line = render(label, fraction, detail, columns);
    if (!line.equals(shown)) {
      draw(line);
      shownPercent = percent;
      drawnAt = now;
    }
  }

  @Override
  public synchronized void line(String text) {
    String bar = shown;
    clear();
    err.println(text);
    if (!bar.isEmpty()) {
      draw(bar);
    }
    err.flush();
  }

  @Override
  public synchronized void done() {
    if (!shown.isEmpty()) {
      err.println();
      shown = "";
    }
    err.flush();
  }

  private void draw(String line) {
    // pad over a longer previous line instead of relying on terminal escape codes
    String padding = shown.length() > line.length() ? " ".repeat(shown.length() - line.length()) : "";
    err.print("\r" + line + padding);
    err.flush();
    shown = line;
  }

  private void clear() {
    if (!shown.isEmpty()) {
      err.print("\r" + " ".repeat(shown.length()) + "\r");
      shown = "";
    }
  }
}
