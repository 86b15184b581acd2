package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The token service of the Distribution spec's Bearer flow, for a registry configured with {@code
 * auth: token}: checks Basic credentials (or a refresh token), and answers a JWT signed with a key
 * whose certificate the registry trusts ({@code x5c} in the header), granting the scopes asked for.
 * Served over TLS with a self-signed certificate, since Jib sends credentials over TLS only.
 * Records the scopes it was asked for.
 */
final class TokenServer implements AutoCloseable {
  static final String SERVICE = "test-registry";
  static final String ISSUER = "test-token-issuer";

  private final HttpServer server;
  private final PrivateKey key;
  private final String certificate;
  private final String user;
  private final String password;
  private final String refreshToken;
  private final List<String> scopesAsked = Collections.synchronizedList(new ArrayList<>());

  /** Keys and certificates made with openssl in {@code dir}. */
  TokenServer(Path dir, String user, String password, String refreshToken) throws Exception {
    Path keyFile = dir.resolve("token-key.pem");
    Path certFile = dir.resolve("token-cert.pem");
    LoopbackTls.selfSigned(dir, keyFile, certFile, ISSUER);
    this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pem(Files.readString(keyFile))));
    this.certificate = Base64.getEncoder().encodeToString(pem(Files.readString(certFile)));
    this.user = user;
    this.password = password;
    this.refreshToken = refreshToken;
    HttpsServer https = LoopbackTls.server(dir, keyFile, certFile);
    server = https;
    server.createContext("/token", this::token);
    server.start();
  }

  Path certificateFile(Path dir) {
    return dir.resolve("token-cert.pem");
  }

  String realm() {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  List<String> scopesAsked() {
    synchronized (scopesAsked) {
      return List.copyOf(scopesAsked);
    }
  }

  private static byte[] pem(String text) {
    String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(base64);
  }

  private void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      String query = exchange.getRequestURI().getRawQuery();
      if (exchange.getRequestMethod().equals("POST")) {
        query = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
      }
      List<String> scopes = new ArrayList<>();
      String grant = null;
      String refresh = null;
      for (String pair : query == null ? new String[0] : query.split("&")) {
        int equals = pair.indexOf('=');
        String name = pair.substring(0, equals);
        String value = URLDecoder.decode(pair.substring(equals + 1), UTF_8);
        switch (name) {
          case "scope" -> scopes.add(value);
          case "grant_type" -> grant = value;
          case "refresh_token" -> refresh = value;
          default -> { }
        }
      }
      scopesAsked.addAll(scopes);
      boolean allowed;
      if ("refresh_token".equals(grant)) {
        allowed = refreshToken != null && refreshToken.equals(refresh);
      } else {
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
        allowed = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
      }
      if (!allowed) {
        byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}".getBytes(UTF_8);
        exchange.sendResponseHeaders(401, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      String jwt = jwt(scopes);
      byte[] body = ("{\"token\":\"" + jwt + "\",\"access_token\":\"" + jwt + "\",\"expires_in\":300}").getBytes(UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (Exception e) {
      exchange.sendResponseHeaders(500, -1);
    }
  }

  /** A token granting every scope asked for (repository:NAME:ACTIONS). */
  private String jwt(List<String> scopes) throws Exception {
    StringBuilder access = new StringBuilder("[");
    for (String scope : scopes) {
      String[] parts = scope.split(":");
      if (parts.length != 3) {
        continue;
      }
      access.append(access.length() > 1 ? "," : "")
          .append("{\"type\":\"").append(parts[0]).append("\",\"name\":\"").append(parts[1]).append("\",\"actions\":[");
      String[] actions = parts[2].split(",");
      for (int i = 0; i < actions.length; i++) {
        access.append(i > 0 ? "," : "").append('"').append(actions[i]).append('"');
      }
      access.append("]}");
    }
    access.append(']');
    long now = System.currentTimeMillis() / 1000;
    String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\"" + certificate + "\"]}";
    String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user + "\",\"aud\":\"" + SERVICE + "\",\"exp\":" + (now + 300)
        + ",\"nbf\":" + (now - 60) + ",\"iat\":" + now + ",\"jti\":\"" + UUID.randomUUID() + "\",\"access\":" + access + "}";
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String signingInput = url.encodeToString(header.getBytes(UTF_8)) + "." + url.encodeToString(claims.getBytes(UTF_8));
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(key);
    signature.update(signingInput.getBytes(UTF_8));
    return signingInput + "." + url.encodeToString(signature.sign());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
