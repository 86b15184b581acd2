package dev.bumper.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secrets of one run, and every form in which they could be printed, so that output can be
 * masked as a last line of defence: whatever a message from git, a server or bumper itself
 * quotes, a token, a password or a credential in a URL is shown as {@code ***}.
 *
 * <p>Secrets come from the environment (the variables bumper reads credentials from, and any
 * variable named like a secret) and from the user info of URLs in the arguments and the
 * environment. Each is masked as written, URL-encoded, base64-encoded, and base64-encoded with
 * a user name as an HTTP Basic {@code Authorization} header carries it. Commands that load
 * credentials from elsewhere (a registry's config file) {@link #add} them.
 */
final class SecretMask {
  /** Variables bumper takes credentials from: always secrets, however short. */
  private static final List<String> CREDENTIALS =
      List.of("GIT_TOKEN", "GIT_PASSWORD", "BUMPER_REGISTRY_PASSWORD", "BUMPER_SIGNING_PASSPHRASE");

  /** Other variables that hold secrets by their name, as CI systems name them. */
  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(TOKEN|PASSWORD|PASSWD|SECRET|PASSPHRASE|CREDENTIAL|PRIVATE_KEY|API_KEY).*");

  /** User names sent with a secret in a Basic header, besides those the run was given. */
  private static final List<String> USERS = List.of("x-access-token", "oauth2", "x-token-auth", "token", "git");

  private static final Pattern URL_USER_INFO = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://([^/@\\s]+)@");

  /** Shorter strings are left alone: masking them would garble ordinary words. */
  private static final int MIN_LENGTH = 4;
  private static final int MIN_NAMED_LENGTH = 8;

  private final Set<String> secrets = new LinkedHashSet<>();
  private final Set<String> users = new LinkedHashSet<>(USERS);
  private List<String> forms = List.of();

  /** The secrets in {@code env} and in the URLs of {@code args} and {@code env}. */
  static SecretMask of(Map<String, String> env, String[] args) {
    SecretMask mask = new SecretMask();
    for (String name : new String[] {"GIT_USERNAME", "BUMPER_REGISTRY_USERNAME"}) {
      String user = env.get(name);
      if (user != null && !user.isEmpty()) {
        mask.users.add(user);
      }
    }
    for (Map.Entry<String, String> variable : env.entrySet()) {
      String name = variable.getKey();
      String value = variable.getValue();
      if (value == null) {
        continue;
      }
      if (CREDENTIALS.contains(name)) {
        mask.secret(value, MIN_LENGTH);
      } else if (SECRET_NAME.matcher(name.toUpperCase(java.util.Locale.ROOT)).matches()) {
        mask.secret(value, MIN_NAMED_LENGTH);
      }
      mask.urls(value);
    }
    for (String arg : args) {
      mask.urls(arg);
    }
    mask.update();
    return mask;
  }

  /** Adds a secret found at run time (a registry password read from a config file). */
  void add(String secret) {
    secret(secret, MIN_LENGTH);
    update();
  }

  boolean isEmpty() {
    return forms.isEmpty();
  }

  /** {@code text} with every form of every secret replaced by {@code ***}. */
  String mask(String text) {
    String masked = text;
    for (String form : forms) {
      if (masked.contains(form)) {
        masked = masked.replace(form, "***");
      }
    }
    return masked;
  }

  private void urls(String text) {
    Matcher m = URL_USER_INFO.matcher(text);
    while (m.find()) {
      String userInfo = m.group(1);
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      if (colon >= 0) {
        secret(userInfo.substring(colon + 1), MIN_LENGTH);
        users.add(user);
      }
      // A token is often given as the user name alone: https://TOKEN@host/org/repo.git
      secret(user, MIN_NAMED_LENGTH);
    }
  }

  private void secret(String value, int minLength) {
    if (value != null && value.length() >= minLength) {
      secrets.add(value);
    }
  }

  /** All forms, longest first, so a form that contains another is masked whole. */
  private void update() {
    Set<String> all = new LinkedHashSet<>();
    Base64.Encoder base64 = Base64.getEncoder();
    for (String secret : secrets) {
      all.add(secret);
      all.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
      all.add(base64.encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
      for (String user : users) {
        all.add(base64.encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8)));
      }
    }
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    forms = List.copyOf(sorted);
  }
}
