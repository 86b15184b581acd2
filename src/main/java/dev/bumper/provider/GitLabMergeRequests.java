package dev.bumper.provider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A project's merge requests on GitLab (gitlab.com, or a self-managed instance), through its REST
 * API. Build it with an {@link ApiClient} whose base is {@code https://HOST/api/v4/}.
 *
 * <p>GitLab has no draft flag to send: a draft is a merge request whose title starts with {@code
 * Draft:}. It has no merge method to choose per request either: the project's setting decides
 * between a merge commit, a fast-forward and a rebase, so {@link MergeMethod#SQUASH} asks for a
 * squash and the others merge as the project says.
 *
 * <p>Every field read from an answer is one GitLab's documentation gives; an answer without one
 * that is needed is a {@link ProviderException} naming it, never a NullPointerException.
 */
public final class GitLabMergeRequests implements PullRequests {
  private static final String DRAFT = "Draft: ";

  private final ApiClient api;
  private final String project;

  /**
   * @param api the client of the REST root, {@code https://HOST/api/v4/}
   * @param project the project's path, {@code group/subgroup/project}, without {@code .git}
   */
  public GitLabMergeRequests(ApiClient api, String project) {
    this.api = api;
    this.project = project;
  }

  @Override
  public Optional<PullRequest> findOpen(String head, String base) {
    String path = projectPath() + "/merge_requests?state=opened&source_branch=" + encode(head)
        + "&target_branch=" + encode(base);
    ApiClient.Answer answer = expect("GET", path, null, 200);
    if (!(answer.json() instanceof List<?> list)) {
      throw new ProviderException("GitLab answered GET " + path + " without a list of merge"
          + " requests");
    }
    // GitLab allows one open merge request for a source and target branch: the first is the one.
    return list.isEmpty() ? Optional.empty()
        : Optional.of(mergeRequest(object(list.get(0), "a merge request")));
  }

  @Override
  public void checkAccess() {
    String path = projectPath();
    ApiClient.Answer answer = api.send("GET", path, null);
    if (answer.status() != 200) {
      ProviderException refused = api.refused("GET", path, answer);
      throw new ProviderException("cannot read " + project + " through GitLab's API at "
          + api.base() + " (" + refused.getMessage() + "): the token may not reach it, or the"
          + " API root is another (--api-url, --provider); nothing was pushed", answer.status());
    }
  }

  @Override
  public Optional<String> finishedHead(String head, String base) {
    if (findOpen(head, base).isPresent()) {
      return Optional.empty();
    }
    // the most recently updated first: the latest merge request from the branch, whatever state
    String path = projectPath() + "/merge_requests?state=all&order_by=updated_at&sort=desc"
        + "&source_branch=" + encode(head) + "&target_branch=" + encode(base);
    ApiClient.Answer answer = expect("GET", path, null, 200);
    if (!(answer.json() instanceof List<?> list) || list.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(mergeRequest(object(list.get(0), "a merge request")).headSha());
  }

  @Override
  public PullRequest open(String head, String base, PullRequestContent content) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("source_branch", head);
    body.put("target_branch", base);
    body.put("title", content.draft() ? DRAFT + content.title() : content.title());
    if (!content.body().isEmpty()) {
      body.put("description", content.body());
    }
    // GitLab's description types labels and ids as JSON arrays (a comma-separated string is
    // taken too); arrays need no escaping of a comma in a label.
    if (!content.labels().isEmpty()) {
      body.put("labels", distinct(content.labels()));
    }
    if (!content.assignees().isEmpty()) {
      body.put("assignee_ids", userIds(content.assignees()));
    }
    if (!content.reviewers().isEmpty()) {
      body.put("reviewer_ids", userIds(content.reviewers()));
    }
    return mergeRequest(expect("POST", projectPath() + "/merge_requests", body, 201).object());
  }

  @Override
  public PullRequest update(PullRequest request, PullRequestContent content) {
    String path = mergeRequestPath(request);
    Map<String, Object> current = expect("GET", path, null, 200).object();
    PullRequest now = mergeRequest(current);
    Map<String, Object> body = new LinkedHashMap<>();
    // The draft state is left as it is, as on GitHub: a person may have marked it ready.
    String prefix = now.draft() ? draftPrefix(now.title()) : "";
    if (!content.title().equals(now.title().substring(prefix.length()))) {
      body.put("title", (now.draft() ? (prefix.isEmpty() ? DRAFT : prefix) : "")
          + content.title());
    }
    if (!content.body().equals(now.body() == null ? "" : now.body())) {
      body.put("description", content.body());
    }
    List<String> labels = new ArrayList<>(distinct(content.labels()));
    labels.removeAll(strings(current, "labels", now));
    if (!labels.isEmpty()) {
      body.put("add_labels", labels);
    }
    // GitLab sets assignees and reviewers to the list it is given: the new ones are sent with
    // those it has, so that nobody a person added is dropped.
    addPeople(body, "assignee_ids", content.assignees(), users(current, "assignees", now));
    addPeople(body, "reviewer_ids", content.reviewers(), users(current, "reviewers", now));
    if (body.isEmpty()) {
      return now;
    }
    return mergeRequest(expect("PUT", path, body, 200).object());
  }

  private void addPeople(Map<String, Object> body, String field, List<String> wanted,
      Map<String, Long> current) {
    List<String> missing = new ArrayList<>();
    for (String name : distinct(wanted)) {
      // GitLab's usernames are not case-sensitive
      if (current.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      Set<Long> ids = new LinkedHashSet<>(current.values());
      ids.addAll(userIds(missing));
      body.put(field, List.copyOf(ids));
    }
  }

  @Override
  public boolean enableAutoMerge(PullRequest request, String headSha, MergeMethod method) {
    String path = mergeRequestPath(request) + "/merge";
    Map<String, Object> body = mergeBody(headSha, method);
    // auto_merge is the newer name (GitLab's description marks merge_when_pipeline_succeeds
    // deprecated); an older instance knows only merge_when_pipeline_succeeds and, ignoring a
    // parameter it does not know, would merge at once rather than wait. Both are sent: the
    // description takes both, and a newer GitLab reads either as a request for auto-merge.
    body.put("auto_merge", true);
    body.put("merge_when_pipeline_succeeds", true);
    ApiClient.Answer answer = api.send("PUT", path, body);
    if (answer.status() != 200) {
      String message = api.message(answer);
      throw new ProviderException("auto-merge of merge request !" + request.number() + " refused"
          + ": HTTP " + answer.status() + (message.isEmpty() ? "" : ": " + message),
          answer.status());
    }
    // Nothing to wait for (no pipeline running): GitLab merged it at once.
    Map<String, Object> merged = answer.object();
    String what = "merge request !" + request.number() + " of " + project;
    return string(merged, "state", what).equals("merged");
  }

  /**
   * {@inheritDoc}
   *
   * <p>GitLab's statuses, from https://docs.gitlab.com/api/merge_requests/#merge-a-merge-request
   * : 409 when {@code sha} is not the head of the source branch; 405 when the merge request
   * cannot be merged now (a draft, closed, a pipeline that must succeed first, approvals
   * missing); 406 (older GitLab) or 422 when the branch cannot be merged (conflicts, or a
   * fast-forward-only project whose branch is behind). GitLab has answered 405 for conflicts
   * too (https://gitlab.com/gitlab-org/gitlab/-/issues/364102), so only 409 is taken as behind.
   */
  @Override
  public MergeOutcome merge(PullRequest request, String headSha, MergeMethod method) {
    String path = mergeRequestPath(request) + "/merge";
    ApiClient.Answer answer = api.send("PUT", path, mergeBody(headSha, method));
    String message = api.message(answer);
    String said = message.isEmpty() ? "HTTP " + answer.status() : message;
    switch (answer.status()) {
      case 200 -> {
        Map<String, Object> merged = answer.object();
        String what = "the merge of merge request !" + request.number() + " of " + project;
        if (!string(merged, "state", what).equals("merged")) {
          // GitLab answered the merge request as it is: the merge did not happen
          return new MergeOutcome.Refused(merged.get("merge_error") instanceof String error
              && !error.isBlank() ? error : "GitLab did not merge it (state "
              + merged.get("state") + ")");
        }
        // A fast-forward makes no commit: the target then points at the head.
        for (String field : new String[] {"merge_commit_sha", "squash_commit_sha"}) {
          if (merged.get(field) instanceof String sha && !sha.isEmpty()) {
            return new MergeOutcome.Merged(sha);
          }
        }
        return new MergeOutcome.Merged(string(merged, "sha", what));
      }
      case 409 -> {
        return new MergeOutcome.Behind(said);
      }
      case 405, 406, 422 -> {
        return new MergeOutcome.Refused(said);
      }
      default -> throw api.refused("PUT", path, answer);
    }
  }

  private static Map<String, Object> mergeBody(String headSha, MergeMethod method) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sha", headSha);
    if (method == MergeMethod.SQUASH) {
      body.put("squash", true);
    }
    return body;
  }

  /** The ids of {@code usernames}, each found with GET /users?username=NAME. */
  private List<Long> userIds(List<String> usernames) {
    List<Long> ids = new ArrayList<>();
    for (String name : distinct(usernames)) {
      String path = "users?username=" + encode(name);
      Long id = null;
      for (Object item : expect("GET", path, null, 200).array()) {
        Map<String, Object> user = object(item, "a user");
        if (user.get("username") instanceof String username && username.equalsIgnoreCase(name)) {
          if (!(user.get("id") instanceof Long value)) {
            throw new ProviderException("GitLab answered the user " + name + " without id");
          }
          id = value;
        }
      }
      if (id == null) {
        throw new ProviderException("GitLab has no user " + name + " (" + api.base() + ")");
      }
      ids.add(id);
    }
    return ids;
  }

  private String projectPath() {
    // GitLab takes a project's path as its id, with its slashes encoded
    return "projects/" + encode(project);
  }

  private String mergeRequestPath(PullRequest request) {
    return projectPath() + "/merge_requests/" + request.number();
  }

  private ApiClient.Answer expect(String method, String path, Object body, int status) {
    ApiClient.Answer answer = api.send(method, path, body);
    if (answer.status() != status) {
      throw api.refused(method, path, answer);
    }
    return answer;
  }

  private PullRequest mergeRequest(Map<String, Object> mr) {
    String what = "a merge request of " + project;
    if (!(mr.get("iid") instanceof Long iid)) {
      throw new ProviderException("GitLab answered " + what + " without iid");
    }
    what = "merge request !" + iid + " of " + project;
    if (!(mr.get("draft") instanceof Boolean draft)) {
      throw new ProviderException("GitLab answered " + what + " without draft");
    }
    return new PullRequest(iid, string(mr, "web_url", what), string(mr, "source_branch", what),
        string(mr, "target_branch", what), string(mr, "sha", what), string(mr, "title", what),
        mr.get("description") instanceof String text ? text : null, draft);
  }

  /** The names in the list {@code field} of {@code mr} (its labels). */
  private static List<String> strings(Map<String, Object> mr, String field, PullRequest request) {
    if (!(mr.get(field) instanceof List<?> list)) {
      throw new ProviderException("GitLab answered merge request !" + request.number()
          + " without " + field);
    }
    List<String> names = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof String name) {
        names.add(name);
      }
    }
    return names;
  }

  /** The username and id of each user in the list {@code field} of {@code mr}. */
  private static Map<String, Long> users(Map<String, Object> mr, String field,
      PullRequest request) {
    if (!(mr.get(field) instanceof List<?> list)) {
      throw new ProviderException("GitLab answered merge request !" + request.number()
          + " without " + field);
    }
    Map<String, Long> users = new LinkedHashMap<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> user && user.get("username") instanceof String name
          && user.get("id") instanceof Long id) {
        users.put(name, id);
      } else {
        throw new ProviderException("GitLab answered merge request !" + request.number()
            + " with one of its " + field + " without username or id");
      }
    }
    return users;
  }

  /** The draft prefix GitLab recognises at the start of {@code title}, or "" for none. */
  static String draftPrefix(String title) {
    String lower = title.toLowerCase(Locale.ROOT);
    for (String prefix : new String[] {"draft:", "[draft]", "(draft)"}) {
      if (lower.startsWith(prefix)) {
        int end = prefix.length();
        while (end < title.length() && title.charAt(end) == ' ') {
          end++;
        }
        return title.substring(0, end);
      }
    }
    return "";
  }

  private static String string(Map<String, Object> object, String field, String what) {
    if (object.get(field) instanceof String value) {
      return value;
    }
    throw new ProviderException("GitLab answered " + what + " without " + field);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String what) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new ProviderException("GitLab answered " + what + " that is not an object");
  }

  private static List<String> distinct(List<String> names) {
    return List.copyOf(new LinkedHashSet<>(names));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
