package dev.bumper.container;

import dev.bumper.io.JsonReader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a registry's failures become: a {@link TransientException} when trying again may cure them
 * (the retry policy's to handle), otherwise a {@link ContainerException} whose message names the
 * registry, the operation and the registry's own error codes, with every secret masked.
 */
final class RegistryErrors {
  private final RegistryEndpoint endpoint;
  private final RegistryAccess access;

  RegistryErrors(RegistryEndpoint endpoint, RegistryAccess access) {
    this.endpoint = endpoint;
    this.access = access;
  }

  /**
   * Throws for an answer that is not a success: transient ones for the retry policy, the rest as a
   * {@link ContainerException} naming the registry's reasons. Returns for a success.
   *
   * @param repository the repository, or null for the registry as a whole
   */
  void check(HttpTransport.Response response, String what, String repository)
      throws TransientException {
    int status = response.status();
    if (status >= 200 && status < 300) {
      return;
    }
    throw failure(response, what, repository);
  }

  /**
   * The transient failure an answer that is not a success means.
   *
   * @throws ContainerException when it is no transient one
   */
  TransientException failure(HttpTransport.Response response, String what, String repository) {
    int status = response.status();
    String errors = errorsOf(response);
    String on = repository == null ? endpoint.registry() : endpoint.where(repository);
    if (status == 429 || (status >= 500 && status != 501 && status != 505)) {
      return new TransientException(
          on + " answered " + status + errors, null, retryAfter(response));
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

  /** Why a 401 or 403 came: no credentials were found, or those found were refused. */
  String refused(int status, String what) {
    Optional<Credential> credential = access.credentials().forRegistry(endpoint.registry());
    String answer = status == 401 ? "401 Unauthorized" : "403 Forbidden";
    if (credential.isEmpty()) {
      return endpoint.registry() + " requires credentials for " + what + " (" + answer
          + "), and none were found in " + RegistryCredentials.USERNAME_VARIABLE + "/"
          + RegistryCredentials.PASSWORD_VARIABLE + " or Docker's config.json";
    }
    return endpoint.registry() + " refused the credentials from " + credential.get().source()
        + " for " + what + " (" + answer + "): check the user name and password";
  }

  /** The registry's error codes and messages, {@code ": CODE: message; ..."}, masked and short. */
  String errorsOf(HttpTransport.Response response) {
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

  /** How long a 429 or 5xx asked to wait, in seconds; null for none or an HTTP date. */
  static Duration retryAfter(HttpTransport.Response response) {
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

  /**
   * The transient failure a request that got no answer means.
   *
   * @throws ContainerException for what no retry cures: an answer too large, plain HTTP where TLS
   *     was expected, a certificate that is not trusted
   */
  TransientException ioFailure(IOException e) {
    String registry = endpoint.registry();
    if (e instanceof HttpTransport.AnswerTooLargeException) {
      throw ContainerException.failure(e.getMessage());
    }
    if (isPlainHttpAnswer(e)) {
      // No retry makes a plain-HTTP server speak TLS; the fix is the user's to make.
      throw ContainerException.failure(
          registry + " answered in plain HTTP where TLS was expected (" + describe(e)
              + "): it is a plain-HTTP registry; to reach it so, use --insecure-registry "
              + registry + " (its credentials then travel unencrypted)");
    }
    if (isCertificateProblem(e)) {
      throw ContainerException.failure(
          "the TLS certificate of " + registry + " is not trusted (" + describe(e)
              + "); for a registry with a self-signed certificate, use --insecure-registry "
              + registry);
    }
    return new TransientException("connection to " + registry + " failed: " + describe(e), e);
  }

  /**
   * Whether a TLS handshake got a plain-HTTP answer: the JDK names its first bytes no TLS record.
   */
  private static boolean isPlainHttpAnswer(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (t instanceof javax.net.ssl.SSLException
          && message != null
          && (message.contains("Unsupported or unrecognized SSL message")
              || message.contains("plaintext connection"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isCertificateProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException
          || t.getClass().getName().endsWith("ValidatorException")) {
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
    return access.secrets().mask(
        e.getClass().getSimpleName() + (message == null ? "" : ": " + message));
  }
}
