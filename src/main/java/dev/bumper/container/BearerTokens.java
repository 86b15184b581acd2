package dev.bumper.container;

import dev.bumper.io.JsonReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fetches Bearer tokens from the realm a registry's challenge names (the token flow of the
 * Distribution spec): anonymously without credentials, with Basic credentials, or exchanging an
 * identity token as an OAuth2 refresh token. Every token is added to the secrets to mask.
 */
final class BearerTokens {
  private final RegistryEndpoint endpoint;
  private final CredentialScope credentialScope;
  private final HttpTransport transport;
  private final RegistryErrors errors;
  private final RegistryAccess access;

  BearerTokens(
      RegistryEndpoint endpoint,
      CredentialScope scope,
      HttpTransport transport,
      RegistryErrors errors,
      RegistryAccess access) {
    this.endpoint = endpoint;
    this.credentialScope = scope;
    this.transport = transport;
    this.errors = errors;
    this.access = access;
  }

  /** A token from the challenge's realm for the scopes (anonymous without credentials). */
  String fetch(AuthChallenge bearer, List<String> scopes) throws TransientException {
    String registry = endpoint.registry();
    String realm = bearer.realm();
    if (realm == null || realm.isBlank()) {
      throw ContainerException.failure(
          registry + " asks for a Bearer token but names no realm to get it from");
    }
    URI realmUri = HttpTransport.httpUri(null, realm).orElseThrow(() -> ContainerException.failure(
        registry + " names a token realm that is not an http or https URL"));
    List<String> wanted = new ArrayList<>(scopes);
    String challenged = bearer.parameters().get("scope");
    if (challenged != null) {
      for (String scope : challenged.split(" ")) {
        if (!scope.isBlank() && !wanted.contains(scope)) {
          wanted.add(scope);
        }
      }
    }
    StringBuilder query = new StringBuilder();
    if (bearer.service() != null) {
      query.append("service=").append(RegistryEndpoint.encode(bearer.service()));
    }
    for (String scope : wanted) {
      query.append(query.length() == 0 ? "" : "&");
      query.append("scope=").append(RegistryEndpoint.encode(scope));
    }
    Optional<Credential> credential = access.credentials().forRegistry(registry);
    if (credential.isPresent()
        && !"https".equalsIgnoreCase(realmUri.getScheme())
        && !credentialScope.plainHttpRealmAllowed(realmUri)) {
      throw ContainerException.failure(
          registry + " names a token realm over plain HTTP (http://" + realmUri.getRawAuthority()
              + "), where its credentials would travel unencrypted; they were not sent. bumper"
              + " sends a TLS registry's credentials only over TLS: its token service must be"
              + " https");
    }
    HttpTransport.Response response = request(realm, query.toString(), credential);
    int status = response.status();
    if (status == 401 || status == 403) {
      throw ContainerException.failure(
          errors.refused(status, "a token for " + String.join(" ", wanted)));
    }
    if (status == 429 || (status >= 500 && status != 501)) {
      throw new TransientException(
          "the token service answered " + status, null, RegistryErrors.retryAfter(response));
    }
    if (status != 200) {
      throw ContainerException.failure("the token service of " + registry + " answered " + status);
    }
    return token(response);
  }

  /** Asks the realm: a refresh-token POST for an identity token, else a GET, Basic if possible. */
  private HttpTransport.Response request(
      String realm, String query, Optional<Credential> credential) throws TransientException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", "bumper");
    try {
      if (credential.isPresent() && credential.get().isIdentityToken()) {
        String form = query + "&grant_type=refresh_token&client_id=bumper&refresh_token="
            + RegistryEndpoint.encode(credential.get().secret());
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        return transport.send(
            "POST",
            URI.create(realm),
            headers,
            HttpTransport.Body.of(form.getBytes(StandardCharsets.UTF_8)),
            HttpTransport.SHORT_REQUEST);
      }
      if (credential.isPresent()) {
        String basic = credential.get().basic();
        access.secrets().add(basic);
        headers.put("Authorization", "Basic " + basic);
      }
      URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
      return transport.send("GET", uri, headers, null, HttpTransport.SHORT_REQUEST);
    } catch (IOException e) {
      throw errors.ioFailure(e);
    }
  }

  /** The token of a token service's answer, which some name {@code access_token}. */
  private String token(HttpTransport.Response response) {
    String registry = endpoint.registry();
    Map<String, Object> json;
    try {
      json = JsonReader.parseObject(response.text());
    } catch (JsonReader.JsonException e) {
      throw ContainerException.failure(
          "the token service of " + registry + " answered something that is not JSON");
    }
    Object token =
        json.get("token") instanceof String t && !t.isEmpty() ? t : json.get("access_token");
    if (!(token instanceof String text) || text.isEmpty()) {
      throw ContainerException.failure(
          "the token service of " + registry + " answered without a token");
    }
    access.secrets().add(text);
    return text;
  }
}
