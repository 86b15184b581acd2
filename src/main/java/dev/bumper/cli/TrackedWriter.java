package dev.bumper.cli;

import java.io.IOException;
import java.io.Writer;

/** Remembers whether anything was written, to know whether a failure left stdout empty. */
final class TrackedWriter extends Writer {
  private final Writer out;
  boolean written;

  TrackedWriter(Writer out) {
    this.out = out;
  }

  @Override
  public void write(char[] buffer, int offset, int length) throws IOException {
    written |= length > 0;
    out.write(buffer, offset, length);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
