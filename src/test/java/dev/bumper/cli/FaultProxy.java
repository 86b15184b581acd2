package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A loopback HTTP/1.1 reverse proxy in front of a registry that answers chosen requests with a
 * fault instead of passing them on: 503, 429, {@code BLOB_UPLOAD_UNKNOWN}, or a dropped
 * connection. It also records every request, to count uploads. One request per connection: each
 * answer says {@code Connection: close}. The Host header is passed on, so the registry's upload
 * URLs point back at the proxy.
 */
final class FaultProxy implements AutoCloseable {
  /** What the proxy does instead of passing a request on. */
  enum Fault {
    SERVICE_UNAVAILABLE,
    TOO_MANY_REQUESTS,
    BLOB_UPLOAD_UNKNOWN,
    DROP_CONNECTION
  }

  /** One request as the proxy saw it, and what came of it. */
  record Request(String method, String path, String query, long bodyBytes, int status, Fault fault) {
    /** The {@code digest} parameter of an upload's final PUT, or null. */
    String uploadedDigest() {
      if (!method.equals("PUT") || !path.contains("/blobs/uploads/") || query == null || status != 201) {
        return null;
      }
      for (String pair : query.split("&")) {
        if (pair.startsWith("digest=")) {
          return java.net.URLDecoder.decode(pair.substring("digest=".length()), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
      return null;
    }
  }

  private static final class Rule {
    final Predicate<Request> when;
    final Fault fault;
    int left;

    Rule(Predicate<Request> when, Fault fault, int times) {
      this.when = when;
      this.fault = fault;
      this.left = times;
    }
  }

  private final ServerSocket server;
  private final int upstream;
  private final List<Rule> rules = new ArrayList<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final Thread acceptor;

  FaultProxy(int upstreamPort) throws IOException {
    this.upstream = upstreamPort;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::accept, "fault-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  String host() {
    return "127.0.0.1:" + port();
  }

  /** Answers the next {@code times} requests matching {@code when} with {@code fault}. */
  synchronized FaultProxy fail(Predicate<Request> when, Fault fault, int times) {
    rules.add(new Rule(when, fault, times));
    return this;
  }

  /** The faults still to be injected; zero once every rule has fired as often as asked. */
  synchronized int faultsLeft() {
    int left = 0;
    for (Rule rule : rules) {
      left += rule.left == Integer.MAX_VALUE ? 0 : rule.left;
    }
    return left;
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The digests of the blobs uploaded through the proxy, in order. */
  List<String> uploadedDigests() {
    List<String> digests = new ArrayList<>();
    for (Request request : requests()) {
      String digest = request.uploadedDigest();
      if (digest != null) {
        digests.add(digest);
      }
    }
    return digests;
  }

  void clearRequests() {
    requests.clear();
  }

  static Predicate<Request> uploadPut() {
    return r -> r.method().equals("PUT") && r.path().contains("/blobs/uploads/");
  }

  static Predicate<Request> uploadData() {
    return r -> (r.method().equals("PUT") || r.method().equals("PATCH")) && r.path().contains("/blobs/uploads/");
  }

  static Predicate<Request> manifestPut() {
    return r -> r.method().equals("PUT") && r.path().contains("/manifests/");
  }

  static Predicate<Request> any() {
    return r -> true;
  }

  private synchronized Fault faultFor(Request request) {
    for (Rule rule : rules) {
      if (rule.left > 0 && rule.when.test(request)) {
        if (rule.left != Integer.MAX_VALUE) {
          rule.left--;
        }
        return rule.fault;
      }
    }
    return null;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread handler = new Thread(() -> handle(client), "fault-proxy-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = new java.io.BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      in.mark(1);
      if (in.read() == 0x16) {
        // a TLS handshake on this plain-HTTP port: answer in plain HTTP, as Go's server does, so
        // that the client sees at once that there is no TLS here
        out.write("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n".getBytes(ISO_8859_1));
        out.flush();
        return;
      }
      in.reset();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      String[] lines = head.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      String method = requestLine[0];
      String target = requestLine[1];
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
      }
      if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(ISO_8859_1));
        out.flush();
      }
      byte[] body = readBody(in, headers);
      int question = target.indexOf('?');
      String path = question < 0 ? target : target.substring(0, question);
      String query = question < 0 ? null : target.substring(question + 1);
      Request seen = new Request(method, path, query, body.length, 0, null);
      Fault fault = faultFor(seen);
      if (fault != null) {
        requests.add(new Request(method, path, query, body.length, status(fault), fault));
        answerWith(fault, out);
        return;
      }
      int status = forward(head, headers, body, out);
      requests.add(new Request(method, path, query, body.length, status, null));
    } catch (IOException e) {
      // the client went away; nothing to record
    }
  }

