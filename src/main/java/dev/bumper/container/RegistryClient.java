package dev.bumper.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A small client for the blob and manifest endpoints of the OCI Distribution API, for what Jib
 * cannot do: push a tarball's manifest exactly as it is (so the digest stays the same), copy an
 * image between repositories without rebuilding it, and look up a tag's digest.
 *
 * <p>The operations are here; how the registry is reached is in the parts it is made of: {@link
 * RegistryProbe} finds the protocol and the challenge, {@link RegistryAuthenticator} and {@link
 * BearerTokens} authenticate, {@link RegistryRequests} sends (following {@link Redirects}, with
 * credentials only where {@link CredentialScope} allows) and {@link RegistryErrors} reports. Each
 * public operation is retried by the {@link RetryPolicy} on connection errors, 5xx, 429 and {@code
 * BLOB_UPLOAD_UNKNOWN}; other answers are reported with the registry's own error codes.
 * Thread-safe: blobs are uploaded in parallel.
 */
public final class RegistryClient {
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String MANIFEST_ACCEPT =
      String.join(", ", OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  private final RegistryAccess access;
  private final RegistryEndpoint endpoint;
  private final RegistryErrors errors;
  private final RegistryProbe probe;
  private final RegistryRequests requests;

  RegistryClient(String registry, RegistryAccess access) {
    this.access = access;
    this.endpoint = new RegistryEndpoint(registry, access.insecure().contains(registry));
    HttpTransport transport = access.transport(endpoint.insecure());
    this.errors = new RegistryErrors(endpoint, access);
    this.probe = new RegistryProbe(endpoint, transport, errors, access::verbose);
    CredentialScope scope = new CredentialScope(endpoint, access.insecure());
    BearerTokens tokens = new BearerTokens(endpoint, scope, transport, errors, access);
    RegistryAuthenticator authenticator =
        new RegistryAuthenticator(registry, probe, tokens, access);
    this.requests = new RegistryRequests(endpoint, scope, authenticator, transport, errors);
  }

  public String registry() {
    return endpoint.registry();
  }

  /** A manifest's bytes as the registry stores them, their media type and digest. */
  public record Manifest(byte[] bytes, String mediaType, String digest) {}
  /**
   * Connects as the first request of a run does (TLS or, for an insecure registry, plain HTTP;
   * the authentication challenge), so that a registry that is down, or whose certificate is not
   * trusted, is reported at once and after bounded retries.
   */
  void connect() {
    access.retry().call("connect to " + endpoint.registry(), () -> {
      probe.ping();
      return null;
    });
  }

  /** The size of the blob in the repository, or empty when the repository does not have it. */
  Optional<Long> blobSize(String repository, String digest) {
    return access.retry().call(
        "check blob " + Digests.shortForm(digest) + " in " + where(repository),
        () -> {
          HttpTransport.Response response =
              requests.send(
                  "HEAD",
                  path(repository, "blobs/" + digest),
                  List.of(pull(repository)),
                  Map.of(),
                  null,
                  HttpTransport.SHORT_REQUEST);
          if (response.status() == 404) {
            return Optional.empty();
          }
          errors.check(response, "check blob " + Digests.shortForm(digest), repository);
          return Optional.of(
              response.header("Content-Length").map(RegistryClient::length).orElse(-1L));
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
          String query = "?mount=" + RegistryEndpoint.encode(digest)
              + "&from=" + RegistryEndpoint.encode(fromRepository);
          HttpTransport.Response response =
              requests.send(
                  "POST",
                  URI.create(path(repository, "blobs/uploads/") + query),
                  List.of(push(repository), pull(fromRepository)),
                  Map.of(),
                  null,
                  HttpTransport.SHORT_REQUEST);
          if (response.status() == 201) {
            return true;
          }
          if (response.status() == 202) {
            return false;
          }
          errors.check(response, "mount blob " + Digests.shortForm(digest), repository);
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
        requests.send(
            "POST",
            path(repository, "blobs/uploads/"),
            List.of(push(repository)),
            Map.of(),
            null,
            HttpTransport.SHORT_REQUEST);
    if (started.status() != 202) {
      errors.check(started, what, repository);
      throw errors.failure(started, what, repository);
    }
    URI location = endpoint.uploadLocation(started, what);
    String separator = location.getRawQuery() == null ? "?" : "&";
    URI put = URI.create(location + separator + "digest=" + RegistryEndpoint.encode(blob.digest()));
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
              for (int n;
                  left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                out.write(buffer, 0, n);
                sent.accept(n);
                left -= n;
              }
              if (left > 0) {
                throw new IOException(
                    "blob " + Digests.shortForm(blob.digest()) + " ended " + left + " bytes early");
              }
            }
          }
        };
    HttpTransport.Response finished =
        requests.send(
            "PUT",
            put,
            List.of(push(repository)),
            Map.of("Content-Type", "application/octet-stream"),
            body,
            HttpTransport.LONG_REQUEST);
    if (finished.status() != 201 && finished.status() != 204) {
      errors.check(finished, what, repository);
      throw errors.failure(finished, what, repository);
    }
  }

