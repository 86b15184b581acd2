package dev.bumper.ci;

import dev.bumper.io.JsonReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The head of the pull request a GitHub Actions run is for. On pull request events
 * {@code GITHUB_SHA} is the merge commit GitHub made for the run, a commit nobody pushed; the
 * head is only in the event payload, the JSON file {@code GITHUB_EVENT_PATH} names.
 */
record GitHubEvent(String headSha, String headRef) {

  /**
   * The pull request head in the payload of this run's event, read from {@code
   * GITHUB_EVENT_PATH} for pull request events only. Empty when there is none, or when the file
   * cannot be read or is not JSON: the run then falls back to {@code GITHUB_SHA}.
   */
  static Optional<GitHubEvent> read(Env env) {
    String path = env.get("GITHUB_EVENT_PATH");
    if (path.isEmpty() || !env.get("GITHUB_EVENT_NAME").startsWith("pull_request")) {
      return Optional.empty();
    }
    try {
      return pullRequestHead(Files.readString(Path.of(path)));
    } catch (IOException | InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** {@code pull_request.head.sha} and {@code .ref} of a payload; empty when it has no sha. */
  static Optional<GitHubEvent> pullRequestHead(String payload) {
    Object event;
    try {
      event = JsonReader.parse(payload);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    Object head = member(member(event, "pull_request"), "head");
    Object sha = member(head, "sha");
    Object ref = member(head, "ref");
    if (!(sha instanceof String s) || s.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new GitHubEvent(s.strip(), ref instanceof String r ? r.strip() : ""));
  }

  private static Object member(Object object, String name) {
    return object instanceof Map<?, ?> map ? map.get(name) : null;
  }
}
