package dev.bumper.cli;

import dev.bumper.ci.CiEnvironment;
import dev.bumper.git.CommitSpec;
import dev.bumper.git.NetworkTimeout;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.lib.PersonIdent;
import picocli.CommandLine.Option;

/** How commits are written and pushed: options shared by the commands that push. */
final class CommitOptions {
  static final String DEFAULT_AUTHOR = "bumper <bumper@users.noreply.github.com>";

  @Option(
      names = {"-m", "--message"},
      paramLabel = "TEMPLATE",
      description = "Commit message; may use {summary}, {changes}, {sha}, {short_sha}, {branch}, {repo}, {build_url} (default: {summary}).")
  String template = CommitSpec.DEFAULT_TEMPLATE;

  @Option(names = "--author", paramLabel = "\"NAME <EMAIL>\"", description = "Author and committer (default: " + DEFAULT_AUTHOR + ").")
  String author = DEFAULT_AUTHOR;

  @Option(names = "--skip-ci", description = "Add [skip ci] to the subject, so the config repo's own CI does not run.")
  boolean skipCi;

  @Option(
      names = "--attempts",
      paramLabel = "N",
      description = "Pushes to try when other pipelines push first; each applies the bump again on the new tip (default: 10).")
  int attempts = 10;

  @Option(
      names = "--accept-new-host-keys",
      description = "With an SSH --repo: accept the host key of a host not in ~/.ssh/known_hosts and record it there; a changed key is always refused.")
  boolean acceptNewHostKeys;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Give up on a git server that sends nothing for this long (default: 120; 0 waits forever).")
  int timeoutSeconds = 120;

  /** The settings of each git connection: the timeout, then {@code transport}'s own. */
  TransportConfigCallback network(TransportConfigCallback transport) {
    if (timeoutSeconds < 0) {
      throw new UsageException("--timeout must be 0 (no timeout) or more");
    }
    return new NetworkTimeout(timeoutSeconds, transport);
  }

  CommitSpec spec(CiEnvironment ci, String branch, String repo) {
    PersonIdent person;
    try {
      person = CommitSpec.parseAuthor(author);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (attempts < 1) {
      throw new UsageException("--attempts must be at least 1");
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("sha", ci.commit());
    values.put("branch", branch);
    values.put("repo", repo);
    values.put("build_url", ci.buildUrl());
    Map<String, String> trailers = new LinkedHashMap<>();
    trailers.put("Source-Commit", ci.commit());
    trailers.put("Build-URL", ci.buildUrl());
    return new CommitSpec(person, template, values, trailers, skipCi);
  }
}
