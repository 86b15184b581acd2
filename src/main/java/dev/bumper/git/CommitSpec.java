package dev.bumper.git;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * How bumper's commits read: author, message template and trailers.
 *
 * <p>The template may use {@code {summary}} (a one-line summary of the bumps), {@code {changes}}
 * (one line per bump), {@code {sha}} and {@code {short_sha}} (the source commit CI built),
 * {@code {branch}}, {@code {repo}} and {@code {build_url}}. Trailers record the source commit and
 * the build URL when known, for audit; {@code skipCi} adds {@code [skip ci]} to the subject.
 */
public record CommitSpec(
    PersonIdent author, String template, Map<String, String> values, Map<String, String> trailers, boolean skipCi) {
  public static final String DEFAULT_TEMPLATE = "{summary}";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

  public CommitSpec {
    values = Map.copyOf(values);
    trailers = new LinkedHashMap<>(trailers);
  }

  /** The spec with {@code {branch}} set, when it was not known before the push chose one. */
  public CommitSpec withBranch(String branch) {
    if (!values.getOrDefault("branch", "").isEmpty()) {
      return this;
    }
    Map<String, String> withBranch = new LinkedHashMap<>(values);
    withBranch.put("branch", branch);
    return new CommitSpec(author, template, withBranch, trailers, skipCi);
  }

  /** The spec with {@code name: value} after its own trailers. */
  public CommitSpec withTrailer(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(trailers);
    more.put(name, value);
    return new CommitSpec(author, template, values, more, skipCi);
  }

  /** The spec with {@code more} trailers after its own. */
  public CommitSpec withTrailers(Map<String, String> more) {
    if (more.isEmpty()) {
      return this;
    }
    Map<String, String> all = new LinkedHashMap<>(trailers);
    all.putAll(more);
    return new CommitSpec(author, template, values, all, skipCi);
  }

  /** Parses {@code Name <email>}. */
  public static PersonIdent parseAuthor(String text) {
    Matcher m = Pattern.compile("\\s*([^<>]+?)\\s*<([^<>]*)>\\s*").matcher(text);
    if (!m.matches() || m.group(1).isBlank() || text.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("invalid --author \"" + text + "\": expected \"Name <email>\"");
    }
    return new PersonIdent(m.group(1), m.group(2));
  }

  /** The full message for a set of bump summaries. */
  public String message(List<String> summaries) {
    Map<String, String> all = new LinkedHashMap<>(values);
    all.put("summary", summary(summaries));
    all.put("changes", String.join("\n", summaries));
    String sha = values.getOrDefault("sha", "");
    all.put("short_sha", sha.length() > 7 ? sha.substring(0, 7) : sha);
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder body = new StringBuilder();
    while (m.find()) {
      String value = all.get(m.group(1));
      m.appendReplacement(body, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(body);
    String text = body.toString().strip();
    if (skipCi) {
      int eol = text.indexOf('\n');
      text = eol < 0 ? text + " [skip ci]" : text.substring(0, eol) + " [skip ci]" + text.substring(eol);
    }
    List<String> lines = new ArrayList<>();
    trailers.forEach((k, v) -> {
      if (v != null && !v.isEmpty()) {
        lines.add(k + ": " + v);
      }
    });
    return lines.isEmpty() ? text + "\n" : text + "\n\n" + String.join("\n", lines) + "\n";
  }

  /** {@code web 1.4.1 -> 1.4.2}, or the first change and a count of the others. */
  static String summary(List<String> summaries) {
    if (summaries.isEmpty()) {
      return "Update config";
    }
    String first = summaries.get(0);
    return summaries.size() == 1 ? first : first + " (and " + (summaries.size() - 1) + " more)";
  }
}
