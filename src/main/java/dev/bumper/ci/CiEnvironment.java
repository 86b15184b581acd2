package dev.bumper.ci;

import java.util.Map;

/**
 * What the CI running bumper knows about the build: the source commit (on a pull request, its
 * head, not the merge commit), branch, tag, the repository's web address and the build's URL.
 * Empty strings where unknown; a tag build has a tag and no branch.
 *
 * @param name {@code semaphore}, {@code github}, {@code gitlab}, {@code jenkins}, {@code
 *     circleci} or {@code buildkite}; empty outside CI
 */
public record CiEnvironment(String name, String commit, String branch, String tag, String repoUrl, String buildUrl) {
  public static final CiEnvironment NONE = new CiEnvironment("", "", "", "", "", "");

  /**
   * The CI these variables come from: Semaphore first, then GitHub Actions, GitLab CI, Jenkins,
   * CircleCI and Buildkite. On a GitHub Actions pull request this reads the event payload file
   * the environment names; nothing else is read.
   */
  public static CiEnvironment detect(Map<String, String> variables) {
    Env env = new Env(variables);
    if (Semaphore.runs(env)) {
      return Semaphore.environment(env);
    }
    if (GitHubActions.runs(env)) {
      return GitHubActions.environment(env, GitHubEvent.read(env));
    }
    if (GitLabCi.runs(env)) {
      return GitLabCi.environment(env);
    }
    if (Jenkins.runs(env)) {
      return Jenkins.environment(env);
    }
    if (CircleCi.runs(env)) {
      return CircleCi.environment(env);
    }
    if (Buildkite.runs(env)) {
      return Buildkite.environment(env);
    }
    return NONE;
  }
}