  private static int status(Fault fault) {
    return switch (fault) {
      case SERVICE_UNAVAILABLE -> 503;
      case TOO_MANY_REQUESTS -> 429;
      case BLOB_UPLOAD_UNKNOWN -> 404;
      case DROP_CONNECTION -> 0;
    };
  }

  private static void answerWith(Fault fault, OutputStream out) throws IOException {
    String body;
    String status;
    String extra = "";
    switch (fault) {
      case SERVICE_UNAVAILABLE -> {
        status = "503 Service Unavailable";
        body = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"service unavailable\"}]}";
      }
      case TOO_MANY_REQUESTS -> {
        status = "429 Too Many Requests";
        body = "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}";
        extra = "Retry-After: 1\r\n";
      }
      case BLOB_UPLOAD_UNKNOWN -> {
        status = "404 Not Found";
        body = "{\"errors\":[{\"code\":\"BLOB_UPLOAD_UNKNOWN\",\"message\":\"blob upload unknown to registry\"}]}";
      }
      default -> {
        return; // DROP_CONNECTION: close without a word
      }
    }
    byte[] bytes = body.getBytes(ISO_8859_1);
    out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\n" + extra
            + "Docker-Distribution-Api-Version: registry/2.0\r\nContent-Length: " + bytes.length
            + "\r\nConnection: close\r\n\r\n").getBytes(ISO_8859_1));
    out.write(bytes);
    out.flush();
  }

  /** Passes the request to the registry and its answer back; returns the status. */
  private int forward(String head, Map<String, String> headers, byte[] body, OutputStream out) throws IOException {
    try (Socket registry = new Socket(InetAddress.getLoopbackAddress(), upstream)) {
      OutputStream up = registry.getOutputStream();
      up.write(withConnectionClose(head).getBytes(ISO_8859_1));
      up.write(body);
      up.flush();
      InputStream down = registry.getInputStream();
      String responseHead = readHead(down);
      if (responseHead == null) {
        return 0;
      }
      int status = Integer.parseInt(responseHead.split(" ")[1]);
      out.write(withConnectionClose(responseHead).getBytes(ISO_8859_1));
      down.transferTo(out); // the registry closes after the body, as asked
      out.flush();
      return status;
    } catch (SocketException e) {
      return 0;
    }
  }

  /** A request or response head with {@code Connection: close} instead of keep-alive. */
  private static String withConnectionClose(String head) {
    StringBuilder out = new StringBuilder();
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("connection:") || lower.startsWith("keep-alive:") || lower.startsWith("expect:")) {
        continue;
      }
      out.append(line).append("\r\n");
    }
    return out.append("Connection: close\r\n\r\n").toString();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last = 0; // the last four bytes read
    while (true) {
      int b = in.read();
      if (b < 0) {
        return head.size() == 0 ? null : head.toString(ISO_8859_1);
      }
      head.write(b);
      last = (last << 8) | b;
      if (last == 0x0d0a0d0a) {
        String text = head.toString(ISO_8859_1);
        return text.substring(0, text.length() - 4);
      }
    }
  }

  /** The body as sent: by Content-Length, or chunked (kept chunked, framing included). */
  private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      while (true) {
        String sizeLine = readLine(in);
        body.write((sizeLine + "\r\n").getBytes(ISO_8859_1));
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (size == 0) {
          // trailers, up to an empty line
          for (String line = readLine(in); ; line = readLine(in)) {
            body.write((line + "\r\n").getBytes(ISO_8859_1));
            if (line.isEmpty()) {
              return body.toByteArray();
            }
          }
        }
        body.write(in.readNBytes(size + 2));
      }
    }
    String length = headers.get("content-length");
    if (length != null) {
      body.write(in.readNBytes(Integer.parseInt(length)));
    }
    return body.toByteArray();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        String text = line.toString(ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    throw new IOException("connection closed inside a chunked body");
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
