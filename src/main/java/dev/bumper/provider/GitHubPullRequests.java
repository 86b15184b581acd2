package dev.bumper.provider;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A repository's pull requests on GitHub (github.com, or GitHub Enterprise at its own API root),
 * through its REST API, and its GraphQL API for auto-merge, which REST does not offer.
 */
public final class GitHubPullRequests implements PullRequests {
  private final ApiClient api;
  private final String owner;
  private final String repo;

  public GitHubPullRequests(ApiClient api, String owner, String repo) {
    this.api = api;
    this.owner = owner;
    this.repo = repo;
  }

  private String repoPath() {
    return "repos/" + encode(owner) + "/" + encode(repo);
  }

  @Override
  public Optional<PullRequest> findOpen(String head, String base) {
    String path = repoPath() + "/pulls?state=open&head=" + encode(owner + ":" + head) + "&base="
        + encode(base) + "&per_page=100";
    ApiClient.Answer answer = expect("GET", path, null, 200);
    for (Object item : answer.array()) {
      if (item instanceof Map<?, ?> pull) {
        return Optional.of(pull(cast(pull)));
      }
    }
    return Optional.empty();
  }

  @Override
  public PullRequest open(String head, String base, PullRequestContent content) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("title", content.title());
    body.put("head", head);
    body.put("base", base);
    body.put("body", content.body());
    if (content.draft()) {
      body.put("draft", true);
    }
    ApiClient.Answer answer = expect("POST", repoPath() + "/pulls", body, 201);
    PullRequest opened = pull(answer.object());
    addPeople(opened, content, List.of(), List.of(), List.of(), List.of());
    return opened;
  }

  @Override
  public PullRequest update(PullRequest request, PullRequestContent content) {
    String path = repoPath() + "/pulls/" + request.number();
    Map<String, Object> current = expect("GET", path, null, 200).object();
    PullRequest updated = pull(current);
    Map<String, Object> body = new LinkedHashMap<>();
    if (!content.title().equals(updated.title())) {
      body.put("title", content.title());
    }
    if (!content.body().equals(updated.body() == null ? "" : updated.body())) {
      body.put("body", content.body());
    }
    if (!body.isEmpty()) {
      updated = pull(expect("PATCH", path, body, 200).object());
    }
    addPeople(updated, content, names(current.get("labels"), "name"),
        names(current.get("requested_reviewers"), "login"),
        names(current.get("requested_teams"), "slug"), names(current.get("assignees"), "login"));
    return updated;
  }

  /** Adds the labels, reviewers and assignees {@code content} names that are not there yet. */
  private void addPeople(PullRequest request, PullRequestContent content, List<String> labels,
      List<String> reviewers, List<String> teams, List<String> assignees) {
    String issue = repoPath() + "/issues/" + request.number();
    List<String> newLabels = missing(content.labels(), labels);
    if (!newLabels.isEmpty()) {
      expect("POST", issue + "/labels", Map.of("labels", newLabels), 200);
    }
    List<String> users = new ArrayList<>();
    List<String> newTeams = new ArrayList<>();
    for (String reviewer : content.reviewers()) {
      if (reviewer.contains("/")) {
        String slug = reviewer.substring(reviewer.indexOf('/') + 1);
        if (!teams.contains(slug) && !newTeams.contains(slug)) {
          newTeams.add(slug);
        }
      } else if (!reviewers.contains(reviewer) && !users.contains(reviewer)) {
        users.add(reviewer);
      }
    }
    if (!users.isEmpty() || !newTeams.isEmpty()) {
      Map<String, Object> body = new LinkedHashMap<>();
      if (!users.isEmpty()) {
        body.put("reviewers", users);
      }
      if (!newTeams.isEmpty()) {
        body.put("team_reviewers", newTeams);
      }
      expect("POST", repoPath() + "/pulls/" + request.number() + "/requested_reviewers", body,
          201);
    }
    List<String> newAssignees = missing(content.assignees(), assignees);
    if (!newAssignees.isEmpty()) {
      expect("POST", issue + "/assignees", Map.of("assignees", newAssignees), 201);
    }
  }

  @Override
  public void enableAutoMerge(PullRequest request, MergeMethod method) {
    Map<String, Object> current =
        expect("GET", repoPath() + "/pulls/" + request.number(), null, 200).object();
    Object nodeId = current.get("node_id");
    if (!(nodeId instanceof String id)) {
      throw new ProviderException("GitHub answered pull request #" + request.number()
          + " without node_id");
    }
    String query = "mutation($id: ID!, $method: PullRequestMergeMethod!) {"
        + " enablePullRequestAutoMerge(input: {pullRequestId: $id, mergeMethod: $method})"
        + " { pullRequest { number } } }";
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("id", id);
    variables.put("method", method.name());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    body.put("variables", variables);
    String graphql = graphql();
    ApiClient.Answer answer = api.send("POST", graphql, body);
    if (!answer.ok()) {
      throw api.refused("POST", graphql, answer);
    }
    if (answer.object().get("errors") instanceof List<?> errors && !errors.isEmpty()) {
      throw new ProviderException("auto-merge of pull request #" + request.number()
          + " refused: " + ProviderMessages.of(Map.of("errors", errors)));
    }
  }

  /**
   * The GraphQL endpoint, relative to the REST root: {@code https://api.github.com/graphql} for
   * github.com, {@code https://HOST/api/graphql} for Enterprise, whose REST root is {@code /api/v3/}.
   */
  private String graphql() {
    URI base = api.base();
    return base.getPath().endsWith("/api/v3/") ? "../graphql" : "graphql";
  }

  @Override
  public MergeOutcome merge(PullRequest request, String headSha, MergeMethod method) {
    String path = repoPath() + "/pulls/" + request.number() + "/merge";
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sha", headSha);
    body.put("merge_method", method.name().toLowerCase(Locale.ROOT));
    ApiClient.Answer answer = api.send("PUT", path, body);
    String message = ProviderMessages.of(answer.json());
    if (answer.status() == 200) {
      Object sha = answer.object().get("sha");
      return new MergeOutcome.Merged(sha instanceof String s ? s : headSha);
    }
    // 409: the head is not the sha given; 405 "Base branch was modified" (the base moved while
    // GitHub merged) or "not up to date" (a rule wants the branch on the newest base). All are
    // races a new build of the branch can win.
    String said = message.toLowerCase(Locale.ROOT);
    if (answer.status() == 409 || (answer.status() == 405
        && (said.contains("modified") || said.contains("up to date")))) {
      return new MergeOutcome.Behind(message.isEmpty() ? "HTTP " + answer.status() : message);
    }
    if (answer.status() == 405 || answer.status() == 403 || answer.status() == 422) {
      return new MergeOutcome.Refused(message.isEmpty() ? "HTTP " + answer.status() : message);
    }
    throw api.refused("PUT", path, answer);
  }

  private ApiClient.Answer expect(String method, String path, Object body, int status) {
    ApiClient.Answer answer = api.send(method, path, body);
    if (answer.status() != status && !(status == 201 && answer.status() == 200)) {
      throw api.refused(method, path, answer);
    }
    return answer;
  }

  private PullRequest pull(Map<String, Object> pull) {
    Object number = pull.get("number");
    Object url = pull.get("html_url");
    if (!(number instanceof Long n) || !(url instanceof String u)
        || !(pull.get("head") instanceof Map<?, ?> head)
        || !(pull.get("base") instanceof Map<?, ?> base)) {
      throw new ProviderException("GitHub answered a pull request of " + owner + "/" + repo
          + " without its number, html_url, head or base");
    }
    return new PullRequest(n, u, String.valueOf(head.get("ref")), String.valueOf(base.get("ref")),
        String.valueOf(head.get("sha")), String.valueOf(pull.get("title")),
        pull.get("body") instanceof String text ? text : null, Boolean.TRUE.equals(pull.get("draft")));
  }

  private static List<String> names(Object list, String field) {
    List<String> names = new ArrayList<>();
    if (list instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> map && map.get(field) instanceof String name) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private static List<String> missing(List<String> wanted, List<String> there) {
    List<String> missing = new ArrayList<>();
    for (String name : wanted) {
      if (!there.contains(name) && !missing.contains(name)) {
        missing.add(name);
      }
    }
    return missing;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
