package dev.bumper.ci;

import java.util.Map;

/**
 * What the CI running bumper knows about the build: the source commit (on a pull request, its
 * head, not the merge commit), branch, tag, repository URL and build URL. Empty strings where
 * unknown. Semaphore first; GitHub Actions and GitLab CI as well.
 */
public record CiEnvironment(String name, String commit, String branch, String tag, String repoUrl, String buildUrl) {
  public static final CiEnvironment NONE = new CiEnvironment("", "", "", "", "", "");

  public static CiEnvironment detect(Map<String, String> env) {
    if ("true".equals(env.get("SEMAPHORE"))) {
      return semaphore(env);
    }
    if ("true".equals(env.get("GITHUB_ACTIONS"))) {
      return github(env);
    }
    if ("true".equals(env.get("GITLAB_CI"))) {
      return new CiEnvironment(
          "gitlab",
          first(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "CI_COMMIT_SHA"),
          first(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_BRANCH"),
          get(env, "CI_COMMIT_TAG"),
          get(env, "CI_PROJECT_URL"),
          get(env, "CI_PIPELINE_URL"));
    }
    return NONE;
  }

  private static CiEnvironment semaphore(Map<String, String> env) {
    String branch = first(env, "SEMAPHORE_GIT_WORKING_BRANCH", "SEMAPHORE_GIT_BRANCH");
    String tag = get(env, "SEMAPHORE_GIT_TAG_NAME");
    if (branch.startsWith("refs/tags/")) {
      // on tag builds Semaphore puts the tag ref where the branch goes
      tag = tag.isEmpty() ? branch.substring("refs/tags/".length()) : tag;
      branch = "";
    }
    String organization = get(env, "SEMAPHORE_ORGANIZATION_URL");
    String workflow = get(env, "SEMAPHORE_WORKFLOW_ID");
    String buildUrl = organization.isEmpty() || workflow.isEmpty() ? "" : organization + "/workflows/" + workflow;
    return new CiEnvironment(
        "semaphore",
        first(env, "SEMAPHORE_GIT_PR_SHA", "SEMAPHORE_GIT_SHA"),
        branch,
        tag,
        get(env, "SEMAPHORE_GIT_URL"),
        buildUrl);
  }

  private static CiEnvironment github(Map<String, String> env) {
    String server = first(env, "GITHUB_SERVER_URL");
    String repo = get(env, "GITHUB_REPOSITORY");
    String runId = get(env, "GITHUB_RUN_ID");
    String refType = get(env, "GITHUB_REF_TYPE");
    return new CiEnvironment(
        "github",
        get(env, "GITHUB_SHA"),
        "tag".equals(refType) ? "" : first(env, "GITHUB_HEAD_REF", "GITHUB_REF_NAME"),
        "tag".equals(refType) ? get(env, "GITHUB_REF_NAME") : "",
        server.isEmpty() || repo.isEmpty() ? "" : server + "/" + repo,
        server.isEmpty() || repo.isEmpty() || runId.isEmpty() ? "" : server + "/" + repo + "/actions/runs/" + runId);
  }

  private static String get(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null ? "" : value.strip();
  }

  private static String first(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = get(env, name);
      if (!value.isEmpty()) {
        return value;
      }
    }
    return "";
  }
}
