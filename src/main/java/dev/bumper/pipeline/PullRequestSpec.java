package dev.bumper.pipeline;

import dev.bumper.provider.MergeMethod;
import java.util.List;
import java.util.Map;

/**
 * How a change becomes a pull request: the branch, title and body templates ({@link
 * PullRequestText}), who and what it is labelled with, whether it is a draft, and whether it is
 * merged by the provider once checks pass ({@code autoMerge}) or at once ({@code merge}, up to
 * {@code mergeAttempts} times when the base moves under it).
 *
 * @param values the template values the run knows: {@code sha}, {@code build_url}, {@code repo}
 */
public record PullRequestSpec(String branchTemplate, String titleTemplate, String bodyTemplate,
    List<String> labels, List<String> reviewers, List<String> assignees, boolean draft,
    boolean autoMerge, boolean merge, MergeMethod method, int mergeAttempts,
    Map<String, String> values) {
  public PullRequestSpec {
    labels = List.copyOf(labels);
    reviewers = List.copyOf(reviewers);
    assignees = List.copyOf(assignees);
    values = Map.copyOf(values);
  }
}
