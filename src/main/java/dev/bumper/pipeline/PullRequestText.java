package dev.bumper.pipeline;

import dev.bumper.edit.ArgoCdSourceEdit;
import dev.bumper.edit.ArgoCdSourceEditResult;
import dev.bumper.edit.Edit;
import dev.bumper.edit.EditResult;
import dev.bumper.edit.EnvironmentEditResult;
import dev.bumper.edit.KustomizationEdit;
import dev.bumper.edit.KustomizationEditResult;
import dev.bumper.edit.ManifestEdit;
import dev.bumper.edit.ManifestEditResult;
import dev.bumper.edit.PromoteEdit;
import dev.bumper.edit.PromoteEditResult;
import dev.bumper.edit.ReleaseEdit;
import dev.bumper.edit.RollbackEdit;
import dev.bumper.failure.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a pull request is called and says, from templates: its branch, named after what the edit
 * targets (so that the next run for the same target finds it, whatever the new tag), its title
 * and its body, a table of the changes with the source commit and the build.
 *
 * <p>Placeholders: {@code {base}} (the target branch), {@code {target}} (the edit's paths and
 * images as one branch-safe name), {@code {summary}}, {@code {changes}} (the table), {@code {sha}},
 * {@code {short_sha}}, {@code {build_url}}, {@code {repo}}, {@code {source_repo}}, {@code
 * {source_commit}} (the source commit as a link into its repository when that is known).
 */
