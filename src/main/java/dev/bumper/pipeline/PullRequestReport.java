package dev.bumper.pipeline;

import dev.bumper.io.JsonWriter;

/**
 * What a pull-request delivery did: the request (number and URL; 0 and null when none was
 * opened, as in a dry run or when nothing changed and none is open), its branch, its state after
 * the run ({@code open}, {@code merged}, or {@code none}), and what the run did to it: {@code
 * opened}, {@code updated}, or {@code unchanged}.
 */
public record PullRequestReport(long number, String url, String branch, String base,
    String state, String action, String head, boolean pushed, boolean autoMerge,
    int mergeAttempts) implements DeliveryReport {
  /** The pull request's fields of a command's JSON object, under {@code pullRequest}. */
  @Override
  public void json(JsonWriter json) {
    json.name("pullRequest").beginObject();
    if (number > 0) {
      json.name("number").value(number);
      json.name("url").value(url);
    } else {
      json.name("number").nullValue();
      json.name("url").nullValue();
    }
    json.name("branch").value(branch);
    json.name("base").value(base);
    json.name("state").value(state);
    json.name("action").value(action);
    json.name("head").value(head);
    json.name("pushed").value(pushed);
    json.name("autoMerge").value(autoMerge);
    json.name("mergeAttempts").value(mergeAttempts);
    json.endObject();
  }

  /** The delivery as one line of text. */
  @Override
  public String line() {
    String request = number > 0 ? "pull request #" + number + " (" + url + ")" : null;
    return switch (action) {
      case "opened" -> "opened " + request + " from " + branch + " into " + base
          + (state.equals("merged") ? "; merged" : autoMerge ? "; auto-merge on" : "");
      case "updated" -> "updated " + request + ": pushed " + head.substring(0, 12) + " to "
          + branch + (state.equals("merged") ? "; merged" : autoMerge ? "; auto-merge on" : "");
      default -> request != null
          ? request + " is up to date" + (state.equals("merged") ? "; merged" : "")
          : "nothing to change: " + base + " is up to date";
    };
  }
}
