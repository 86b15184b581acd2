package dev.bumper.provider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A repository's pull requests on GitHub (github.com, or GitHub Enterprise Server at its own API
 * root), through its REST API, and its GraphQL API for auto-merge, which REST does not offer.
 *
 * <p>Build it with an {@link ApiClient} whose base is the REST root: {@code
 * https://api.github.com/} for github.com, {@code https://HOST/api/v3/} for Enterprise. The
 * GraphQL endpoint is found from it: {@code https://api.github.com/graphql}, and {@code
 * https://HOST/api/graphql} for Enterprise, which is beside {@code /api/v3/}, not below it.
 *
 * <p>Every field read from an answer is one GitHub's description gives; an answer without one
 * that is needed is a {@link ProviderException} naming it, never a NullPointerException.
 */
public final class GitHubPullRequests implements PullRequests {
  private static final String ENTERPRISE_REST = "/api/v3/";

  private final ApiClient api;
  private final String owner;
  private final String repo;

  /**
   * @param api the client of the REST root
   * @param owner the repository's owner (a user or an organisation)
   * @param repo the repository's name, without {@code .git}
   */
  public GitHubPullRequests(ApiClient api, String owner, String repo) {
    this.api = api;
    this.owner = owner;
    this.repo = repo;
  }

  @Override
  public Optional<PullRequest> findOpen(String head, String base) {
    return find("open", head, base);
  }

  @Override
  public void checkAccess() {
    String path = repoPath();
    ApiClient.Answer answer = api.send("GET", path, null);
    if (answer.status() != 200) {
      ProviderException refused = api.refused("GET", path, answer);
      throw new ProviderException("cannot read " + owner + "/" + repo + " through GitHub's API at "
          + api.base() + " (" + refused.getMessage() + "): the token may not reach it, or the"
          + " API root is another (--api-url, --provider); nothing was pushed", answer.status());
    }
  }

  @Override
  public Optional<String> finishedHead(String head, String base) {
    if (findOpen(head, base).isPresent()) {
      return Optional.empty();
    }
    // the most recently updated first: the latest request from the branch
    return find("closed&sort=updated&direction=desc", head, base).map(PullRequest::headSha);
  }

  /**
   * The first request in {@code state} from {@code head} into {@code base}; the filters are
   * checked on the answer too, so that a provider that ignored one cannot hand over another.
   */
  private Optional<PullRequest> find(String state, String head, String base) {
    String path = repoPath() + "/pulls?state=" + state + "&head=" + encode(owner + ":" + head)
        + "&base=" + encode(base) + "&per_page=100";
    ApiClient.Answer answer = expect("GET", path, null, 200);
    if (!(answer.json() instanceof List<?> pulls)) {
      throw new ProviderException("GitHub answered GET " + path + " without a list of pull"
          + " requests");
    }
    for (Object item : pulls) {
      PullRequest pull = pull(object(item, "a pull request"));
      if (pull.head().equals(head) && pull.base().equals(base)) {
        return Optional.of(pull);
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
    if (!content.body().isEmpty()) {
      body.put("body", content.body());
    }
    if (content.draft()) {
      body.put("draft", true);
    }
    PullRequest opened = pull(expect("POST", repoPath() + "/pulls", body, 201).object());
    addLabelsAndPeople(opened, content, Map.of());
    return opened;
  }

  @Override
  public PullRequest update(PullRequest request, PullRequestContent content) {
    String path = pullPath(request);
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
    addLabelsAndPeople(updated, content, current);
    return updated;
  }

  /**
   * Adds the labels, reviewers and assignees {@code content} names that {@code current} (the pull
   * request as GitHub answered it; empty for a new one) does not have. GitHub's names are not
   * case-sensitive, so neither is the comparison.
   */
  private void addLabelsAndPeople(PullRequest request, PullRequestContent content,
      Map<String, Object> current) {
    String issue = repoPath() + "/issues/" + request.number();
    List<String> labels = missing(content.labels(), names(current.get("labels"), "name"));
    if (!labels.isEmpty()) {
      expect("POST", issue + "/labels", Map.of("labels", labels), 200);
    }

    List<String> users = new ArrayList<>();
    List<String> teams = new ArrayList<>();
    for (String reviewer : content.reviewers()) {
      // org/team-slug is a team; GitHub takes the slug, the organisation being the repository's
      int slash = reviewer.indexOf('/');
      if (slash >= 0) {
        teams.add(reviewer.substring(slash + 1));
      } else {
        users.add(reviewer);
      }
    }
    users = missing(users, names(current.get("requested_reviewers"), "login"));
    teams = missing(teams, names(current.get("requested_teams"), "slug"));
    if (!users.isEmpty() && !current.isEmpty()) {
      // GitHub drops a reviewer from requested_reviewers once they have reviewed: asking again
      // would request a new review on every run.
      users = missing(users, reviewers(request));
    }
    if (!users.isEmpty() || !teams.isEmpty()) {
      Map<String, Object> body = new LinkedHashMap<>();
      if (!users.isEmpty()) {
        body.put("reviewers", users);
      }
      if (!teams.isEmpty()) {
        body.put("team_reviewers", teams);
      }
      expect("POST", pullPath(request) + "/requested_reviewers", body, 201);
    }

    List<String> assignees = missing(content.assignees(), names(current.get("assignees"), "login"));
    if (!assignees.isEmpty()) {
      expect("POST", issue + "/assignees", Map.of("assignees", assignees), 201);
    }
  }

  /** The logins of those who have reviewed {@code request}, on the first page of reviews. */
  private List<String> reviewers(PullRequest request) {
    String path = pullPath(request) + "/reviews?per_page=100";
    List<String> logins = new ArrayList<>();
    for (Object review : expect("GET", path, null, 200).array()) {
      // a review's user is null when the account was deleted
      if (object(review, "a review").get("user") instanceof Map<?, ?> user
          && user.get("login") instanceof String login) {
        logins.add(login);
      }
    }
    return logins;
  }

  @Override
  public boolean enableAutoMerge(PullRequest request, String headSha, MergeMethod method) {
    // GraphQL names the pull request by its global id, which the REST answers give as node_id.
    Map<String, Object> current = expect("GET", pullPath(request), null, 200).object();
    String id = string(current, "node_id", "pull request #" + request.number());
    // expectedHeadOid: GitHub refuses when someone pushed since, so nothing unseen is merged
    String query = "mutation($id: ID!, $method: PullRequestMergeMethod!, $head: GitObjectID) {"
        + " enablePullRequestAutoMerge(input: {pullRequestId: $id, mergeMethod: $method,"
        + " expectedHeadOid: $head}) { pullRequest { number } } }";
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("id", id);
    variables.put("method", method.name());
    variables.put("head", headSha);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    body.put("variables", variables);
    String graphql = graphqlPath();
    ApiClient.Answer answer = api.send("POST", graphql, body);
    if (!answer.ok()) {
      throw api.refused("POST", graphql, answer);
    }
    // GraphQL refuses with HTTP 200 and a list of errors
    if (answer.object().get("errors") instanceof List<?> errors && !errors.isEmpty()) {
      if (api.message(answer).contains("clean status")) {
        // Nothing to wait for: GitHub enables auto-merge only on a request that cannot merge
        // yet, and this one can, so it is merged now, as auto-merge would have.
        MergeOutcome merged = merge(request, headSha, method);
        if (merged instanceof MergeOutcome.Merged) {
          return true;
        }
        throw new ProviderException("pull request #" + request.number() + " could be merged at"
            + " once, but the merge failed: " + (merged instanceof MergeOutcome.Refused refused
                ? refused.message() : ((MergeOutcome.Behind) merged).message()));
      }
      throw new ProviderException("auto-merge of pull request #" + request.number()
          + " refused: " + api.message(answer), answer.status());
    }
    if (!(answer.object().get("data") instanceof Map<?, ?> data)
        || !(data.get("enablePullRequestAutoMerge") instanceof Map<?, ?> payload)
        || !(payload.get("pullRequest") instanceof Map<?, ?>)) {
      throw new ProviderException("GitHub answered the auto-merge of pull request #"
          + request.number() + " without the pull request");
    }
    return false;
  }

  /**
   * The GraphQL endpoint, relative to the REST root: {@code graphql} beside github.com's root,
   * {@code ../graphql} from Enterprise's {@code /api/v3/} to its {@code /api/graphql}.
   */
  String graphqlPath() {
    return api.base().getPath().endsWith(ENTERPRISE_REST) ? "../graphql" : "graphql";
  }

  @Override
  public MergeOutcome merge(PullRequest request, String headSha, MergeMethod method) {
    String path = pullPath(request) + "/merge";
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sha", headSha);
    body.put("merge_method", method.name().toLowerCase(Locale.ROOT));
    ApiClient.Answer answer = api.send("PUT", path, body);
    if (answer.status() == 200) {
      return new MergeOutcome.Merged(string(answer.object(), "sha",
          "the merge of pull request #" + request.number()));
    }
    String message = api.message(answer);
    String said = message.isEmpty() ? "HTTP " + answer.status() : message;
    // 409: the head is not headSha (another run pushed). 405 "Base branch was modified": the
    // base moved while GitHub merged; 405 "Head branch is not up to date with the base branch":
    // a rule wants the branch on the newest base. A branch built again on the new base can win
    // each of them; any other 405 (a review, a check, a conflict) it cannot.
    String lower = message.toLowerCase(Locale.ROOT);
    if (answer.status() == 409 || (answer.status() == 405
        && (lower.contains("base branch was modified") || lower.contains("not up to date")))) {
      return new MergeOutcome.Behind(said);
    }
    if (answer.status() == 405 || answer.status() == 403 || answer.status() == 422) {
      return new MergeOutcome.Refused(said);
    }
    throw api.refused("PUT", path, answer);
  }

  private String repoPath() {
    return "repos/" + encode(owner) + "/" + encode(repo);
  }

  private String pullPath(PullRequest request) {
    return repoPath() + "/pulls/" + request.number();
  }

  /**
   * Sends and expects {@code status}, or 200 for 201: GitHub answers so an add that added nothing.
   */
  private ApiClient.Answer expect(String method, String path, Object body, int status) {
    ApiClient.Answer answer = api.send(method, path, body);
    if (answer.status() != status && !(status == 201 && answer.status() == 200)) {
      throw api.refused(method, path, answer);
    }
    return answer;
  }

  private PullRequest pull(Map<String, Object> pull) {
    String what = "a pull request of " + owner + "/" + repo;
    if (!(pull.get("number") instanceof Long number)) {
      throw new ProviderException("GitHub answered " + what + " without number");
    }
    what = "pull request #" + number + " of " + owner + "/" + repo;
    Map<String, Object> head = object(pull.get("head"), what + "'s head", what + " without head");
    Map<String, Object> base = object(pull.get("base"), what + "'s base", what + " without base");
    return new PullRequest(number, string(pull, "html_url", what),
        string(head, "ref", what + "'s head"), string(base, "ref", what + "'s base"),
        string(head, "sha", what + "'s head"), string(pull, "title", what),
        pull.get("body") instanceof String text ? text : null,
        Boolean.TRUE.equals(pull.get("draft")));
  }

  private static String string(Map<String, Object> object, String field, String what) {
    if (object.get(field) instanceof String value) {
      return value;
    }
    throw new ProviderException("GitHub answered " + what + " without " + field);
  }

  private static Map<String, Object> object(Object value, String what) {
    return object(value, what, what + " that is not an object");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String what, String without) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new ProviderException("GitHub answered " + without);
  }

  /** The {@code field} of each object of a list, such as each label's name. */
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

  /** The names of {@code wanted} not in {@code there}, once each, ignoring case as GitHub does. */
  private static List<String> missing(List<String> wanted, List<String> there) {
    List<String> missing = new ArrayList<>();
    for (String name : wanted) {
      if (there.stream().noneMatch(name::equalsIgnoreCase)
          && missing.stream().noneMatch(name::equalsIgnoreCase)) {
        missing.add(name);
      }
    }
    return missing;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
