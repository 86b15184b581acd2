package dev.bumper.provider;

import java.util.List;

/**
 * What a pull request says and who it goes to. Labels, reviewers and assignees are added to an
 * existing request, never removed: a person may have added their own.
 */
public record PullRequestContent(String title, String body, boolean draft, List<String> labels,
    List<String> reviewers, List<String> assignees) {
  public PullRequestContent {
    labels = List.copyOf(labels);
    reviewers = List.copyOf(reviewers);
    assignees = List.copyOf(assignees);
  }
}
