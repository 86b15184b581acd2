package dev.bumper.git;

import dev.bumper.secret.SecretMask;
import java.util.Map;

/**
 * Takes credentials out of messages from JGit and servers before they are printed: the URL in
 * every form it may be printed in, shown redacted, then every form of every secret of the run.
 */
final class Masker {
  private final RemoteUrl url;
  private final SecretMask secrets;

  Masker(RemoteUrl url, SecretMask secrets) {
    this.url = url;
    this.secrets = secrets;
  }

  String mask(String message) {
    if (message == null) {
      return "";
    }
    String masked = message;
    for (Map.Entry<String, String> form : url.printedForms().entrySet()) {
      if (!form.getKey().equals(form.getValue())) {
        masked = masked.replace(form.getKey(), form.getValue());
      }
    }
    return secrets.mask(masked);
  }
}
