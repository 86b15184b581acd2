package dev.bumper.provider;

import dev.bumper.provider.FakeGitHub.Pull;
import dev.bumper.provider.GitHubGraphQl.Refusal;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;

/**
 * The GraphQL side of a {@link FakeGitHub}: auto-merge, which GitHub offers only through its
 * GraphQL mutation {@code enablePullRequestAutoMerge}, on the fake's pull requests found by their
 * {@code node_id}. Apart from FakeGitHub so that only the tests that use GraphQL need GitHub's
 * GraphQL schema.
 */
public final class FakeGitHubGraphQl {
  private static final String TIME = "2011-01-26T19:01:12Z";

  private final FakeGitHub github;
  private final Queue<String> refusals = new ArrayDeque<>();

  private FakeGitHubGraphQl(FakeGitHub github) {
    this.github = github;
  }

  /** Answers the GraphQL requests to {@code github}'s server from {@code github}'s state. */
  public static FakeGitHubGraphQl serve(FakeGitHub github) {
    FakeGitHubGraphQl fake = new FakeGitHubGraphQl(github);
    GitHubGraphQl.serve(github.server())
        .answer("enablePullRequestAutoMerge", fake::enablePullRequestAutoMerge);
    return fake;
  }

  /**
   * Refuses the next auto-merge with GitHub's {@code message}, as GitHub refuses one when the
   * repository does not allow auto-merge, or the pull request can be merged already.
   */
  public synchronized FakeGitHubGraphQl refuseNextAutoMerge(String message) {
    refusals.add(message);
    return this;
  }

  private synchronized Object enablePullRequestAutoMerge(Map<String, Object> arguments) {
    @SuppressWarnings("unchecked")
    Map<String, Object> input = (Map<String, Object>) arguments.get("input");
    String id = (String) input.get("pullRequestId");
    Pull pull = github.pullByNodeId(id).orElseThrow(() -> new Refusal("NOT_FOUND",
        "Could not resolve to a node with the global id of '" + id + "'"));
    if (!pull.state().equals("open")) {
      throw new Refusal("UNPROCESSABLE", "Pull request is not in the correct state to enable"
          + " auto-merge");
    }
    String refusal = refusals.poll();
    if (refusal != null) {
      throw new Refusal("UNPROCESSABLE", refusal);
    }
    // the schema's default when the mutation names no method
    String method = String.valueOf(input.getOrDefault("mergeMethod", "MERGE"));
    github.enableAutoMerge(pull, method);

    Map<String, Object> autoMerge = new LinkedHashMap<>();
    autoMerge.put("__typename", "AutoMergeRequest");
    autoMerge.put("mergeMethod", method);
    autoMerge.put("enabledAt", TIME);
    autoMerge.put("commitHeadline", input.get("commitHeadline"));
    autoMerge.put("commitBody", input.get("commitBody"));
    autoMerge.put("authorEmail", input.get("authorEmail"));
    Map<String, Object> pullRequest = new LinkedHashMap<>();
    pullRequest.put("__typename", "PullRequest");
    pullRequest.put("id", pull.nodeId());
    pullRequest.put("number", pull.number());
    pullRequest.put("title", pull.title());
    pullRequest.put("headRefName", pull.head());
    pullRequest.put("baseRefName", pull.base());
    pullRequest.put("state", "OPEN");
    pullRequest.put("isDraft", pull.draft());
    pullRequest.put("autoMergeRequest", autoMerge);
    autoMerge.put("pullRequest", pullRequest);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("__typename", "EnablePullRequestAutoMergePayload");
    payload.put("clientMutationId", input.get("clientMutationId"));
    payload.put("pullRequest", pullRequest);
    return payload;
  }
}
