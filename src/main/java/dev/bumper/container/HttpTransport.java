package dev.bumper.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 requests for the registry client, over {@link HttpURLConnection}: it keeps connections
 * alive between requests and streams bodies of a known length, and, unlike {@code
 * java.net.http.HttpClient}, sets up no TLS for a plain-HTTP registry; that set-up alone costs a
 * third of a second, a good part of a small push. Redirects are not followed here: the registry
 * client decides where credentials may go.
 */
final class HttpTransport {
  /**
   * The most a whole answer may hold: manifests, indexes and token answers are read into memory,
   * and Docker and containerd cap a manifest at 4 MB. A registry that sends more, or never stops,
   * is refused rather than buffered.
   */
  static final int MAX_ANSWER = 4 * 1024 * 1024;
  /** What is kept of an error answer: enough for any registry's message. */
  static final int MAX_ERROR = 16 * 1024;
  /** How long an answer may take once connected: the probe, tokens, manifests, checks. */
  static final Duration SHORT_REQUEST = Duration.ofSeconds(60);
  /** How long a blob's upload or download may take once connected. */
  static final Duration LONG_REQUEST = Duration.ofMinutes(30);

  private final boolean insecure;
  private SSLSocketFactory insecureTls;

  /** @param insecure accept any certificate and host name, for insecure registries */
  HttpTransport(boolean insecure) {
    this.insecure = insecure;
  }

  /** Made on first use: a plain-HTTP registry needs no TLS at all. */
  private synchronized SSLSocketFactory insecureTls() {
    if (insecureTls == null) {
      insecureTls = InsecureTls.context().getSocketFactory();
    }
    return insecureTls;
  }

  /** A request body of a known length, written as often as the request is sent. */
  interface Body {
    long length();

    void writeTo(OutputStream out) throws IOException;

    static Body of(byte[] bytes) {
      return new Body() {
        @Override
        public long length() {
          return bytes.length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
          out.write(bytes);
        }
      };
    }
  }

  /** What every answer has: a status and headers, keyed case-insensitively. */
  interface Answer {
    int status();

    Map<String, List<String>> headers();

    default Optional<String> header(String name) {
      List<String> values = headers().get(name);
      return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** Lets go of a body that will not be read (an answer that is passed over, a redirect). */
    default void discard() {}
  }

  /** An answer and its body (empty for HEAD). */
  record Response(int status, Map<String, List<String>> headers, byte[] body) implements Answer {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** An answer whose body is still to be read; the caller closes it. */
  record Streamed(int status, Map<String, List<String>> headers, InputStream body) implements Answer {
    @Override
    public void discard() {
      try {
        body.close();
      } catch (IOException ignored) {
        // the connection is dropped with it
      }
    }
  }

  /**
   * {@code reference} (a Location or a token realm a registry sent) resolved against {@code base},
   * or empty when it is no http or https URL with a host: a registry must not be able to make
   * bumper open a file, or fail inside the JDK's URL parsing.
   */
  static Optional<URI> httpUri(URI base, String reference) {
    URI uri;
    try {
      uri = base == null ? new URI(reference.strip()) : base.resolve(reference.strip());
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String scheme = uri.getScheme();
    boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
    return http && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
  }

  /**
   * Sends a request and reads the whole answer.
   *
   * @param body the body, or null for none
   * @param timeout how long to wait for the answer once connected
   */
  Response send(String method, URI uri, Map<String, String> headers, Body body, Duration timeout) throws IOException {
    HttpURLConnection connection = open(method, uri, headers, body, timeout);
    try {
      int status = status(connection);
      Map<String, List<String>> responseHeaders = headers(connection);
      byte[] bytes;
      try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        bytes = in == null || method.equals("HEAD") ? new byte[0] : bounded(in, status >= 400, uri);
      }
      if (bytes.length == MAX_ERROR && status >= 400) {
        connection.disconnect(); // the rest of an error answer is not worth reading
      }
      return new Response(status, responseHeaders, bytes);
    } catch (IOException | RuntimeException e) {
      connection.disconnect();
      throw e;
    }
  }

  /**
   * Reads an answer's body: an error's first {@link #MAX_ERROR} bytes, any other's whole, up to
   * {@link #MAX_ANSWER}.
   */
  private static byte[] bounded(InputStream in, boolean error, URI uri) throws IOException {
    byte[] bytes = in.readNBytes(error ? MAX_ERROR : MAX_ANSWER + 1);
    if (!error && bytes.length > MAX_ANSWER) {
      throw new AnswerTooLargeException(uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
          + " answered " + uri.getPath() + " with more than " + MAX_ANSWER / (1024 * 1024)
          + " MB, more than a manifest or token can be; refused");
    }
    return bytes;
  }

  /** An answer larger than any the client reads whole: not retried, since it will not shrink. */
  static final class AnswerTooLargeException extends IOException {
    AnswerTooLargeException(String message) {
      super(message);
    }
  }

  /** Sends a GET and leaves the body to the caller. */
  Streamed stream(URI uri, Map<String, String> headers, Duration timeout) throws IOException {
    HttpURLConnection connection = open("GET", uri, headers, null, timeout);
    int status = status(connection);
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    return new Streamed(status, headers(connection), in == null ? InputStream.nullInputStream() : in);
  }

  private HttpURLConnection open(String method, URI uri, Map<String, String> headers, Body body, Duration timeout)
      throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    if (connection instanceof HttpsURLConnection https && insecure) {
      https.setSSLSocketFactory(insecureTls());
      https.setHostnameVerifier((host, session) -> true);
    }
    connection.setRequestMethod(method);
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setConnectTimeout(30_000);
    connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    headers.forEach(connection::setRequestProperty);
    try {
      if (body != null) {
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length());
        try (OutputStream out = connection.getOutputStream()) {
          body.writeTo(out);
        }
      } else if (method.equals("POST") || method.equals("PUT")) {
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(0);
        connection.getOutputStream().close();
      }
    } catch (IOException | RuntimeException e) {
      connection.disconnect(); // a half-sent request leaves the connection unusable
      throw e;
    }
    return connection;
  }

  /**
   * The status; a 401 to a streamed request, which the JDK reports as an exception because it
   * cannot resend the body itself, is a 401 like any other.
   */
  private static int status(HttpURLConnection connection) throws IOException {
    try {
      return connection.getResponseCode();
    } catch (HttpRetryException e) {
      return e.responseCode();
    }
  }

  private static Map<String, List<String>> headers(HttpURLConnection connection) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Map<String, List<String>> fields;
    try {
      fields = connection.getHeaderFields();
    } catch (RuntimeException lost) {
      return headers; // after a refused streamed request the JDK has dropped the answer
    }
    for (Map.Entry<String, List<String>> entry : fields.entrySet()) {
      if (entry.getKey() != null) {
        headers.put(entry.getKey(), entry.getValue());
      }
    }
    return headers;
  }
}
