package dev.bumper.cli;

import dev.bumper.secret.SecretMask;
import java.io.IOException;
import java.io.Writer;

/**
 * Passes text on line by line with the run's secrets masked ({@link SecretMask}). A line is held
 * until it ends or the writer is flushed, so that a secret written in pieces is still whole when
 * it is masked.
 */
final class MaskingWriter extends Writer {
  private final Writer out;
  private final SecretMask mask;
  private final StringBuilder line = new StringBuilder();

  MaskingWriter(Writer out, SecretMask mask) {
    this.out = out;
    this.mask = mask;
  }

  @Override
  public void write(char[] buffer, int offset, int length) throws IOException {
    int start = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      if (buffer[i] == '\n') {
        line.append(buffer, start, i + 1 - start);
        emit();
        start = i + 1;
      }
    }
    line.append(buffer, start, end - start);
  }

  @Override
  public void flush() throws IOException {
    emit();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    flush();
    out.close();
  }

  private void emit() throws IOException {
    if (line.length() > 0) {
      out.write(mask.mask(line.toString()));
      line.setLength(0);
    }
  }
}
