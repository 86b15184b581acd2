package dev.bumper.container;

import dev.bumper.io.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/**
 * A small client for the blob and manifest endpoints of the OCI Distribution API, for what Jib
 * cannot do: push a tarball's manifest exactly as it is (so the digest stays the same), copy an
 * image between repositories without rebuilding it, and look up a tag's digest.
 *
 * <p>Authentication follows the registry's challenge: Basic, or Bearer tokens fetched from the
 * realm for the repository scopes needed (with an identity token exchanged as an OAuth2 refresh
 * token). Each public operation is retried by the {@link RetryPolicy} on connection errors, 5xx,
 * 429 and {@code BLOB_UPLOAD_UNKNOWN}; other answers are reported with the registry's own error
 * codes. Thread-safe: blobs are uploaded in parallel.
 */
public final class RegistryClient {
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String MANIFEST_ACCEPT =
      String.join(", ", OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);
  private static final Duration SHORT_REQUEST = Duration.ofSeconds(60);
  private static final Duration LONG_REQUEST = Duration.ofMinutes(30);
  /** As Docker, whose Go client stops after 10: enough for any proxy and CDN, and no loop. */
  private static final int MAX_REDIRECTS = 10;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final String registry;
  private final RegistryAccess access;
  /** Named by --insecure-registry: plain HTTP, or TLS without checking the certificate. */
  private final boolean insecure;
  /** Insecure, or on loopback, where Docker too allows plain HTTP: asked over plain HTTP first. */
  private final boolean plainHttpAllowed;

  // learnt from the registry on first use
  private URI base;
  private AuthChallenge challenge;
  private final Map<String, String> authorizations = new HashMap<>();

  RegistryClient(String registry, RegistryAccess access) {
    this.registry = registry;
    this.access = access;
    this.insecure = access.insecure().contains(registry);
    this.plainHttpAllowed = insecure || InsecureRegistries.isLoopback(registry);
  }

  public String registry() {
    return registry;
  }

  /** A manifest's bytes as the registry stores them, their media type and digest. */
  public record Manifest(byte[] bytes, String mediaType, String digest) {}

  // ---- operations

  /**
   * Connects as the first request of a run does (TLS or, for an insecure registry, plain HTTP;
   * the authentication challenge), so that a registry that is down, or whose certificate is not
   * trusted, is reported at once and after bounded retries.
   */
  void connect() {
    access.retry().call("connect to " + registry, () -> {
      ping();
      return null;
    });
  }

  /** The size of the blob in the repository, or empty when the repository does not have it. */
  Optional<Long> blobSize(String repository, String digest) {
    return access.retry().call(
        "check blob " + Digests.shortForm(digest) + " in " + where(repository),
        () -> {
          HttpTransport.Response response =
              send("HEAD", path(repository, "blobs/" + digest), List.of(pull(repository)), Map.of(), null, SHORT_REQUEST);
          if (response.status() == 404) {
            return Optional.empty();
          }
          check(response, "check blob " + Digests.shortForm(digest), repository);
          return Optional.of(response.header("Content-Length").map(RegistryClient::length).orElse(-1L));
        });
  }

  /**
   * Mounts a blob of {@code fromRepository} (on this registry) into {@code repository} without
   * sending its bytes. False when the registry will not (it then started an upload, which is
   * abandoned).
   */
  boolean mount(String repository, String fromRepository, String digest) {
    return access.retry().call(
        "mount blob " + Digests.shortForm(digest) + " into " + where(repository),
        () -> {
          String query = "?mount=" + encode(digest) + "&from=" + encode(fromRepository);
          HttpTransport.Response response =
              send(
                  "POST",
                  URI.create(path(repository, "blobs/uploads/") + query),
                  List.of(push(repository), pull(fromRepository)),
                  Map.of(),
                  null,
                  SHORT_REQUEST);
          if (response.status() == 201) {
            return true;
          }
          if (response.status() == 202) {
            return false;
          }
          check(response, "mount blob " + Digests.shortForm(digest), repository);
          return false;
        });
  }

