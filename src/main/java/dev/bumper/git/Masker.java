package dev.bumper.git;

import java.util.List;
import java.util.Map;

/**
 * Takes credentials out of messages from JGit and servers before they are printed: the URL in
 * every form it may be printed in, and each secret, shown as {@code ***}.
 */
final class Masker {
  private final RemoteUrl url;
  private final List<String> secrets;

  Masker(RemoteUrl url, List<String> secrets) {
    this.url = url;
    this.secrets = List.copyOf(secrets);
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
    for (String secret : secrets) {
      masked = masked.replace(secret, "***");
    }
    return masked;
  }
}