public final class PullRequestText {
  public static final String DEFAULT_BRANCH = "bumper/{base}/{target}";
  public static final String DEFAULT_TITLE = "{summary}";
  public static final String DEFAULT_BODY = """
      {changes}

      Source commit: {source_commit}
      Build: {build_url}
      """;
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._/-]+");

  private PullRequestText() {}

  /** The branch for {@code edit} into {@code base}, a valid git branch name. */
  public static String branch(String template, Edit edit, String base, Map<String, String> values) {
    return branch(template, List.of(edit), base, values);
  }

  /** The branch for {@code edits} into {@code base}: their targets, one after the other. */
  public static String branch(String template, List<Edit> edits, String base,
      Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(values);
    all.put("base", base);
    List<String> targets = new ArrayList<>();
    edits.forEach(edit -> targets.add(target(edit)));
    String target = String.join("-", new LinkedHashSet<>(targets));
    all.put("target", target.length() > 100 ? target.substring(0, 100) : target);
    String name = render(template, all);
    // git check-ref-format: no empty, dot-led or .lock-ended component, no "..", no end in "."
    List<String> components = new ArrayList<>();
    for (String component : UNSAFE.matcher(name).replaceAll("-").split("/")) {
      String clean = component.replaceAll("\\.{2,}", ".").replaceAll("^[.-]+", "")
          .replaceAll("\\.+$", "").replaceAll("\\.lock$", "-lock");
      if (!clean.isEmpty()) {
        components.add(clean);
      }
    }
    String safe = String.join("/", components);
    if (safe.isEmpty() || safe.equals(base)) {
      throw new UsageException("--pr-branch " + template + ": makes no branch name of its own ("
          + name + ")");
    }
    return safe;
  }

  /** What the edit targets, as one name: its paths, then its images' names or its keys. */
  static String target(Edit edit) {
    // paths, then images and keys, each sorted, paths without ./ or a trailing /: one target
    // always names one branch, however its arguments were ordered or written
    Set<String> paths = new TreeSet<>();
    Set<String> parts = new TreeSet<>();
    if (edit instanceof ManifestEdit manifest) {
      manifest.paths().forEach(path -> paths.add(path.replaceAll("^(\\./)+", "")
          .replaceAll("/+$", "")));
      manifest.images().forEach(image -> parts.add(imageName(image.toString())));
      manifest.sets().forEach(set -> parts.add(set.toString().split("=", 2)[0]));
      manifest.policies().forEach(policy -> parts.add(policy.policy()));
    } else if (edit instanceof KustomizationEdit kustomization) {
      String file = kustomization.file() == null ? "" : kustomization.file();
      int slash = file.lastIndexOf('/');
      if (slash > 0) {
        paths.add(file.substring(0, slash));
      }
      kustomization.specs().forEach(spec -> parts.add(imageName(spec)));
    } else if (edit instanceof ArgoCdSourceEdit argoCd) {
      parts.add("argocd-" + argoCd.app());
      argoCd.images().forEach(image -> parts.add(imageName(image.toString())));
    } else if (edit instanceof PromoteEdit promote) {
      // the environments in their order: from staging to production
      return clean("promote-" + promote.from() + "-to-" + promote.to());
    } else if (edit instanceof RollbackEdit rollback) {
      return clean("rollback-" + rollback.path());
    } else if (edit instanceof ReleaseEdit release) {
      return clean("release-" + release.path());
    }
    List<String> cleaned = new ArrayList<>();
    paths.forEach(path -> cleaned.add(UNSAFE.matcher(path).replaceAll("-")));
    parts.forEach(part -> cleaned.add(UNSAFE.matcher(part).replaceAll("-")));
    String joined = String.join("-", cleaned).replace('/', '-');
    return joined.length() > 100 ? joined.substring(0, 100) : joined;
  }

  private static String clean(String target) {
    String joined = UNSAFE.matcher(target.replaceAll("/+$", "")).replaceAll("-").replace('/', '-');
    return joined.length() > 100 ? joined.substring(0, 100) : joined;
  }

  /** The last component of the repository an image spec names: {@code web} of {@code a/web:1}. */
  static String imageName(String spec) {
    String name = spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : spec;
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
    }
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    if (colon > slash) {
      name = name.substring(0, colon);
    }
    return name.substring(name.lastIndexOf('/') + 1);
  }

  /** The title: one line, at most 256 characters (GitLab's limit is 255 bytes' worth). */
  public static String title(String template, List<String> summaries, Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(values);
    all.put("summary", summary(summaries));
    String title = render(template, all).replaceAll("\\s+", " ").strip();
    return title.length() > 250 ? title.substring(0, 249) + "…" : title;
  }

  /** The body, with {@code {changes}} as a Markdown table of the changes. */
  public static String body(String template, List<String> summaries, List<EditResult> results,
      Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(values);
    all.put("summary", summary(summaries));
    all.put("changes", table(results, summaries));
    return render(template, all).strip() + "\n";
  }

  static String summary(List<String> summaries) {
    if (summaries.isEmpty()) {
      return "Update config";
    }
    String first = summaries.get(0);
    return summaries.size() == 1 ? first : first + " (and " + (summaries.size() - 1) + " more)";
  }

  /** The changes as rows of file, old and new. */
  static String table(List<EditResult> results, List<String> summaries) {
    List<String[]> rows = new ArrayList<>();
    results.forEach(result -> rows.addAll(rows(result)));
    if (rows.isEmpty()) {
      return String.join("\n", summaries);
    }
    StringBuilder table = new StringBuilder("| file | old | new |\n|---|---|---|\n");
    for (String[] row : rows) {
      table.append("| ").append(cell(row[0])).append(" | ").append(cell(row[1])).append(" | ")
          .append(cell(row[2])).append(" |\n");
    }
    return table.toString().strip();
  }

  /** One edit's changes as rows of file, old and new. */
  private static List<String[]> rows(EditResult result) {
    List<String[]> rows = new ArrayList<>();
    if (result instanceof ManifestEditResult manifest) {
      manifest.changes().forEach(change -> rows.add(
          new String[] {change.file() + ":" + change.line(), change.old(), change.now()}));
    } else if (result instanceof KustomizationEditResult kustomization) {
      kustomization.result().changes().forEach(change -> rows.add(new String[] {
          kustomization.source().display() + " (" + change.name() + ")", change.old(),
          change.now()}));
    } else if (result instanceof PromoteEditResult promote) {
      promote.changes().forEach(change -> rows.add(
          new String[] {change.file() + ":" + change.line(), change.old(), change.now()}));
    } else if (result instanceof EnvironmentEditResult environment) {
      environment.changes().forEach(change -> rows.add(
          new String[] {change.file() + ":" + change.line(), change.old(), change.now()}));
    } else if (result instanceof ArgoCdSourceEditResult argoCd) {
      argoCd.images().forEach(image -> rows.add(new String[] {argoCd.file().display(), "", image}));
    }
    return rows;
  }

  private static String cell(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    return "`" + text.replace("|", "\\|").replace("`", "'").replaceAll("\\s+", " ") + "`";
  }

  /** {@code template} with each known placeholder replaced; an unknown one stays as it is. */
  static String render(String template, Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(values);
    String sha = values.getOrDefault("sha", "");
    String shortSha = sha.length() > 7 ? sha.substring(0, 7) : sha;
    all.putIfAbsent("short_sha", shortSha);
    String repo = values.getOrDefault("source_repo", "");
    all.putIfAbsent("source_commit", !sha.isEmpty() && repo.startsWith("https://")
        ? "[" + shortSha + "](" + repo.replaceAll("(\\.git)?/*$", "") + "/commit/" + sha + ")"
        : sha);
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = all.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
