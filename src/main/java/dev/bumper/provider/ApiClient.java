package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bumper.io.JsonReader;
import dev.bumper.io.JsonWriter;
import dev.bumper.retry.Backoff;
import dev.bumper.secret.SecretMask;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * JSON over HTTP to a provider's REST API (GitHub's, GitLab's): one request, one answer, read
 * whole but bounded, every failure a {@link ProviderException} that holds no secret. The {@code
 * Authorization} value is asked for on each request, so that a token that expires (a GitHub App's
 * installation token) can be renewed by its supplier.
 */
public final class ApiClient {
  /** The most an answer may hold: a page of pull requests is well under it. */
  static final int MAX_ANSWER = 8 * 1024 * 1024;

  /** An answer: its status and its JSON body (null when there is none). */
  public record Answer(int status, Object json) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> object() {
      return json instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    public List<Object> array() {
      return json instanceof List<?> list ? (List<Object>) list : List.of();
    }
  }

  private static final int ATTEMPTS = 3;
  private static final Set<Integer> TRANSIENT = Set.of(502, 503, 504);

  private final URI base;
  private final Backoff backoff =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5), Backoff.Jitter.HALF, new Random());
  private final Supplier<String> authorization;
  private final SecretMask mask;
  private final Duration timeout;
  private final HttpClient http;
  private final Map<String, String> headers;

  /**
   * @param base the API's root, such as {@code https://api.github.com/} (a path is kept: GitHub
   *     Enterprise's {@code /api/v3/}, GitLab's {@code /api/v4/})
   * @param headers sent with every request besides {@code Authorization}
   */
  public ApiClient(URI base, Supplier<String> authorization, Map<String, String> headers,
      SecretMask mask, Duration timeout) {
    String root = base.toString();
    this.base = URI.create(root.endsWith("/") ? root : root + "/");
    this.authorization = Objects.requireNonNull(authorization, "authorization");
    this.headers = Map.copyOf(headers);
    this.mask = mask;
    this.timeout = timeout;
    // Redirects are not followed: a token must not reach another host.
    this.http = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** The API's root, ending in {@code /}. */
  public URI base() {
    return base;
  }

  /** GET {@code path} (relative to the root, query included). */
  public Answer get(String path) {
    return send("GET", path, null);
  }

  /**
   * Sends {@code body} (a map, list, string, number, boolean or null, written as JSON; no body
   * when {@code body} is null and the method is GET or DELETE) and reads the answer, whatever its
   * status: the caller knows which refusals mean what.
   */
  public Answer send(String method, String path, Object body) {
    // A read is sent again when the provider's front end says it is overloaded or down for a
    // moment; a write is not, since it may have been done (a merge retried after it landed is
    // refused, which would read as a rule's refusal).
    boolean idempotent = method.equals("GET");
    for (int attempt = 1; ; attempt++) {
      Answer answer = sendOnce(method, path, body);
      if (!idempotent || attempt >= ATTEMPTS || !TRANSIENT.contains(answer.status())) {
        return answer;
      }
      try {
        Thread.sleep(backoff.delay(attempt).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProviderException(method + " " + path + ": interrupted");
      }
    }
  }

  private Answer sendOnce(String method, String path, Object body) {
    URI uri = base.resolve(path.startsWith("/") ? path.substring(1) : path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("User-Agent", "bumper");
    if (!headers.containsKey("Accept")) {
      request.header("Accept", "application/json");
    }
    headers.forEach(request::header);
    String auth = authorization.get();
    if (auth != null) {
      request.header("Authorization", auth);
    }
    if (body == null && (method.equals("GET") || method.equals("DELETE"))) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(json(body), UTF_8));
    }
    String what = method + " " + shown(uri);
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new ProviderException(what + ": no answer in " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      throw new ProviderException(what + ": " + mask.mask(String.valueOf(e.getMessage())), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(what + ": interrupted");
    }
    String text;
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(MAX_ANSWER + 1);
      if (bytes.length > MAX_ANSWER) {
        throw new ProviderException(what + ": the answer is over " + MAX_ANSWER / 1024 / 1024
            + " MB");
      }
      text = new String(bytes, UTF_8);
    } catch (IOException e) {
      throw new ProviderException(what + ": " + mask.mask(String.valueOf(e.getMessage())), e);
    }
    if (text.isBlank()) {
      return new Answer(response.statusCode(), null);
    }
    try {
      return new Answer(response.statusCode(), JsonReader.parse(text));
    } catch (JsonReader.JsonException e) {
      if (response.statusCode() >= 300) {
        // an error page from a proxy in front of the API: its status says enough
        return new Answer(response.statusCode(), null);
      }
      throw new ProviderException(what + ": the answer (HTTP " + response.statusCode()
          + ") is not JSON: " + e.getMessage());
    }
  }

  /** The failure for an answer the caller did not expect: the request, status and message. */
  public ProviderException refused(String method, String path, Answer answer) {
    String message = message(answer);
    return new ProviderException(method + " " + shown(base.resolve(path.startsWith("/")
        ? path.substring(1) : path)) + ": HTTP " + answer.status()
        + (message.isEmpty() ? "" : ": " + message), answer.status());
  }

  /**
   * The provider's message in {@code answer} as one line ("" when it has none), with every secret
   * masked: for refusals the caller words itself, such as a merge a rule refused.
   */
  public String message(Answer answer) {
    return mask.mask(ProviderMessages.of(answer.json()));
  }

  private String shown(URI uri) {
    return mask.mask(uri.toString());
  }

  /** {@code value} as compact JSON. */
  static String json(Object value) {
    StringBuilder out = new StringBuilder();
    write(new JsonWriter(out), value);
    return out.toString();
  }

  private static void write(JsonWriter out, Object value) {
    if (value == null) {
      out.nullValue();
    } else if (value instanceof Map<?, ?> map) {
      out.beginObject();
      map.forEach((k, v) -> write(out.name(String.valueOf(k)), v));
      out.endObject();
    } else if (value instanceof Iterable<?> list) {
      out.beginArray();
      list.forEach(item -> write(out, item));
      out.endArray();
    } else if (value instanceof Boolean b) {
      out.value(b);
    } else if (value instanceof Integer || value instanceof Long) {
      out.value(((Number) value).longValue());
    } else {
      out.value(String.valueOf(value));
    }
  }
}
