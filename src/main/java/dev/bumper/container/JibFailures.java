package dev.bumper.container;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;
import java.util.concurrent.ExecutionException;

/**
 * What went wrong in a Jib build, in bumper's terms: a {@link TransientException} when trying
 * again may help (Jib retries only some I/O errors itself, never a 5xx, a 429 or a lost upload),
 * and otherwise a {@link ContainerException} whose message names the cause without Jib's stack
 * or its issue-tracker footer.
 */
final class JibFailures {
  private final RegistryAccess access;

  JibFailures(RegistryAccess access) {
    this.access = access;
  }

  /**
   * Classifies a failure of {@code containerize}.
   *
   * @return the transient failure to retry
   * @throws ContainerException for a failure that retrying cannot cure
   */
  TransientException classify(Exception failure, String target) {
    Throwable e = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RegistryUnauthorizedException unauthorized) {
        throw ContainerException.failure(unauthorized(unauthorized));
      }
      if (t instanceof RegistryCredentialsNotSentException) {
        throw ContainerException.failure(
            "credentials were not sent to " + target + " because it speaks plain HTTP; use a registry with TLS"
                + " (a self-signed certificate and --insecure-registry will do)");
      }
      if (t instanceof InsecureRegistryException) {
        throw ContainerException.failure(
            "cannot connect securely to the registry of " + target + " (" + mask(rootMessage(t))
                + "): its TLS certificate is not trusted, or it speaks plain HTTP; use --insecure-registry HOST for it");
      }
      if (t instanceof ResponseException response) {
        int status = response.getStatusCode();
        String content = response.getContent() == null ? "" : response.getContent();
        if (status == 429 || (status >= 500 && status != 501 && status != 505)) {
          return new TransientException("the registry answered " + status + " (" + target + ")", e);
        }
        if (content.contains("BLOB_UPLOAD_UNKNOWN")) {
          return new TransientException("the registry lost an upload (" + status + " BLOB_UPLOAD_UNKNOWN)", e);
        }
      }
    }
    if (e instanceof ConnectException) {
      // Jib has already retried it with its own backoff
      throw ContainerException.failure("cannot connect to the registry of " + target + ": " + mask(rootMessage(e)));
    }
    if (e instanceof IOException && !(e instanceof java.nio.file.FileSystemException)) {
      return new TransientException("connection to the registry of " + target + " failed: " + mask(rootMessage(e)), e);
    }
    throw new ContainerException(ContainerException.Kind.FAILURE, mask(describe(e)), e);
  }

  private String unauthorized(RegistryUnauthorizedException e) {
    String image = e.getImageReference();
    String registry = image.contains("/") ? image.substring(0, image.indexOf('/')) : image;
    int status = e.getCause() instanceof ResponseException response ? response.getStatusCode() : 401;
    var credential = access.credentials().forRegistry(registry);
    String answer = status == 403 ? "403 Forbidden" : "401 Unauthorized";
    if (credential.isEmpty()) {
      return registry + " requires credentials for " + image + " (" + answer + "), and none were found in "
          + RegistryCredentials.USERNAME_VARIABLE + "/" + RegistryCredentials.PASSWORD_VARIABLE
          + " or Docker's config.json";
    }
    return registry + " refused the credentials from " + credential.get().source() + " for " + image + " ("
        + answer + "): check the user name and password";
  }

  /** Jib's message without its "please file an issue" footer. */
  private static String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int footer = message.indexOf(" | If this is a bug");
    if (footer >= 0) {
      message = message.substring(0, footer);
    }
    return message.toLowerCase(Locale.ROOT).startsWith("tried to") ? "build failed: " + lowerFirst(message) : message;
  }

  private static String lowerFirst(String text) {
    return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private String mask(String text) {
    return access.secrets().mask(text);
  }
}
