package dev.bumper.secret;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secrets of one run, and every form in which they could be printed, so that any text that
 * leaves bumper is masked: whatever a message from git, a registry, a server-side hook or bumper
 * itself quotes, a token, a password or a credential in a URL is shown as {@value #MASK}. One
 * object for the run: the output, git's messages and the registry client all mask with it, and
 * what a command learns at run time (a password from {@code config.json}, a bearer token) is
 * {@link #add added} to it. Thread-safe: uploads run in parallel and may learn new tokens.
 *
 * <p>Secrets come from the environment (the variables bumper reads credentials from, and any
 * variable named like a secret) and from the user info of URLs in the arguments and the
 * environment. Each is masked in every form a server or a library may print it in: as given;
 * percent-encoded as RFC 3986 and as HTML forms encode it, in upper- and lowercase hex; base64,
 * alone and as an HTTP Basic {@code Authorization} header carries it with a user name;
 * JSON-escaped. A server that wraps its lines, or a message cut short, may split a secret: a part
 * of {@value #MIN_PART} or more characters at a line break or at the end of the text is masked
 * too.
 */
public final class SecretMask {
  /**
   * Longest first, so that a form holding another is masked whole. A class, not a lambda: the
   * mask is made before every command, and the first lambda of a run costs its start-up 10-20 ms.
   */
  private static final Comparator<String> LONGEST_FIRST = new Comparator<>() {
    @Override
    public int compare(String a, String b) {
      return Integer.compare(b.length(), a.length());
    }
  };

  /** What a secret is shown as. */
  public static final String MASK = "***";

  /** Variables bumper takes credentials from: always secrets, however short. */
  private static final List<String> CREDENTIALS =
      List.of("GIT_TOKEN", "GIT_PASSWORD", "BUMPER_REGISTRY_PASSWORD", "BUMPER_SIGNING_PASSPHRASE");

  /**
   * Other variables that hold secrets by their name, as CI systems name them: a name holding one
   * of these words. Words, not a pattern: the mask is made before every command, where compiling
   * a regular expression costs start-up time.
   */
  private static final String[] SECRET_NAME_WORDS = {
    "TOKEN", "PASSWORD", "PASSWD", "SECRET", "PASSPHRASE", "CREDENTIAL", "PRIVATE_KEY", "API_KEY"
  };

  /** User names sent with a secret in a Basic header, besides those the run was given. */
  private static final List<String> USERS = List.of("x-access-token", "oauth2", "x-token-auth", "token", "git");

  /** Compiled on first use: only a text with "://" and "@" in it needs it. */
  private static final class UrlUserInfo {
    static final Pattern PATTERN = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://([^/@\\s]+)@");
  }

  /** Shorter strings are left alone: masking them would garble ordinary words. */
  private static final int MIN_LENGTH = 4;

  private static final int MIN_NAMED_LENGTH = 8;

  /**
   * The shortest part of a secret masked at a line break: long enough that ordinary text ends or
   * begins with one only by a chance of about one in 2^40 for a token.
   */
  static final int MIN_PART = 8;

  /** Git's sideband prefix, before a server's or a hook's line. */
  private static final String SIDEBAND = "remote:";

  private final Set<String> secrets = new LinkedHashSet<>();
  private final Set<String> users = new LinkedHashSet<>(USERS);
  private volatile Forms forms = Forms.NONE;
  /** Texts shown as another text, such as a URL with credentials shown as its redacted form. */
  private volatile Map<String, String> shown = Map.of();

  /** An empty mask, for a run that learns its secrets as it goes. */
  public SecretMask() {}

  /** The secrets in {@code env} and in the URLs of {@code args} and {@code env}. */
  public static SecretMask of(Map<String, String> env, String[] args) {
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
      } else if (secretName(name)) {
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

  /** Adds a secret found at run time (a registry password read from a config file, a token). */
  public synchronized void add(String secret) {
    if (secret(secret, MIN_LENGTH)) {
      update();
    }
  }

  /** Adds secrets found at run time. */
  public synchronized void addAll(Collection<String> found) {
    boolean added = false;
    for (String secret : found) {
      added |= secret(secret, MIN_LENGTH);
    }
    if (added) {
      update();
    }
  }

  /** Adds a user name a secret is sent with in a Basic header; the name itself is no secret. */
  public synchronized void addUser(String user) {
    if (user != null && !user.isEmpty() && users.add(user)) {
      update();
    }
  }

  /**
   * Shows {@code text} as {@code shownAs} wherever it is printed, before any secret is masked: a
   * URL with credentials reads as its redacted form, not as a URL with a hole in it.
   */
  public synchronized void show(String text, String shownAs) {
    if (text != null && !text.isEmpty() && !text.equals(shownAs) && !shownAs.equals(shown.get(text))) {
      Map<String, String> next = new LinkedHashMap<>(shown);
      next.put(text, shownAs);
      shown = Collections.unmodifiableMap(next);
    }
  }

  public boolean isEmpty() {
    return forms.all.isEmpty();
  }

  /** {@code text} with every form of every secret, and every part of one at a line break, masked. */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = text;
    for (Map.Entry<String, String> form : shown.entrySet()) {
      if (masked.contains(form.getKey())) {
        masked = masked.replace(form.getKey(), form.getValue());
      }
    }
    Forms current = forms;
    if (current.all.isEmpty()) {
      return masked;
    }
    for (String form : current.all) {
      if (masked.contains(form)) {
        masked = masked.replace(form, MASK);
      }
    }
    return current.parts.isEmpty() ? masked : maskParts(masked, current);
  }

  /** Masks the parts of secrets that end a line (or the text) or begin one. */
  private static String maskParts(String text, Forms current) {
    StringBuilder out = null;
    int start = 0;
    while (start <= text.length()) {
      int newline = text.indexOf('\n', start);
      int end = newline < 0 ? text.length() : newline;
      String line = text.substring(start, end);
      String masked = maskLine(line, current);
      if (out == null && !masked.equals(line)) {
        out = new StringBuilder(text.length()).append(text, 0, start);
      }
      if (out != null) {
        out.append(masked);
        if (newline >= 0) {
          out.append('\n');
        }
      }
      if (newline < 0) {
        break;
      }
      start = newline + 1;
    }
    return out == null ? text : out.toString();
  }

  private static String maskLine(String line, Forms current) {
    if (line.length() < MIN_PART) {
      return line;
    }
    String masked = line;
    // the end: a secret's first part, maybe followed by a quote, a dot or white space
    int tailStart = masked.length();
    while (tailStart > 0 && "\"'\\. \t\r".indexOf(masked.charAt(tailStart - 1)) >= 0) {
      tailStart--;
    }
    if (tailStart >= MIN_PART && current.parts.contains(masked.substring(tailStart - MIN_PART, tailStart))) {
      int longest = longestPrefixEnding(masked, tailStart, current);
      if (longest > 0) {
        masked = masked.substring(0, tailStart - longest) + MASK + masked.substring(tailStart);
      }
    }
    // the start: a secret's last part, after a sideband prefix, quotes or indentation
    int leadEnd = masked.startsWith(SIDEBAND) ? SIDEBAND.length() : 0;
    while (leadEnd < masked.length() && "\"'>| \t".indexOf(masked.charAt(leadEnd)) >= 0) {
      leadEnd++;
    }
    if (masked.length() - leadEnd >= MIN_PART
        && current.parts.contains(masked.substring(leadEnd, leadEnd + MIN_PART))) {
      int longest = longestSuffixStarting(masked, leadEnd, current);
      if (longest > 0) {
        masked = masked.substring(0, leadEnd) + MASK + masked.substring(leadEnd + longest);
      }
    }
    return masked;
  }

  /** The length of the longest first part of a form that {@code line} has just before {@code end}. */
  private static int longestPrefixEnding(String line, int end, Forms current) {
    int best = 0;
    for (String form : current.all) {
      for (int length = Math.min(form.length() - 1, end); length >= MIN_PART && length > best; length--) {
        if (line.startsWith(form.substring(0, length), end - length)) {
          best = length;
          break;
        }
      }
    }
    return best;
  }

  /** The length of the longest last part of a form that {@code line} has from {@code start}. */
  private static int longestSuffixStarting(String line, int start, Forms current) {
    int best = 0;
    for (String form : current.all) {
      for (int length = Math.min(form.length() - 1, line.length() - start); length >= MIN_PART && length > best;
          length--) {
        if (line.startsWith(form.substring(form.length() - length), start)) {
          best = length;
          break;
        }
      }
    }
    return best;
  }

  private static boolean secretName(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    for (String word : SECRET_NAME_WORDS) {
      if (upper.contains(word)) {
        return true;
      }
    }
    return false;
  }

  private void urls(String text) {
    int scheme = text.indexOf("://");
    if (scheme < 0 || text.indexOf('@', scheme) < 0) {
      return;
    }
    Matcher m = UrlUserInfo.PATTERN.matcher(text);
    while (m.find()) {
      String userInfo = m.group(1);
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      if (colon >= 0) {
        String password = userInfo.substring(colon + 1);
        secret(password, MIN_LENGTH);
        // what is sent, and so what a server echoes (a Basic header), is the decoded password
        secret(percentDecoded(password), MIN_LENGTH);
        users.add(user);
        users.add(percentDecoded(user));
      }
      // A token is often given as the user name alone: https://TOKEN@host/org/repo.git
      secret(user, MIN_NAMED_LENGTH);
      secret(percentDecoded(user), MIN_NAMED_LENGTH);
    }
  }

  private boolean secret(String value, int minLength) {
    return value != null && value.length() >= minLength && secrets.add(value);
  }

  /** All forms, longest first, so a form that contains another is masked whole. */
  private void update() {
    Set<String> all = new LinkedHashSet<>();
    Base64.Encoder base64 = Base64.getEncoder();
    for (String secret : secrets) {
      all.add(secret);
      for (boolean lower : new boolean[] {false, true}) {
        all.add(percentEncoded(secret, RFC_3986_UNRESERVED, false, lower));
        all.add(percentEncoded(secret, FORM_UNRESERVED, true, lower));
      }
      all.add(jsonEscaped(secret, false));
      all.add(jsonEscaped(secret, true));
      all.add(base64.encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
      for (String user : users) {
        all.add(base64.encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8)));
      }
    }
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(LONGEST_FIRST);
    Set<String> parts = new HashSet<>();
    for (String form : sorted) {
      for (int i = 0; i + MIN_PART <= form.length() && form.length() > MIN_PART; i++) {
        parts.add(form.substring(i, i + MIN_PART));
      }
    }
    forms = new Forms(List.copyOf(sorted), Set.copyOf(parts));
  }

  /**
   * The forms of the secrets, and every run of {@value #MIN_PART} characters in them: a line that
   * does not end (or begin) with one of those runs holds no part of a secret there, which one set
   * lookup tells.
   */
  private record Forms(List<String> all, Set<String> parts) {
    static final Forms NONE = new Forms(List.of(), Set.of());
  }

  private static final String RFC_3986_UNRESERVED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  private static final String FORM_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._*";

  /** {@code text} percent-encoded as UTF-8, every byte outside {@code unreserved} encoded. */
  static String percentEncoded(String text, String unreserved, boolean spaceAsPlus, boolean lowerHex) {
    StringBuilder out = new StringBuilder(text.length() * 3);
    String hex = lowerHex ? "0123456789abcdef" : "0123456789ABCDEF";
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x80 && unreserved.indexOf(c) >= 0) {
        out.append((char) c);
      } else if (c == ' ' && spaceAsPlus) {
        out.append('+');
      } else {
        out.append('%').append(hex.charAt(c >> 4)).append(hex.charAt(c & 0xf));
      }
    }
    return out.toString();
  }

  /** {@code text} as a JSON string's content; {@code strict}: also {@code /} and non-ASCII escaped. */
  static String jsonEscaped(String text, boolean strict) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '/' -> out.append(strict ? "\\/" : "/");
        default -> {
          if (c < 0x20 || (strict && c > 0x7e)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** {@code text} with its %XX escapes decoded as UTF-8; as it is where it has none or bad ones. */
  private static String percentDecoded(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    try {
      // not URLDecoder alone: it would take a '+' of a URL's user info for a space
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }
}
