package dev.bumper.container;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only view of a channel that lets at most so many bytes be read through it. commons-
 * compress keeps in memory whatever it reads while it indexes a tar (every header, a GNU long name
 * or PAX record whole, however large the tar says it is) and skips file data by seeking; so a
 * budget on the bytes read is a bound on the memory and time indexing can take, whatever the
 * headers claim.
 */
final class BoundedReadChannel implements SeekableByteChannel {
  private final SeekableByteChannel channel;
  private final long budget;
  private long read;
  private boolean exceeded;

  BoundedReadChannel(SeekableByteChannel channel, long budget) {
    this.channel = channel;
    this.budget = budget;
  }

  /** Whether a read was refused: what went wrong, however the reader reported it. */
  boolean exceeded() {
    return exceeded;
  }

  @Override
  public int read(ByteBuffer destination) throws IOException {
    if (read + destination.remaining() > budget) {
      exceeded = true;
      throw new IOException("more than " + budget + " bytes of tar headers");
    }
    int n = channel.read(destination);
    read += Math.max(n, 0);
    return n;
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    throw new IOException("read-only");
  }

  @Override
  public long position() throws IOException {
    return channel.position();
  }

  @Override
  public SeekableByteChannel position(long position) throws IOException {
    channel.position(position);
    return this;
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public SeekableByteChannel truncate(long size) throws IOException {
    throw new IOException("read-only");
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