  /** The manifest {@code reference} (a tag or digest) names, as stored. */
  public Manifest manifest(String repository, String reference) {
    return access.retry().call(
        "get manifest " + where(repository) + ":" + reference,
        () -> {
          HttpTransport.Response response =
              requests.send(
                  "GET",
                  path(repository, "manifests/" + reference),
                  List.of(pull(repository)),
                  Map.of("Accept", MANIFEST_ACCEPT),
                  null,
                  HttpTransport.SHORT_REQUEST);
          if (response.status() != 200) {
            if (response.status() == 404) {
              throw ContainerException.failure(
                  "no tag or digest " + reference + " in " + where(repository) + " (404"
                      + errors.errorsOf(response) + ")");
            }
            errors.check(response, "get manifest " + reference, repository);
            throw errors.failure(response, "get manifest " + reference, repository);
          }
          byte[] bytes = response.body();
          String digest = Digests.of(bytes);
          if (reference.startsWith("sha256:") && !reference.equals(digest)) {
            throw ContainerException.failure(
                where(repository) + " answered manifest " + reference
                    + " with bytes whose digest is " + digest);
          }
          String said = response.header("Docker-Content-Digest").orElse(digest);
          if (!said.equals(digest)) {
            throw ContainerException.failure(where(repository) + " says manifest " + reference
                + " is " + said + ", but the bytes it sent are " + digest);
          }
          String type = response.header("Content-Type").orElse("");
          int semicolon = type.indexOf(';');
          return new Manifest(
              bytes, (semicolon < 0 ? type : type.substring(0, semicolon)).strip(), digest);
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
        "push manifest " + where(repository) + (reference.startsWith("sha256:") ? "@" : ":")
            + reference,
        () -> {
          HttpTransport.Response response =
              requests.send(
                  "PUT",
                  path(repository, "manifests/" + reference),
                  List.of(push(repository)),
                  Map.of("Content-Type", mediaType),
                  HttpTransport.Body.of(bytes),
                  HttpTransport.SHORT_REQUEST);
          if (response.status() != 201 && response.status() != 200 && response.status() != 202) {
            errors.check(response, "push manifest " + reference, repository);
            throw errors.failure(response, "push manifest " + reference, repository);
          }
          String stored = response.header("Docker-Content-Digest").orElse(digest);
          if (!stored.equals(digest)) {
            throw ContainerException.failure(
                where(repository) + " stored manifest " + reference + " as " + stored
                    + ", not as the " + digest + " that was sent");
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
      HttpTransport.Streamed response = requests.stream(uri, List.of(pull(repository)));
      if (response.status() == 200) {
        return response.body();
      }
      response.discard();
      throw new IOException(where(repository) + " answered " + response.status() + " for blob "
          + Digests.shortForm(digest));
    } catch (TransientException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The URL of an endpoint; the first call asks the registry how to connect and authenticate. */
  private URI path(String repository, String rest) throws TransientException {
    probe.ping();
    return endpoint.url(repository, rest);
  }

  private String where(String repository) {
    return endpoint.where(repository);
  }

  private static String pull(String repository) {
    return "repository:" + repository + ":pull";
  }

  private static String push(String repository) {
    return "repository:" + repository + ":pull,push";
  }

  /** A Content-Length, or -1 when a registry sent something else. */
  private static long length(String header) {
    try {
      return Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String toString() {
    return "RegistryClient[" + endpoint.registry() + (endpoint.insecure() ? ", insecure" : "")
        + "]";
  }
}
