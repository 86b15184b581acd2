package dev.bumper.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A server that answers each connection with bytes of a test's own choosing, for answers the
 * JDK's HTTP server cannot give: a reason phrase that echoes a header, a plain-HTTP reply to a TLS
 * handshake. One connection at a time, each closed after its answer.
 */
final class RawServer implements AutoCloseable {
  /** Reads what a client sent and writes the answer. */
  interface Handler {
    void answer(InputStream in, OutputStream out) throws IOException;
  }

  private final ServerSocket socket;
  private final Handler handler;

  /** @param address where to listen; null for every address of this machine */
  RawServer(InetAddress address, Handler handler) throws IOException {
    this.socket = new ServerSocket(0, 50, address);
    this.handler = handler;
    Thread thread = new Thread(this::serve, "raw-server-" + socket.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        handler.answer(client.getInputStream(), client.getOutputStream());
        client.getOutputStream().flush();
      } catch (IOException | RuntimeException e) {
        // closed, or a client that went away
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
