package dev.bumper.cli;

import dev.bumper.ci.CiEnvironment;
import dev.bumper.failure.UsageException;
import dev.bumper.git.RemoteUrl;
import dev.bumper.pipeline.Pipeline;
import dev.bumper.pipeline.PullRequestSpec;
import dev.bumper.pipeline.PullRequestText;
import dev.bumper.provider.MergeMethod;
import dev.bumper.provider.ProviderTarget;
import dev.bumper.provider.Providers;
import dev.bumper.provider.PullRequests;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * Delivering through a pull request (GitHub) or merge request (GitLab): options shared by the
 * commands that commit, as a mixin.
 */
final class PullRequestOptions {
  @Option(
      names = "--pull-request",
      description = "With --repo: commit the change on a branch named after it and open a pull request"
          + " (GitHub) or merge request (GitLab) into --branch, or update the one open from that branch.")
  boolean pullRequest;

  @Option(
      names = "--pr-branch",
      paramLabel = "TEMPLATE",
      description = "The pull request's branch; may use {base}, {target} (the edit's paths and images),"
          + " {sha}, {short_sha}, {repo} (default: " + PullRequestText.DEFAULT_BRANCH + ").")
  String branchTemplate = PullRequestText.DEFAULT_BRANCH;

  @Option(
      names = "--pr-title",
      paramLabel = "TEMPLATE",
      description = "Title; may use {summary}, {sha}, {short_sha}, {build_url}, {repo} (default: {summary}).")
  String titleTemplate = PullRequestText.DEFAULT_TITLE;

  @Option(
      names = "--pr-body",
      paramLabel = "TEMPLATE",
      description = "Body; may use {changes} (a table: file, old, new), {summary}, {sha}, {short_sha},"
          + " {build_url}, {repo} (default: the table, the source commit and the build).")
  String bodyTemplate = PullRequestText.DEFAULT_BODY;

  @Option(names = "--label", paramLabel = "LABEL", split = ",", description = "Add a label (repeatable).")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--reviewer",
      paramLabel = "USER",
      split = ",",
      description = "Request a review from USER, or on GitHub a team ORG/TEAM (repeatable).")
  List<String> reviewers = new ArrayList<>();

  @Option(names = "--assignee", paramLabel = "USER", split = ",", description = "Assign USER (repeatable).")
  List<String> assignees = new ArrayList<>();

  @Option(names = "--draft", description = "Open the pull request as a draft.")
  boolean draft;

  @Option(
      names = "--auto-merge",
      description = "Have the provider merge the pull request once its checks and reviews pass"
          + " (GitHub's auto-merge; GitLab's merge when the pipeline succeeds).")
  boolean autoMerge;

  @Option(
      names = "--merge",
      description = "Merge the pull request now; when the base moved under it, build the branch again"
          + " on the new base and try again, up to --merge-attempts times.")
  boolean merge;

  @Option(
      names = "--merge-method",
      paramLabel = "merge|squash|rebase",
      description = "How --merge and --auto-merge merge (default: merge).")
  String mergeMethod = "merge";

  @Option(names = "--merge-attempts", paramLabel = "N", description = "Merges to try with --merge (default: 5).")
  int mergeAttempts = 5;

  @Option(
      names = "--provider",
      paramLabel = "github|gitlab",
      description = "The provider hosting --repo (default: from its host: github.com is GitHub, gitlab.com"
          + " and gitlab.* are GitLab, any other host GitHub Enterprise).")
  String provider;

  @Option(
      names = "--api-url",
      paramLabel = "URL",
      description = "The provider's API root (default: https://api.github.com/, https://HOST/api/v3/ for"
          + " GitHub Enterprise, https://HOST/api/v4/ for GitLab).")
  URI apiUrl;

  /**
   * The environment git's credentials come from: with --pull-request and no {@code GIT_TOKEN},
   * the provider's token, which may push to the repository it may open requests on.
   */
  Map<String, String> gitEnv(Bumper root, RemoteUrl repo) {
    Map<String, String> env = root.env();
    String given = env.get("GIT_TOKEN");
    if (!pullRequest || repo == null || (given != null && !given.isBlank())) {
      return env;
    }
    String token = Providers.token(target(repo), env);
    Map<String, String> withToken = new LinkedHashMap<>(env);
    withToken.put("GIT_TOKEN", token);
    return withToken;
  }

  private ProviderTarget target(RemoteUrl url) {
    return ProviderTarget.of(url.uri().getHost() == null ? "" : url.uri().getHost(),
        url.uri().getPath() == null ? "" : url.uri().getPath(),
        provider == null ? null : ProviderTarget.Kind.parse(provider), apiUrl);
  }

  /** Whether --pull-request was given. */
  boolean requested() {
    return pullRequest;
  }

  /** How to make the pull request, or null without --pull-request. */
  PullRequestSpec spec(Bumper root, RemoteUrl repo) {
    if (!pullRequest) {
      if (autoMerge || merge || draft || !labels.isEmpty() || !reviewers.isEmpty()
          || !assignees.isEmpty()) {
        throw new UsageException("--auto-merge, --merge, --draft, --label, --reviewer and --assignee"
            + " need --pull-request");
      }
      return null;
    }
    if (repo == null) {
      throw new UsageException("--pull-request needs --repo URL (or, for commit-push, a remote)");
    }
    if (autoMerge && merge) {
      throw new UsageException("--auto-merge and --merge: give one");
    }
    if (mergeAttempts < 1) {
      throw new UsageException("--merge-attempts must be at least 1");
    }
    MergeMethod method;
    try {
      method = MergeMethod.valueOf(mergeMethod.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--merge-method " + mergeMethod + ": merge, squash or rebase");
    }
    CiEnvironment ci = CiEnvironment.detect(root.env());
    Map<String, String> values = new LinkedHashMap<>();
    values.put("sha", ci.commit());
    values.put("build_url", ci.buildUrl());
    values.put("repo", repo.redacted());
    values.put("source_repo", ci.repoUrl());
    return new PullRequestSpec(branchTemplate, titleTemplate, bodyTemplate, labels,
        reviewers, assignees, draft, autoMerge, merge, method, mergeAttempts, values);
  }

  /** The provider's pull requests for {@code repo}, opened when first asked for. */
  Supplier<PullRequests> provider(Bumper root, RemoteUrl repo) {
    ProviderTarget target = target(repo);
    return () -> Providers.open(target, Providers.token(target, root.env()), root.secrets(),
        Duration.ofSeconds(120));
  }

  /** Sets the pipeline up to deliver through a pull request, when asked. */
  void configure(Pipeline pipeline, Bumper root, String repo) {
    PullRequestSpec spec = spec(root, repo == null ? null : Pipeline.url(repo));
    if (spec != null) {
      pipeline.setPullRequest(spec, provider(root, Pipeline.url(repo)));
    }
  }

  /** {@code --repo}'s URL, or null without it. */
  static RemoteUrl url(String repo) {
    return repo == null ? null : Pipeline.url(repo);
  }
}
