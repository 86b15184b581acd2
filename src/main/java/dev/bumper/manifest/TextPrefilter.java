package dev.bumper.manifest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells from raw text, without parsing, that a file or document cannot match a request, so a run
 * over a large tree parses only the few files that might.
 *
 * <p>An image is always written with each component of its repository path as a whole word: not
 * part of a longer name ({@code web} is not in {@code web2}, {@code website} or
 * {@code web.svc}), and not inside a comment. The components may be apart (a Helm
 * {@code registry: ghcr.io/acme} with {@code repository: web}), so each must appear, not the
 * path as one string. Docker Hub's {@code library/} is often not written, so it is not required.
 * Any other registry is, and then the name is written in at most two pieces: whole (an image,
 * a kustomize entry), or as a Helm chart's {@code registry} and {@code repository} split at one
 * of its slashes ({@code ghcr.io} and {@code acme/web}, or {@code ghcr.io/acme} and {@code web}),
 * the repository piece not right after a slash ({@code docker.io/acme/web} is another image). The
 * registry's part is matched in any case, as a registry's name is. Text with a backslash may spell
 * the name with YAML escapes ({@code "ghcr.io\/acme\/web"}, a line continuation): there the
 * path's components suffice. A word counts as commented out when a {@code #}
 * that starts a comment (at the line start or after a space or tab) comes before it on its line
 * with no quote before that {@code #}; with a quote there, the {@code #} may be inside a string,
 * so the word counts. The Flux marker token, which lives in comments, is matched anywhere.
 */
public final class TextPrefilter {
  /** Text may match when it holds one of these groups. */
  private final List<Group> groups;
  private final List<byte[]> anywhere;

  /**
   * Words that must all appear; or, with a {@code name} (a registry other than Docker Hub's and
   * a path, in lower case), that name whole or as one of its {@code splits}: a registry piece and
   * a repository piece, unless the text may hold escapes, where the words must. Every form of the
   * name ends with its {@code last} path component.
   */
  private record Group(List<byte[]> words, byte[] name, List<byte[][]> splits, byte[] last) {
    static Group ofWords(List<byte[]> words) {
      return new Group(words, null, List.of(), null);
    }

    static Group ofName(List<byte[]> words, String name) {
      List<byte[][]> splits = new ArrayList<>();
      for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
        splits.add(new byte[][] {bytes(name.substring(0, slash)), bytes(name.substring(slash + 1))});
      }
      return new Group(words, bytes(name), splits, bytes(name.substring(name.lastIndexOf('/') + 1)));
    }
  }

  /** What one pass over a text for a name found. */
  private enum NameScan {
    FOUND,
    ABSENT,
    /** Not found, but the text has a backslash: the name may be spelled with escapes. */
    ESCAPED
  }

  private TextPrefilter(List<Group> groups, List<byte[]> anywhere) {
    this.groups = groups;
    this.anywhere = anywhere;
  }

  /** The filter for a request, or null when every file must be parsed. */
  public static TextPrefilter of(BumpRequest request) {
    List<Group> groups = new ArrayList<>();
    List<byte[]> anywhere = new ArrayList<>();
    for (var image : request.images()) {
      // normalized: Docker Hub as docker.io, any other registry in lower case
      String repository = image.target().repository();
      String registry = repository.substring(0, repository.indexOf('/'));
      String path = repository.substring(repository.indexOf('/') + 1);
      if (repository.startsWith("docker.io/library/")) {
        path = path.substring("library/".length());
      }
      List<byte[]> words = new ArrayList<>();
      for (String component : path.split("/")) {
        words.add(bytes(component));
      }
      groups.add(registry.equals("docker.io") ? Group.ofWords(words) : Group.ofName(words, repository));
    }
    for (PathAssignment path : request.paths()) {
      // a key --create-keys may add is not in the text yet: its parent's is
      String key = request.createKeys() ? path.path().parentKey() : path.path().lastKey();
      if (key == null || key.isEmpty()) {
        return null;
      }
      groups.add(Group.ofWords(List.of(bytes(key))));
    }
    if (!request.policies().isEmpty()) {
      anywhere.add(bytes(PolicyMarkers.TOKEN));
    }
    return new TextPrefilter(groups, anywhere);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** False only when the UTF-8 text cannot match. */
  public boolean mayMatch(byte[] text) {
    for (byte[] token : anywhere) {
      if (indexOf(text, token, 0) >= 0) {
        return true;
      }
    }
    for (Group group : groups) {
      if (matchesAll(text, group)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesAll(byte[] text, Group group) {
    if (group.name() != null) {
      NameScan scan = scanForName(text, group);
      if (scan != NameScan.ESCAPED) {
        return scan == NameScan.FOUND;
      }
    }
    for (byte[] word : group.words()) {
      if (!containsWord(text, word, false)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Looks for the group's name in one pass over the text, the pass nearly every file that cannot
   * match ends with: wherever the name's last path component appears (in any case), whether the
   * whole name or a repository piece ends there; and notes a backslash on the way.
   */
  private static NameScan scanForName(byte[] text, Group group) {
    byte[] last = group.last();
    // a lower-case letter matches both cases when its 0x20 bit is set; other bytes match exactly
    int first = last[0];
    int fold = first >= 'a' && first <= 'z' ? 0x20 : 0;
    int lastStart = text.length - last.length;
    boolean escaped = false;
    // whether each split's registry piece is in the text, looked up once: 0 not yet, 1 yes, 2 no
    byte[] registries = new byte[group.splits().size()];
    for (int i = 0; i < text.length; i++) {
      int b = text[i];
      if (b == '\\') {
        escaped = true;
      } else if ((b | fold) == first && i <= lastStart && regionMatchesAnyCase(text, i, last)
          && namedAt(text, group, i + last.length, registries)) {
        return NameScan.FOUND;
      }
    }
    return escaped ? NameScan.ESCAPED : NameScan.ABSENT;
  }

  /**
   * Whether the group's name ends at {@code end}: whole, as a word not commented out; or as a
   * repository piece, not right after a slash, with its registry piece anywhere as a word
   * ({@code registries} remembers, per split, what a look for it found).
   */
  private static boolean namedAt(byte[] text, Group group, int end, byte[] registries) {
    if (end < text.length && isNameByte(text[end])) {
      return false;
    }
    byte[] name = group.name();
    int start = end - name.length;
    if (start >= 0 && regionMatchesAnyCase(text, start, name) && isWord(text, start, name.length)
        && !commentedOut(text, start)) {
      return true;
    }
    for (int k = 0; k < registries.length; k++) {
      byte[][] split = group.splits().get(k);
      byte[] piece = split[1];
      int at = end - piece.length;
      if (at >= 0 && regionMatches(text, at, piece) && isWord(text, at, piece.length)
          && !(at > 0 && text[at - 1] == '/') && !commentedOut(text, at)) {
        if (registries[k] == 0) {
          registries[k] = containsWord(text, split[0], true) ? (byte) 1 : (byte) 2;
        }
        if (registries[k] == 1) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean regionMatches(byte[] text, int at, byte[] word) {
    for (int j = 0; j < word.length; j++) {
      if (text[at + j] != word[j]) {
        return false;
      }
    }
    return true;
  }

  /** {@link #regionMatches} for a lower-case ASCII {@code word} in text of any case. */
  private static boolean regionMatchesAnyCase(byte[] text, int at, byte[] word) {
    for (int j = 0; j < word.length; j++) {
      byte b = text[at + j];
      if (b >= 'A' && b <= 'Z') {
        b += 'a' - 'A';
      }
      if (b != word[j]) {
        return false;
      }
    }
    return true;
  }

  /** @param anyCase whether ASCII letters of {@code word}, in lower case, match in any case */
  private static boolean containsWord(byte[] text, byte[] word, boolean anyCase) {
    int at = 0;
    while ((at = anyCase ? indexOfAnyCase(text, word, at) : indexOf(text, word, at)) >= 0) {
      if (isWord(text, at, word.length) && !commentedOut(text, at)) {
        return true;
      }
      at++;
    }
    return false;
  }

  /** False only when the text cannot match. */
  public boolean mayMatch(String text) {
    return mayMatch(text.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isWord(byte[] text, int at, int length) {
    return (at == 0 || !isNameByte(text[at - 1]))
        && (at + length == text.length || !isNameByte(text[at + length]));
  }

  /** Bytes that continue a repository name or key: letters, digits, '.', '_', '-'. */
  private static boolean isNameByte(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
        || b == '.' || b == '_' || b == '-';
  }

  private static boolean commentedOut(byte[] text, int at) {
    int lineStart = at;
    while (lineStart > 0 && text[lineStart - 1] != '\n' && text[lineStart - 1] != '\r') {
      lineStart--;
    }
    for (int i = lineStart; i < at; i++) {
      byte b = text[i];
      if (b == '"' || b == '\'') {
        return false;
      }
      if (b == '#' && (i == lineStart || text[i - 1] == ' ' || text[i - 1] == '\t')) {
        return true;
      }
    }
    return false;
  }

  static int indexOf(byte[] haystack, byte[] needle, int from) {
    if (needle.length == 0) {
      return from <= haystack.length ? from : -1;
    }
    byte first = needle[0];
    for (int i = from; i <= haystack.length - needle.length; i++) {
      if (haystack[i] == first && regionMatches(haystack, i, needle)) {
        return i;
      }
    }
    return -1;
  }

  /** {@link #indexOf} for a lower-case ASCII {@code needle} in text of any case. */
  static int indexOfAnyCase(byte[] haystack, byte[] needle, int from) {
    for (int i = from; i <= haystack.length - needle.length; i++) {
      if (regionMatchesAnyCase(haystack, i, needle)) {
        return i;
      }
    }
    return -1;
  }
}
