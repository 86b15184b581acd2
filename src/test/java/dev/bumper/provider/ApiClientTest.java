package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bumper.secret.SecretMask;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API client against a loopback HTTP server that misbehaves on purpose. */
class ApiClientTest {
  private static final String TOKEN = "glpat-apiClientTestToken0123456789";
  private HttpServer server;
  private final List<String> seen = new ArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final SecretMask mask = new SecretMask();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v4/flaky", exchange -> {
      record(exchange);
      if (calls.incrementAndGet() < 3) {
        answer(exchange, 503, "<html>busy</html>");
      } else {
        answer(exchange, 200, "{\"ok\": true}");
      }
    });
    server.createContext("/api/v4/moved", exchange -> {
      record(exchange);
      exchange.getResponseHeaders().add("Location", "http://203.0.113.1/steal");
      answer(exchange, 302, "");
    });
    server.createContext("/api/v4/refused", exchange -> {
      record(exchange);
      answer(exchange, 403, "{\"message\": \"403 Forbidden - token " + TOKEN + " lacks api scope\"}");
    });
    server.createContext("/api/v4/huge", exchange -> {
      record(exchange);
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i <= ApiClient.MAX_ANSWER / chunk.length; i++) {
          out.write(chunk);
        }
      } catch (IOException e) {
        // the client stopped reading, as it should
      }
    });
    server.start();
    mask.add(TOKEN);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ApiClient client() {
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v4");
    return new ApiClient(base, () -> "Bearer " + TOKEN, Map.of(), mask, Duration.ofSeconds(10));
  }

  @Test
  void aReadIsSentAgainWhileTheProviderIsBusyAndAWriteIsNot() {
    ApiClient.Answer answer = client().get("flaky?x=1");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.object()).containsEntry("ok", true);
    assertThat(seen).containsExactly("GET /api/v4/flaky?x=1 Bearer " + TOKEN,
        "GET /api/v4/flaky?x=1 Bearer " + TOKEN, "GET /api/v4/flaky?x=1 Bearer " + TOKEN);

    calls.set(0);
    seen.clear();
    assertThat(client().send("POST", "flaky", Map.of("title", "t")).status()).isEqualTo(503);
    calls.set(0);
    assertThat(client().send("PUT", "flaky", Map.of("sha", "abc")).status()).isEqualTo(503);
    assertThat(seen).hasSize(2);
  }

  @Test
  void aRedirectIsNotFollowedSoTheTokenStaysOnItsHost() {
    ApiClient.Answer answer = client().get("moved");
    assertThat(answer.status()).isEqualTo(302);
    assertThat(seen).hasSize(1);
  }

  @Test
  void aRefusalSaysTheProvidersMessageWithoutTheToken() {
    ApiClient client = client();
    ApiClient.Answer answer = client.get("refused");
    ProviderException refused = client.refused("GET", "refused", answer);
    assertThat(refused.getMessage()).startsWith("GET http://127.0.0.1:")
        .endsWith("/api/v4/refused: HTTP 403: 403 Forbidden - token *** lacks api scope")
        .doesNotContain(TOKEN);
    assertThat(refused.status()).isEqualTo(403);
  }

  @Test
  void anAnswerOverTheLimitIsRefusedNotBuffered() {
    assertThatThrownBy(() -> client().get("huge")).isInstanceOf(ProviderException.class)
        .hasMessageContaining("the answer is over 8 MB");
  }

  private void record(HttpExchange exchange) {
    synchronized (seen) {
      seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
          + exchange.getRequestHeaders().getFirst("Authorization"));
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }
}
