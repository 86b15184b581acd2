package dev.bumper.provider;

/**
 * An open pull request (GitHub) or merge request (GitLab), as the provider reports it.
 *
 * @param number GitHub's number, GitLab's {@code iid}
 * @param url the page a person opens
 * @param headSha the commit the request's branch points at
 */
public record PullRequest(long number, String url, String head, String base, String headSha,
    String title, String body, boolean draft) {}