  /**
   * Uploads a blob: one POST for an upload session, one PUT with all the bytes and the digest,
   * which the registry checks. A failed attempt starts a new session.
   *
   * @param sent told how many bytes went out, as they go (and minus those of a failed attempt)
   */
  void upload(String repository, Blob blob, Blob.Source source, LongConsumer sent) {
    access.retry().call(
        "upload blob " + Digests.shortForm(blob.digest()) + " to " + where(repository),
        () -> {
          long[] counted = new long[1];
          try {
            uploadOnce(repository, blob, source, bytes -> {
              counted[0] += bytes;
              sent.accept(bytes);
            });
            return null;
          } catch (TransientException | RuntimeException e) {
            sent.accept(-counted[0]);
            throw e;
          }
        });
  }

  private void uploadOnce(String repository, Blob blob, Blob.Source source, LongConsumer sent)
      throws TransientException {
    String what = "upload blob " + Digests.shortForm(blob.digest());
    HttpTransport.Response started =
        send("POST", path(repository, "blobs/uploads/"), List.of(push(repository)), Map.of(), null, SHORT_REQUEST);
    if (started.status() != 202) {
      check(started, what, repository);
      throw failure(started, what, repository);
    }
    URI location = location(started, what);
    String separator = location.getRawQuery() == null ? "?" : "&";
    URI put = URI.create(location + separator + "digest=" + encode(blob.digest()));
    HttpTransport.Body body =
        new HttpTransport.Body() {
          @Override
          public long length() {
            return blob.size();
          }

          @Override
          public void writeTo(OutputStream out) throws IOException {
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = source.open()) {
              long left = blob.size();
              for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                out.write(buffer, 0, n);
                sent.accept(n);
                left -= n;
              }
              if (left > 0) {
                throw new IOException("blob " + Digests.shortForm(blob.digest()) + " ended " + left + " bytes early");
              }
            }
          }
        };
    HttpTransport.Response finished =
        send("PUT", put, List.of(push(repository)), Map.of("Content-Type", "application/octet-stream"), body, LONG_REQUEST);
    if (finished.status() != 201 && finished.status() != 204) {
      check(finished, what, repository);
      throw failure(finished, what, repository);
    }
  }

  /** The manifest {@code reference} (a tag or digest) names, as stored. */
  public Manifest manifest(String repository, String reference) {
    return access.retry().call(
        "get manifest " + where(repository) + ":" + reference,
        () -> {
          HttpTransport.Response response =
              send("GET", path(repository, "manifests/" + reference), List.of(pull(repository)),
                  Map.of("Accept", MANIFEST_ACCEPT), null, SHORT_REQUEST);
          if (response.status() != 200) {
            if (response.status() == 404) {
              throw ContainerException.failure(
                  "no tag or digest " + reference + " in " + where(repository) + " (404" + errorsOf(response) + ")");
            }
            check(response, "get manifest " + reference, repository);
            throw failure(response, "get manifest " + reference, repository);
          }
          byte[] bytes = response.body();
          String digest = Digests.of(bytes);
          if (reference.startsWith("sha256:") && !reference.equals(digest)) {
            throw ContainerException.failure(
                where(repository) + " answered manifest " + reference + " with bytes whose digest is " + digest);
          }
          String said = response.header("Docker-Content-Digest").orElse(digest);
          if (!said.equals(digest)) {
            throw ContainerException.failure(where(repository) + " says manifest " + reference + " is " + said
                + ", but the bytes it sent are " + digest);
          }
          String type = response.header("Content-Type").orElse("");
          int semicolon = type.indexOf(';');
          return new Manifest(bytes, (semicolon < 0 ? type : type.substring(0, semicolon)).strip(), digest);
        });
  }

  /**
   * The digest of the manifest a tag names: computed from the manifest's bytes, never taken from
   * the registry's word for it, since this is what a deployment will be pinned to.
   */
  public String manifestDigest(String repository, String reference) {
    return manifest(repository, reference).digest();
  }

  /** Stores a manifest under a tag or its digest; returns its digest. */
  String putManifest(String repository, String reference, byte[] bytes, String mediaType) {
    String digest = Digests.of(bytes);
    access.retry().call(
        "push manifest " + where(repository) + (reference.startsWith("sha256:") ? "@" : ":") + reference,
        () -> {
          HttpTransport.Response response =
              send(
                  "PUT",
                  path(repository, "manifests/" + reference),
                  List.of(push(repository)),
                  Map.of("Content-Type", mediaType),
                  HttpTransport.Body.of(bytes),
                  SHORT_REQUEST);
          if (response.status() != 201 && response.status() != 200 && response.status() != 202) {
            check(response, "push manifest " + reference, repository);
            throw failure(response, "push manifest " + reference, repository);
          }
          String stored = response.header("Docker-Content-Digest").orElse(digest);
          if (!stored.equals(digest)) {
            throw ContainerException.failure(
                where(repository) + " stored manifest " + reference + " as " + stored + ", not as the " + digest
                    + " that was sent");
          }
          return null;
        });
    return digest;
  }

  /**
   * Opens a blob for reading, following redirects to storage (without sending credentials to
   * another host). Not retried here: the upload that reads it retries, opening it again.
   */
  InputStream openBlob(String repository, String digest) throws IOException {
    try {
      URI uri = path(repository, "blobs/" + digest);
      HttpTransport.Streamed response = followingRedirects("GET", uri, target -> stream(target, List.of(pull(repository))));
      if (response.status() == 200) {
        return response.body();
      }
      response.discard();
      throw new IOException(where(repository) + " answered " + response.status() + " for blob " + Digests.shortForm(digest));
    } catch (TransientException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  // ---- requests

  /** The URL of an endpoint; the first call asks the registry how to connect and authenticate. */
  private URI path(String repository, String rest) throws TransientException {
    ping();
    return URI.create(base() + "v2/" + repository + "/" + rest);
  }

  private String where(String repository) {
    return registry + "/" + repository;
  }

  private static String pull(String repository) {
    return "repository:" + repository + ":pull";
  }

  private static String push(String repository) {
    return "repository:" + repository + ":pull,push";
  }

  /**
   * Sends a request with the authorization the scopes need; when a Bearer token is refused (it
   * expired, or needs more scope), fetches a new one and sends once more. Credentials go only to
   * the registry's own host, never to storage a redirect points at.
   */
  private HttpTransport.Response send(
      String method, URI uri, List<String> scopes, Map<String, String> headers, HttpTransport.Body body, Duration timeout)
      throws TransientException {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return sendOnce(method, uri, scopes, headers, body, timeout);
    }
    return followingRedirects(method, uri, target -> sendOnce(method, target, scopes, headers, body, timeout));
  }

  /** One request to one URL, as {@link #followingRedirects} makes them. */
  private interface Hop<A extends HttpTransport.Answer> {
    A send(URI uri) throws TransientException;
  }

  /**
   * Makes a GET or HEAD where the registry redirects it, as Docker does: a registry behind a
   * proxy or CDN may redirect a manifest request, and most send blob downloads to storage. At most
   * {@value #MAX_REDIRECTS} hops, and only to http and https URLs; credentials go only to the
   * registry's own origin ({@link #sameHost}).
   */
  private <A extends HttpTransport.Answer> A followingRedirects(String method, URI uri, Hop<A> hop)
      throws TransientException {
    URI target = uri;
    for (int redirects = 0; ; redirects++) {
      A answer = hop.send(target);
      Optional<String> location = answer.header("Location");
      if (!REDIRECTS.contains(answer.status()) || location.isEmpty()) {
        return answer;
      }
      answer.discard();
      String what = registry + " redirected " + method + " " + uri.getPath();
      if (redirects == MAX_REDIRECTS) {
        throw ContainerException.failure(what + " more than " + MAX_REDIRECTS + " times");
      }
      // the Location itself is not printed: a redirect to storage is often a signed URL
      target = HttpTransport.httpUri(target, location.get()).orElseThrow(() ->
          ContainerException.failure(what + " to something that is not an http or https URL; not followed"));
    }
  }

  private HttpTransport.Response sendOnce(
      String method, URI uri, List<String> scopes, Map<String, String> headers, HttpTransport.Body body, Duration timeout)
      throws TransientException {
    boolean sameHost = sameHost(uri);
    for (int attempt = 0; ; attempt++) {
      Map<String, String> all = requestHeaders(headers, scopes, sameHost, attempt > 0);
      HttpTransport.Response response;
      try {
        response = transport().send(method, uri, all, body, timeout);
      } catch (IOException e) {
        throw ioFailure(e);
      }
      if (response.status() == 401 && attempt == 0 && sameHost && bearerChallenge(response.header("WWW-Authenticate"))) {
        continue;
      }
      return response;
    }
  }

  private HttpTransport.Streamed stream(URI uri, List<String> scopes) throws TransientException {
    boolean sameHost = sameHost(uri);
    for (int attempt = 0; ; attempt++) {
      HttpTransport.Streamed response;
      try {
        response = transport().stream(uri, requestHeaders(Map.of(), scopes, sameHost, attempt > 0), LONG_REQUEST);
      } catch (IOException e) {
        throw ioFailure(e);
      }
      if (response.status() == 401 && attempt == 0 && sameHost && bearerChallenge(response.header("WWW-Authenticate"))) {
        response.discard();
        continue;
      }
      return response;
    }
  }

  private Map<String, String> requestHeaders(Map<String, String> headers, List<String> scopes, boolean sameHost, boolean renew)
      throws TransientException {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("User-Agent", "bumper");
    if (sameHost) {
      String authorization = authorization(scopes, renew);
      if (authorization != null) {
        all.put("Authorization", authorization);
      }
    }
    return all;
  }

  private HttpTransport transport() {
    return access.transport(insecure);
  }

  private boolean sameHost(URI uri) {
    // the scheme too: a redirect from https to http on the same host and port must not carry them
    return uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(base().getRawAuthority())
        && uri.getScheme() != null && uri.getScheme().equalsIgnoreCase(base().getScheme());
  }

  /** Whether a 401 came with a Bearer challenge, which a fresh token may satisfy. */
  private synchronized boolean bearerChallenge(Optional<String> header) {
    if (header.isEmpty()) {
      return false;
    }
    AuthChallenge fresh = AuthChallenge.parse(header.get());
    if (!fresh.isBearer()) {
      return false;
    }
    challenge = fresh;
    return true;
  }

  private TransientException ioFailure(IOException e) {
    if (e instanceof HttpTransport.AnswerTooLargeException) {
      throw ContainerException.failure(e.getMessage());
    }
    if (isPlainHttpAnswer(e)) {
      // No retry makes a plain-HTTP server speak TLS; the fix is the user's to make.
      throw ContainerException.failure(
          registry + " answered in plain HTTP where TLS was expected (" + describe(e) + "): it is a plain-HTTP registry;"
              + " to reach it so, use --insecure-registry " + registry + " (its credentials then travel unencrypted)");
    }
    if (isCertificateProblem(e)) {
      throw ContainerException.failure(
          "the TLS certificate of " + registry + " is not trusted (" + describe(e)
              + "); for a registry with a self-signed certificate, use --insecure-registry " + registry);
    }
    return new TransientException("connection to " + registry + " failed: " + describe(e), e);
  }

  /** Whether a TLS handshake got a plain-HTTP answer: the JDK names its first bytes no TLS record. */
  private static boolean isPlainHttpAnswer(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (t instanceof javax.net.ssl.SSLException && message != null
          && (message.contains("Unsupported or unrecognized SSL message") || message.contains("plaintext connection"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isCertificateProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t.getClass().getName().endsWith("ValidatorException")) {
        return true;
      }
    }
    return false;
  }

  private String describe(Throwable e) {
    if (e instanceof SocketTimeoutException) {
      return "timed out";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String message = e.getMessage();
    Throwable cause = e.getCause();
    if ((message == null || message.isBlank()) && cause != null && cause != e) {
      return describe(cause);
    }
    return access.secrets().mask(e.getClass().getSimpleName() + (message == null ? "" : ": " + message));
  }

  // ---- the registry's base URL and its authentication

  /** {@code https://registry/}, or {@code http://} for an insecure registry that speaks no TLS. */
  private synchronized URI base() {
    if (base == null) {
      base = URI.create("https://" + registry + "/");
    }
    return base;
  }

  /**
   * Asks {@code /v2/} how to authenticate, once. An insecure registry is asked over plain HTTP
   * first: most are plain-HTTP registries, and this spares the TLS set-up, a good part of a small
   * push. One that answers as a TLS server would (400, or a dropped connection) is then reached
   * over TLS without checking its certificate.
   */
  private synchronized void ping() throws TransientException {
    if (challenge != null) {
      return;
    }
    HttpTransport.Response response = null;
    if (plainHttpAllowed) {
      URI http = URI.create("http://" + registry + "/");
      try {
        response = pingOnce(http);
        if (speaksRegistry(response)) {
          base = http;
          access.verbose(registry + ": plain HTTP (" + (insecure ? "--insecure-registry" : "a loopback registry") + ")");
        } else {
          response = null;
        }
      } catch (TransientException e) {
        if (e.getCause() instanceof ConnectException && registry.contains(":")) {
          throw e; // nothing listens on that port, with TLS or without
        }
      }
    }
    if (response == null) {
      response = pingOnce(base());
      if (insecure) {
        access.verbose(registry + ": TLS without checking the certificate (--insecure-registry)");
      }
    }
    int status = response.status();
    if (status == 200) {
      challenge = new AuthChallenge("none", Map.of());
    } else if (status == 401) {
      challenge = AuthChallenge.parse(response.header("WWW-Authenticate").orElse("Basic"));
    } else {
      check(response, "connect", null);
      throw failure(response, "connect", null);
    }
  }

  /** Whether a plain-HTTP answer came from a registry, not from a TLS server refusing it. */
  private static boolean speaksRegistry(HttpTransport.Response response) {
    int status = response.status();
    return status == 200
        || status == 401
        || response.header("Docker-Distribution-Api-Version").isPresent()
        || status == 429
        || status >= 500;
  }

  private HttpTransport.Response pingOnce(URI root) throws TransientException {
    try {
      return transport().send("GET", root.resolve("v2/"), Map.of("User-Agent", "bumper"), null, SHORT_REQUEST);
    } catch (IOException e) {
      throw ioFailure(e);
    }
  }

  /** The Authorization header for these scopes, or null when the registry needs none. */
  private String authorization(List<String> scopes, boolean renew) throws TransientException {
    ping();
    AuthChallenge current;
    synchronized (this) {
      current = challenge;
    }
    if (current.isBasic()) {
      Optional<Credential> credential = credential();
      if (credential.isEmpty()) {
        return null;
      }
      if (credential.get().isIdentityToken()) {
        throw ContainerException.failure(
            registry + " asks for a user name and password, but " + credential.get().source() + " holds an identity token");
      }
      String basic =
          Base64.getEncoder()
              .encodeToString((credential.get().username() + ":" + credential.get().secret()).getBytes(StandardCharsets.UTF_8));
      access.secrets().add(basic);
      return "Basic " + basic;
    }
    if (!current.isBearer()) {
      return null;
    }
    String key = String.join(" ", new TreeSet<>(scopes));
    synchronized (this) {
      String cached = authorizations.get(key);
      if (cached != null && !renew) {
        return cached;
      }
    }
    String token = "Bearer " + fetchToken(current, scopes);
    synchronized (this) {
      authorizations.put(key, token);
    }
    return token;
  }

  private Optional<Credential> credential() {
    return access.credentials().forRegistry(registry);
  }

  /** A token from the challenge's realm for the scopes (anonymous without credentials). */
  private String fetchToken(AuthChallenge bearer, List<String> scopes) throws TransientException {
    String realm = bearer.realm();
    if (realm == null || realm.isBlank()) {
      throw ContainerException.failure(registry + " asks for a Bearer token but names no realm to get it from");
    }
    URI realmUri = HttpTransport.httpUri(null, realm).orElseThrow(() ->
        ContainerException.failure(registry + " names a token realm that is not an http or https URL"));
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
      query.append("service=").append(encode(bearer.service()));
    }
    for (String scope : wanted) {
      query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(scope));
    }
    Optional<Credential> credential = credential();
    if (credential.isPresent() && !"https".equalsIgnoreCase(realmUri.getScheme()) && !plainHttpRealmAllowed(realmUri)) {
      throw ContainerException.failure(registry + " names a token realm over plain HTTP (http://"
          + realmUri.getRawAuthority() + "), where its credentials would travel unencrypted; they were not sent."
          + " bumper sends a TLS registry's credentials only over TLS: its token service must be https");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", "bumper");
    HttpTransport.Response response;
    try {
      if (credential.isPresent() && credential.get().isIdentityToken()) {
        String form =
            query + "&grant_type=refresh_token&client_id=bumper&refresh_token=" + encode(credential.get().secret());
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        response =
            transport().send("POST", URI.create(realm), headers, HttpTransport.Body.of(form.getBytes(StandardCharsets.UTF_8)), SHORT_REQUEST);
      } else {
        if (credential.isPresent()) {
          String basic =
              Base64.getEncoder()
                  .encodeToString((credential.get().username() + ":" + credential.get().secret()).getBytes(StandardCharsets.UTF_8));
          access.secrets().add(basic);
          headers.put("Authorization", "Basic " + basic);
        }
        response = transport().send("GET", URI.create(realm + (realm.contains("?") ? "&" : "?") + query), headers, null, SHORT_REQUEST);
      }
    } catch (IOException e) {
      throw ioFailure(e);
    }
    int status = response.status();
    if (status == 401 || status == 403) {
      throw ContainerException.failure(refused(status, "a token for " + String.join(" ", wanted)));
    }
    if (status == 429 || (status >= 500 && status != 501)) {
      throw new TransientException("the token service answered " + status, null, retryAfter(response));
    }
    if (status != 200) {
      throw ContainerException.failure("the token service of " + registry + " answered " + status);
    }
    Map<String, Object> json;
    try {
      json = JsonReader.parseObject(response.text());
    } catch (JsonReader.JsonException e) {
      throw ContainerException.failure("the token service of " + registry + " answered something that is not JSON");
    }
    Object token = json.get("token") instanceof String t && !t.isEmpty() ? t : json.get("access_token");
    if (!(token instanceof String text) || text.isEmpty()) {
      throw ContainerException.failure("the token service of " + registry + " answered without a token");
    }
    access.secrets().add(text);
    return text;
  }

  /**
   * Whether credentials may go to a token realm over plain HTTP: only for a registry that is itself
   * reached so (--insecure-registry, or on loopback), and only to its own host or another one
   * allowed plain HTTP. A TLS registry's realm over plain HTTP would be a downgrade.
   */
  private boolean plainHttpRealmAllowed(URI realm) {
    if (!"http".equalsIgnoreCase(base().getScheme())) {
      return false;
    }
    String authority = realm.getRawAuthority();
    return realm.getHost() != null && realm.getHost().equalsIgnoreCase(base().getHost())
        || access.insecure().contains(authority) || InsecureRegistries.isLoopback(authority);
  }

  // ---- answers

  /**
   * Throws for an answer that is not a success: transient ones for the retry policy, the rest as
   * a {@link ContainerException} naming the registry's reasons. Returns for a success.
   */
  private void check(HttpTransport.Response response, String what, String repository) throws TransientException {
    int status = response.status();
    if (status >= 200 && status < 300) {
      return;
    }
    throw failure(response, what, repository);
  }

  private TransientException failure(HttpTransport.Response response, String what, String repository) {
    int status = response.status();
    String errors = errorsOf(response);
    String on = repository == null ? registry : where(repository);
    if (status == 429 || (status >= 500 && status != 501 && status != 505)) {
      return new TransientException(on + " answered " + status + errors, null, retryAfter(response));
    }
    if (errors.contains("BLOB_UPLOAD_UNKNOWN")) {
      return new TransientException(on + " lost the upload (" + status + errors + ")", null);
    }
    if (status == 401) {
      throw ContainerException.failure(refused(status, what + " on " + on));
    }
    if (status == 403) {
      throw ContainerException.failure(on + " denied " + what + " (403 Forbidden" + errors + ")");
    }
    throw ContainerException.failure(on + ": " + what + " failed: " + status + errors);
  }

  private String refused(int status, String what) {
    Optional<Credential> credential = credential();
    String answer = status == 401 ? "401 Unauthorized" : "403 Forbidden";
    if (credential.isEmpty()) {
      return registry + " requires credentials for " + what + " (" + answer + "), and none were found in "
          + RegistryCredentials.USERNAME_VARIABLE + "/" + RegistryCredentials.PASSWORD_VARIABLE
          + " or Docker's config.json";
    }
    return registry + " refused the credentials from " + credential.get().source() + " for " + what + " ("
        + answer + "): check the user name and password";
  }

  /** The registry's error codes and messages, {@code ": CODE: message; ..."}, masked and short. */
  private String errorsOf(HttpTransport.Response response) {
    // Masked whole, before it is parsed, split or cut: a secret across a line break or the cut
    // would otherwise be printed in part.
    String body = access.secrets().mask(response.text());
    if (body == null || body.isBlank()) {
      return "";
    }
    List<String> reasons = new ArrayList<>();
    try {
      if (JsonReader.parseObject(body).get("errors") instanceof List<?> errors) {
        for (Object error : errors) {
          if (error instanceof Map<?, ?> entry) {
            Object code = entry.get("code");
            Object message = entry.get("message");
            reasons.add((code == null ? "" : code + ": ") + (message == null ? "" : message));
          }
        }
      }
    } catch (JsonReader.JsonException notJson) {
      reasons.add(body.strip().lines().findFirst().orElse(""));
    }
    // and again once JSON escapes are decoded
    String joined = access.secrets().mask(String.join("; ", reasons));
    if (joined.length() > 300) {
      joined = joined.substring(0, 300) + "...";
    }
    return joined.isBlank() ? "" : ": " + access.secrets().mask(joined);
  }

  private static Duration retryAfter(HttpTransport.Response response) {
    Optional<String> header = response.header("Retry-After");
    if (header.isPresent()) {
      try {
        return Duration.ofSeconds(Long.parseLong(header.get().strip()));
      } catch (NumberFormatException httpDate) {
        return null;
      }
    }
    return null;
  }

  private URI location(HttpTransport.Response response, String what) {
    String location =
        response.header("Location").orElseThrow(
            () -> ContainerException.failure(registry + ": " + what + ": the registry sent no upload location"));
    return HttpTransport.httpUri(base(), location).orElseThrow(() ->
        ContainerException.failure(registry + ": " + what + ": the upload location is not an http or https URL"));
  }

  /** A Content-Length, or -1 when a registry sent something else. */
  private static long length(String header) {
    try {
      return Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "RegistryClient[" + registry + (insecure ? ", insecure" : "") + "]";
  }
}
