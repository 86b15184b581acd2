package dev.bumper.cli;

import dev.bumper.ci.CiEnvironment;
import dev.bumper.failure.UsageException;
import dev.bumper.git.RemoteUrl;
import dev.bumper.pipeline.Pipeline;
import dev.bumper.pipeline.PullRequestSpec;
import dev.bumper.pipeline.PullRequestText;
import dev.bumper.provider.GitHubAppKey;
import dev.bumper.provider.GitHubAppToken;
import dev.bumper.provider.MergeMethod;
import dev.bumper.provider.ProviderTarget;
import dev.bumper.provider.Providers;
import dev.bumper.provider.PullRequests;
import java.net.URI;
import java.nio.file.Path;
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
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Option(
      names = "--pull-request",
      description = "With --repo: commit the change on a branch named after it and open a pull"
          + " request (GitHub) or merge request (GitLab) into --branch, or update the one open"
          + " from that branch.")
  boolean pullRequest;

  @Option(
      names = "--pr-branch",
      paramLabel = "TEMPLATE",
      description = "The pull request's branch; may use {base}, {target} (the edit's paths and"
          + " images), {sha}, {short_sha}, {repo} (default: " + PullRequestText.DEFAULT_BRANCH
          + ").")
  String branchTemplate = PullRequestText.DEFAULT_BRANCH;

  @Option(
      names = "--pr-title",
      paramLabel = "TEMPLATE",
      description = "Title; may use {summary}, {sha}, {short_sha}, {build_url}, {repo} (default:"
          + " {summary}).")
  String titleTemplate = PullRequestText.DEFAULT_TITLE;

  @Option(
      names = "--pr-body",
      paramLabel = "TEMPLATE",
      description = "Body; may use {changes} (a table: file, old, new), {summary}, {sha},"
          + " {short_sha}, {source_commit}, {build_url}, {repo} (default: the table, the source"
          + " commit and the build).")
  String bodyTemplate = PullRequestText.DEFAULT_BODY;

  @Option(
      names = "--label",
      paramLabel = "LABEL",
      split = ",",
      description = "Add a label (repeatable).")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--reviewer",
      paramLabel = "USER",
      split = ",",
      description = "Request a review from USER, or on GitHub a team ORG/TEAM (repeatable).")
  List<String> reviewers = new ArrayList<>();

  @Option(
      names = "--assignee",
      paramLabel = "USER",
      split = ",",
      description = "Assign USER (repeatable).")
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
      description = "Merge the pull request now; when the base moved under it, build the branch"
          + " again"
          + " on the new base and try again, up to --merge-attempts times.")
  boolean merge;

  @Option(
      names = "--merge-method",
      paramLabel = "merge|squash|rebase",
      description = "How --merge and --auto-merge merge (default: merge).")
  String mergeMethod = "merge";

  @Option(
      names = "--merge-attempts",
      paramLabel = "N",
      description = "Merges to try with --merge (default: 5).")
  int mergeAttempts = 5;

  @Option(
      names = "--provider",
      paramLabel = "github|gitlab",
      description = "The provider hosting --repo (default: from its host: github.com is GitHub,"
          + " gitlab.com"
          + " and gitlab.* are GitLab, any other host GitHub Enterprise).")
  String provider;

  @Option(
      names = "--api-url",
      paramLabel = "URL",
      description = "The provider's API root (default: https://api.github.com/,"
          + " https://HOST/api/v3/ for"
          + " GitHub Enterprise, https://HOST/api/v4/ for GitLab).")
  URI apiUrl;

  @Option(
      names = "--github-app-id",
      paramLabel = "ID",
      description = "Act as this GitHub App (its app ID or client ID) instead of with a token;"
          + " default:"
          + " BUMPER_GITHUB_APP_ID. Its installation token is used for the API and the git push.")
  String appId;

  @Option(
      names = "--github-app-key",
      paramLabel = "FILE",
      description = "The GitHub App's private key (PEM); default: the PEM text in"
          + " BUMPER_GITHUB_APP_PRIVATE_KEY.")
  Path appKey;

  @Option(
      names = "--github-app-installation",
      paramLabel = "ID",
      description = "The app's installation ID; default: BUMPER_GITHUB_APP_INSTALLATION_ID, else"
          + " the"
          + " installation on the repository, looked up.")
  Long appInstallation;

  private GitHubAppToken app;

  /**
   * The environment git's credentials come from: with --pull-request, a GitHub App's
   * installation token, or the provider's token when {@code GIT_TOKEN} is not set: what may open
   * requests on the repository may push to it.
   */
  Map<String, String> gitEnv(Bumper root, RemoteUrl repo) {
    Map<String, String> env = root.env();
    if (!pullRequest || repo == null) {
      return env;
    }
    Map<String, String> withToken = new LinkedHashMap<>(env);
    GitHubAppToken installation = app(root, repo);
    if (installation != null) {
      withToken.put("GIT_USERNAME", GitHubAppToken.GIT_USER);
      withToken.put("GIT_TOKEN", installation.token());
      return withToken;
    }
    String given = env.get("GIT_TOKEN");
    if (given != null && !given.isBlank()) {
      return env;
    }
    withToken.put("GIT_TOKEN", Providers.token(target(repo), env));
    return withToken;
  }

  /** The GitHub App's token source, when one is configured; made once per run. */
  private GitHubAppToken app(Bumper root, RemoteUrl repo) {
    Map<String, String> env = root.env();
    String id = appId != null ? appId : env.get("BUMPER_GITHUB_APP_ID");
    if (id == null || id.isBlank()) {
      if (appKey != null || appInstallation != null) {
        throw new UsageException("--github-app-key and --github-app-installation need"
            + " --github-app-id (or BUMPER_GITHUB_APP_ID)");
      }
      return null;
    }
    if (app != null) {
      return app;
    }
    ProviderTarget target = target(repo);
    if (target.kind() != ProviderTarget.Kind.GITHUB) {
      throw new UsageException(
          "--github-app-id: a GitHub App works on GitHub, not " + repo.redacted());
    }
    String pem = env.get("BUMPER_GITHUB_APP_PRIVATE_KEY");
    GitHubAppKey key;
    if (appKey != null) {
      key = GitHubAppKey.read(appKey, root.secrets());
    } else if (pem != null && !pem.isBlank()) {
      key = GitHubAppKey.parse(pem, "BUMPER_GITHUB_APP_PRIVATE_KEY", root.secrets());
    } else {
      throw new UsageException("--github-app-id needs the app's private key: --github-app-key FILE"
          + " or BUMPER_GITHUB_APP_PRIVATE_KEY");
    }
    // the token reaches the config repo alone, however many repositories the app is on
    GitHubAppToken.Builder builder =
        GitHubAppToken.builder(id, key).repository(target.path()).onlyThisRepository();
    String installation = env.get("BUMPER_GITHUB_APP_INSTALLATION_ID");
    if (appInstallation != null) {
      builder.installation(appInstallation);
    } else if (installation != null && !installation.isBlank()) {
      try {
        builder.installation(Long.parseLong(installation.strip()));
      } catch (NumberFormatException e) {
        throw new UsageException("BUMPER_GITHUB_APP_INSTALLATION_ID: not a number");
      }
    }
    app = builder.build(auth -> Providers.gitHubApi(target.api(), auth, root.secrets(), TIMEOUT),
        root.secrets());
    return app;
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
        throw new UsageException("--auto-merge, --merge, --draft, --label, --reviewer and"
            + " --assignee"
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
    if (draft && (autoMerge || merge)) {
      throw new UsageException("--draft with --auto-merge or --merge: a draft is not merged");
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
    return () -> {
      GitHubAppToken installation = app(root, repo);
      return installation != null
          ? Providers.open(target, installation, root.secrets(), TIMEOUT)
          : Providers.open(target, Providers.token(target, root.env()), root.secrets(), TIMEOUT);
    };
  }

  /**
   * The pipeline of an edit command: pushes as {@code commit} says, with git's credentials from
   * {@link #gitEnv}, and through a pull request when asked.
   */
  Pipeline pipeline(Bumper root, CommitOptions commit, String repo) {
    Pipeline pipeline =
        new Pipeline(() -> commit.pushing(root, gitEnv(root, url(repo))), root.console());
    configure(pipeline, root, repo);
    return pipeline;
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
