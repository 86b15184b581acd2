package dev.bumper.container;

/**
 * Where a build or push reports how far it got, on stderr: a bar on a terminal ({@link
 * ProgressBar}), a few plain lines in CI logs ({@link ProgressLines}), or nothing ({@link #NONE},
 * for {@code -q}). Implementations are thread-safe: uploads run in parallel.
 */
public interface Progress {
  /** Reports nothing. */
  Progress NONE =
      new Progress() {
        @Override
        public void update(double fraction, String detail) {}

        @Override
        public void line(String text) {}

        @Override
        public void done() {}
      };

  /**
   * How far the work is, from 0 to 1, and what it is doing ({@code "12.0 of 40.1 MB"}).
   * Implementations decide how often to show it.
   */
  void update(double fraction, String detail);

  /** An event worth its own line: a blob uploaded, a retry, a manifest pushed. */
  void line(String text);

  /** The work is over; a bar ends its line. */
  void done();
}
