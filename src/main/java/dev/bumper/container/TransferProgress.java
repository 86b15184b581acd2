package dev.bumper.container;

/** Bytes sent out of a known total, reported to a {@link Progress} as a fraction and in MB. */
final class TransferProgress {
  private final Progress progress;
  private final long total;
  private long sent;

  TransferProgress(Progress progress, long total) {
    this.progress = progress;
    this.total = total;
  }

  synchronized void add(long bytes) {
    sent += bytes;
    progress.update(total == 0 ? 1 : (double) sent / total, megabytes(sent) + " of " + megabytes(total) + " MB");
  }

  /** Takes back bytes of an upload that failed and will be sent again. */
  synchronized void takeBack(long bytes) {
    sent -= bytes;
  }

  static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1e6);
  }
}
