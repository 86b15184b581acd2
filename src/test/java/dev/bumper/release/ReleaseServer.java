package dev.bumper.release;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A directory of release files served over HTTP on loopback, as a release's download address. */
final class ReleaseServer implements AutoCloseable {
  private final HttpServer server;
  private final Path root;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  ReleaseServer(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  /** The address of the directory: {@code http://127.0.0.1:PORT/releases/download/v1}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/releases/download/v1";
  }

  /** The paths asked for, in order. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      requests.add(path);
      String prefix = "/releases/download/v1/";
      Path file = path.startsWith(prefix) ? root.resolve(path.substring(prefix.length())).normalize() : null;
      if (!exchange.getRequestMethod().equals("GET") || file == null || !file.startsWith(root)
          || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, Files.size(file));
      try (OutputStream body = exchange.getResponseBody()) {
        Files.copy(file, body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
