package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bumper.provider.GitHubApiServer.Request;
import dev.bumper.provider.GitHubApiServer.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One repository's pull requests, answered through a {@link GitHubApiServer}: the operations a
 * pull-request delivery uses (get the repository and a branch's ref; list, get, create and update
 * pull requests; add and set labels; request reviewers and teams; add assignees; list reviews;
 * merge), kept in a small state so that a second run finds what the first opened. Each pull
 * request has its own {@code node_id}, by which GitHub's GraphQL API names it for auto-merge,
 * answered apart so that only the tests that use GraphQL need GitHub's GraphQL schema (a class
 * named here would be counted as this one's need by RequiresToolsTest). Each answer starts from the smallest value the
 * description's response schema allows ({@link SchemaSamples}) with the fields this state decides
 * set on it, and the server checks it against the description before sending it.
 *
 * <p>Branches are the fake's own map unless the test gives {@link #branches(Function)} a look-up
 * (the head of a branch in the real git repository the test pushes to). GitHub's refusals are
 * here where the state decides them (a second pull request for the same head and base: 422; a
 * merge whose {@code sha} is not the head: 409); {@link #refuseNextMerge} queues the ones it
 * cannot know of (a branch rule: 405 with GitHub's message).
 */
public final class FakeGitHub {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String TIME = "2011-01-26T19:01:12Z";

  /** A pull request as the state keeps it. */
  public static final class Pull {
    final int number;
    String title;
    String body;
    final String head;
    String base;
    String state = "open";
    boolean draft;
    boolean merged;
    String mergeSha;
    final Set<String> labels = new LinkedHashSet<>();
    final Set<String> reviewers = new LinkedHashSet<>();
    final Set<String> teams = new LinkedHashSet<>();
    final Set<String> assignees = new LinkedHashSet<>();
    /** Each review: the reviewer's login and the review's state (APPROVED...). */
    final List<Map.Entry<String, String>> reviews = new ArrayList<>();
    final String nodeId;
    /** The merge method auto-merge was enabled with (GitHub's enum: MERGE, SQUASH, REBASE). */
    String autoMerge;

    Pull(String nodeId, int number, String title, String body, String head, String base,
        boolean draft) {
      this.nodeId = nodeId;
      this.number = number;
      this.title = title;
      this.body = body;
      this.head = head;
      this.base = base;
      this.draft = draft;
    }

    public int number() {
      return number;
    }

    public String title() {
      return title;
    }

    public String body() {
      return body;
    }

    public String head() {
      return head;
    }

    public String base() {
      return base;
    }

    public String state() {
      return state;
    }

    public boolean merged() {
      return merged;
    }

    public List<String> labels() {
      return List.copyOf(labels);
    }

    public List<String> reviewers() {
      return List.copyOf(reviewers);
    }

    /** The slugs of the teams asked for a review. */
    public List<String> teams() {
      return List.copyOf(teams);
    }

    public List<String> assignees() {
      return List.copyOf(assignees);
    }

    /** GitHub's global id of the pull request, which its GraphQL API takes. */
    public String nodeId() {
      return nodeId;
    }

    /** The merge method auto-merge is enabled with, or null when it is not. */
    public String autoMerge() {
      return autoMerge;
    }

    public boolean draft() {
      return draft;
    }
  }

  /** A refusal of a merge queued by the test: its status and GitHub's message. */
  private record MergeRefusal(int status, String message) {}

  private final GitHubApiServer server;
  private final OpenApiDescription api = GitHubApiServer.description();
  private final String owner;
  private final String repo;
  private final String defaultBranch;
  private final Map<String, String> ownBranches = new LinkedHashMap<>();
  private final List<Pull> pulls = new ArrayList<>();
  private final Queue<MergeRefusal> mergeRefusals = new ArrayDeque<>();
  private Merges merges;
  private Function<String, Optional<String>> branches = name -> Optional.ofNullable(ownBranches.get(name));

  /** Answers {@code owner/repo}'s operations on {@code server}; other repositories are 404. */
  public FakeGitHub(GitHubApiServer server, String owner, String repo, String defaultBranch) {
    this.server = server;
    this.owner = owner;
    this.repo = repo;
    this.defaultBranch = defaultBranch;
    server.answer("repos/get", this::getRepository)
        .answer("git/get-ref", this::getRef)
        .answer("pulls/list", this::listPulls)
        .answer("pulls/get", this::getPull)
        .answer("pulls/create", this::createPull)
        .answer("pulls/update", this::updatePull)
        .answer("issues/add-labels", request -> labels(request, false))
        .answer("issues/set-labels", request -> labels(request, true))
        .answer("pulls/request-reviewers", this::requestReviewers)
        .answer("issues/add-assignees", this::addAssignees)
        .answer("pulls/list-reviews", this::listReviews)
        .answer("pulls/merge", this::merge);
  }

  /** Sets a branch of the fake's own map. */
  public synchronized FakeGitHub branch(String name, String sha) {
    ownBranches.put(name, sha);
    return this;
  }

  /** Looks branches up with {@code lookup} (name to head commit) instead of the fake's own map. */
  public synchronized FakeGitHub branches(Function<String, Optional<String>> lookup) {
    this.branches = lookup;
    return this;
  }

  /** How a merge lands in the real repository a test pushes to. */
  public interface Merges {
    /**
     * Merges branch {@code head} into {@code base} and returns the commit {@code base} then points
     * at; throws {@link IllegalStateException} with GitHub's message for a 405 refusal.
     */
    String merge(String head, String base);
  }

  /** Merges with {@code merges} instead of only marking the pull request merged. */
  public synchronized FakeGitHub merges(Merges merges) {
    this.merges = merges;
    return this;
  }

  /** Refuses the next merge 405 with {@code message}, as a branch rule GitHub enforces would. */
  public synchronized FakeGitHub refuseNextMerge(String message) {
    return refuseNextMerge(405, message);
  }

  /**
   * Refuses the next merge with {@code status} (403, 405 or 422, as GitHub's description has
   * them) and {@code message}: a ruleset, a missing permission, a merge method the repository
   * does not allow.
   */
  public synchronized FakeGitHub refuseNextMerge(int status, String message) {
    mergeRefusals.add(new MergeRefusal(status, message));
    return this;
  }

  /**
   * Records {@code login}'s review of pull request {@code number} (APPROVED, CHANGES_REQUESTED,
   * COMMENTED) and, as GitHub does, takes them off its requested reviewers.
   */
  public synchronized FakeGitHub review(int number, String login, String state) {
    Pull pull = pulls.get(number - 1);
    pull.reviews.add(Map.entry(login, state));
    pull.reviewers.remove(login);
    return this;
  }

  /** The pull request whose GraphQL id is {@code nodeId}. */
  synchronized Optional<Pull> pullByNodeId(String nodeId) {
    return pulls.stream().filter(p -> p.nodeId.equals(nodeId)).findFirst();
  }

  /** Enables auto-merge of {@code pull} with GitHub's merge method {@code method}. */
  synchronized void enableAutoMerge(Pull pull, String method) {
    pull.autoMerge = method;
  }

  public synchronized List<Pull> pulls() {
    return List.copyOf(pulls);
  }

  public GitHubApiServer server() {
    return server;
  }

  private synchronized Response getRepository(Request request) {
    if (!ours(request)) {
      return notFound();
    }
    ObjectNode body = sample("repos/get", 200);
    repository(body);
    body.put("default_branch", defaultBranch);
    return Response.json(200, body);
  }

  private synchronized Response getRef(Request request) {
    String ref = request.path("ref");
    Optional<String> sha = ours(request) && ref.startsWith("heads/")
        ? branches.apply(ref.substring("heads/".length())) : Optional.empty();
    if (sha.isEmpty()) {
      return notFound();
    }
    ObjectNode body = sample("git/get-ref", 200);
    body.put("ref", "refs/" + ref);
    body.put("url", apiUrl() + "/git/refs/" + ref);
    ObjectNode object = (ObjectNode) body.get("object");
    object.put("type", "commit");
    object.put("sha", sha.get());
    object.put("url", apiUrl() + "/git/commits/" + sha.get());
    return Response.json(200, body);
  }

  private synchronized Response listPulls(Request request) {
    if (!ours(request)) {
      return notFound();
    }
    String state = request.query("state").orElse("open");
    Optional<String> head = request.query("head");
    Optional<String> base = request.query("base");
    List<Pull> found = new ArrayList<>();
    for (Pull pull : pulls) {
      if ((state.equals("all") || pull.state.equals(state))
          && head.map(h -> h.equals(owner + ":" + pull.head)).orElse(true)
          && base.map(pull.base::equals).orElse(true)) {
        found.add(pull);
      }
    }
    int perPage = Integer.parseInt(request.query("per_page").orElse("30"));
    int page = Integer.parseInt(request.query("page").orElse("1"));
    JsonNode schema = api.responseSchema("pulls/list", 200).path("items");
    ArrayNode body = NODES.arrayNode();
    int from = Math.min(found.size(), Math.max(0, (page - 1) * perPage));
    for (Pull pull : found.subList(from, Math.min(found.size(), from + perPage))) {
      body.add(pull(schema, pull, false));
    }
    Response response = Response.json(200, body);
    if (from + perPage < found.size()) {
      response = response.withHeader("Link", "<" + apiUrl() + "/pulls?per_page=" + perPage + "&page=" + (page + 1)
          + ">; rel=\"next\"");
    }
    return response;
  }

  private synchronized Response getPull(Request request) {
    Optional<Pull> pull = find(request);
    return pull.isEmpty() ? notFound()
        : Response.json(200, pull(api.responseSchema("pulls/get", 200), pull.get(), true));
  }

  private synchronized Response createPull(Request request) {
    if (!ours(request)) {
      return notFound();
    }
    JsonNode body = request.body();
    String head = body.path("head").asString();
    String base = body.path("base").asString();
    if (head.contains(":")) {
      head = head.substring(head.indexOf(':') + 1);
    }
    if (head.equals(base)) {
      return invalid(null, "custom", "No commits between " + base + " and " + head);
    }
    if (branches.apply(head).isEmpty() || branches.apply(base).isEmpty()) {
      return invalid(branches.apply(head).isEmpty() ? "head" : "base", "invalid", null);
    }
    for (Pull pull : pulls) {
      if (pull.state.equals("open") && pull.head.equals(head) && pull.base.equals(base)) {
        return invalid(null, "custom", "A pull request already exists for " + owner + ":" + head + ".");
      }
    }
    int number = pulls.size() + 1;
    Pull pull = new Pull(nodeId(number), number, body.path("title").asString(""),
        body.path("body").asString(null), head, base, body.path("draft").asBoolean(false));
    pulls.add(pull);
    return Response.json(201, pull(api.responseSchema("pulls/create", 201), pull, true))
        .withHeader("Location", apiUrl() + "/pulls/" + pull.number);
  }

  private synchronized Response updatePull(Request request) {
    Optional<Pull> found = find(request);
    if (found.isEmpty()) {
      return notFound();
    }
    Pull pull = found.get();
    JsonNode body = request.body() == null ? NODES.objectNode() : request.body();
    if (body.has("title")) {
      pull.title = body.get("title").asString();
    }
    if (body.has("body")) {
      pull.body = body.get("body").asString();
    }
    if (body.has("base")) {
      pull.base = body.get("base").asString();
    }
    if (body.has("state") && !pull.merged) {
      pull.state = body.get("state").asString();
    }
    return Response.json(200, pull(api.responseSchema("pulls/update", 200), pull, true));
  }

  /** Both label operations: add ({@code replace} false) and set; labels as names or objects. */
  private synchronized Response labels(Request request, boolean replace) {
    Optional<Pull> found = find(request, "issue_number");
    if (found.isEmpty()) {
      return notFound();
    }
    Pull pull = found.get();
    JsonNode body = request.body() == null ? NODES.arrayNode() : request.body();
    JsonNode given = body.isObject() ? body.path("labels") : body;
    List<String> names = new ArrayList<>();
    for (JsonNode label : given.isArray() ? given : NODES.arrayNode().add(given)) {
      names.add(label.isObject() ? label.path("name").asString() : label.asString());
    }
    if (replace) {
      pull.labels.clear();
    }
    pull.labels.addAll(names);
    String operation = replace ? "issues/set-labels" : "issues/add-labels";
    return Response.json(200, labelArray(api.responseSchema(operation, 200).path("items"), pull));
  }

  private synchronized Response requestReviewers(Request request) {
    Optional<Pull> found = find(request);
    if (found.isEmpty()) {
      return notFound();
    }
    JsonNode body = request.body() == null ? NODES.objectNode() : request.body();
    body.path("reviewers").forEach(login -> found.get().reviewers.add(login.asString()));
    body.path("team_reviewers").forEach(slug -> found.get().teams.add(slug.asString()));
    return Response.json(201, pull(api.responseSchema("pulls/request-reviewers", 201), found.get(), false));
  }

  private synchronized Response listReviews(Request request) {
    Optional<Pull> found = find(request);
    if (found.isEmpty()) {
      return notFound();
    }
    Pull pull = found.get();
    JsonNode schema = api.responseSchema("pulls/list-reviews", 200).path("items");
    ArrayNode reviews = NODES.arrayNode();
    String headSha = branches.apply(pull.head).orElse(sha("missing " + pull.head));
    for (Map.Entry<String, String> review : pull.reviews) {
      ObjectNode node = (ObjectNode) SchemaSamples.minimal(schema);
      node.put("id", 80 + reviews.size());
      ObjectNode user = (ObjectNode) SchemaSamples.minimal(
          nonNullable(schema.path("properties").path("user")));
      user.put("login", review.getKey());
      node.set("user", user);
      node.put("state", review.getValue());
      node.put("commit_id", headSha);
      node.put("pull_request_url", apiUrl() + "/pulls/" + pull.number);
      reviews.add(node);
    }
    return Response.json(200, reviews);
  }

  /** Assigns people to the pull request's issue; GitHub answers with the issue. */
  private synchronized Response addAssignees(Request request) {
    Optional<Pull> found = find(request, "issue_number");
    if (found.isEmpty()) {
      return notFound();
    }
    Pull pull = found.get();
    JsonNode body = request.body() == null ? NODES.objectNode() : request.body();
    for (JsonNode assignee : body.path("assignees")) {
      pull.assignees.add(assignee.isObject() ? assignee.path("login").asString()
          : assignee.asString());
    }
    JsonNode schema = api.responseSchema("issues/add-assignees", 201);
    ObjectNode issue = (ObjectNode) SchemaSamples.minimal(schema);
    issue.put("number", pull.number);
    issue.put("title", pull.title);
    issue.put("state", pull.state);
    issue.put("url", server.url() + "/repos/" + owner + "/" + repo + "/issues/" + pull.number);
    issue.put("html_url", "https://github.com/" + owner + "/" + repo + "/pull/" + pull.number);
    issue.set("labels", NODES.arrayNode());
    people(issue, schema, pull);
    return Response.json(201, issue);
  }

  private synchronized Response merge(Request request) {
    Optional<Pull> found = find(request);
    if (found.isEmpty()) {
      return notFound();
    }
    Pull pull = found.get();
    JsonNode body = request.body() == null ? NODES.objectNode() : request.body();
    String headSha = branches.apply(pull.head).orElse("");
    if (pull.merged || !pull.state.equals("open")) {
      return Response.json(405, message("Pull Request is not mergeable"));
    }
    if (body.has("sha") && !body.get("sha").asString().equals(headSha)) {
      return Response.json(409, message("Head branch was modified. Review and try the merge again."));
    }
    MergeRefusal refusal = mergeRefusals.poll();
    if (refusal != null) {
      return Response.json(refusal.status(), message(refusal.message()));
    }
    String mergeSha = sha("merge " + pull.number + " " + headSha);
    if (merges != null) {
      try {
        mergeSha = merges.merge(pull.head, pull.base);
      } catch (IllegalStateException e) {
        return Response.json(405, message(e.getMessage()));
      }
    }
    pull.merged = true;
    pull.state = "closed";
    pull.mergeSha = mergeSha;
    ObjectNode result = sample("pulls/merge", 200);
    result.put("sha", pull.mergeSha);
    result.put("merged", true);
    result.put("message", "Pull Request successfully merged");
    return Response.json(200, result);
  }

  /** A pull request in the shape of {@code schema} (GitHub's full one when {@code full}, else the simple one). */
  private ObjectNode pull(JsonNode schema, Pull pull, boolean full) {
    ObjectNode node = (ObjectNode) SchemaSamples.minimal(schema);
    String url = apiUrl() + "/pulls/" + pull.number;
    node.put("id", 1000 + pull.number);
    node.put("node_id", pull.nodeId);
    node.put("number", pull.number);
    node.put("url", url);
    node.put("html_url", "https://github.com/" + owner + "/" + repo + "/pull/" + pull.number);
    node.put("state", pull.state);
    node.put("title", pull.title);
    node.put("body", pull.body);
    node.put("draft", pull.draft);
    node.put("created_at", TIME);
    node.put("updated_at", TIME);
    if (pull.merged) {
      node.put("merged_at", TIME);
      node.put("closed_at", TIME);
      node.put("merge_commit_sha", pull.mergeSha);
    }
    branch((ObjectNode) node.get("head"), pull.head);
    branch((ObjectNode) node.get("base"), pull.base);
    node.set("labels", labelArray(schema.path("properties").path("labels").path("items"), pull));
    ArrayNode reviewers = NODES.arrayNode();
    for (String login : pull.reviewers) {
      JsonNode userSchema = schema.path("properties").path("requested_reviewers").path("items");
      ObjectNode user = (ObjectNode) SchemaSamples.minimal(userSchema);
      user.put("login", login);
      reviewers.add(user);
    }
    node.set("requested_reviewers", reviewers);
    ArrayNode teams = NODES.arrayNode();
    for (String slug : pull.teams) {
      ObjectNode team = (ObjectNode) SchemaSamples.minimal(
          schema.path("properties").path("requested_teams").path("items"));
      team.put("slug", slug);
      team.put("name", slug);
      teams.add(team);
    }
    node.set("requested_teams", teams);
    people(node, schema, pull);
    if (pull.autoMerge != null) {
      ObjectNode autoMerge = (ObjectNode) SchemaSamples.minimal(
          nonNullable(schema.path("properties").path("auto_merge")));
      autoMerge.put("merge_method", pull.autoMerge.toLowerCase(Locale.ROOT));
      node.set("auto_merge", autoMerge);
    }
    if (full) {
      node.put("merged", pull.merged);
      node.put("mergeable", pull.merged ? null : Boolean.TRUE);
      node.put("mergeable_state", pull.merged ? "unknown" : "clean");
    }
    return node;
  }

  /** The assignees of an issue or pull request, and the first of them as its assignee. */
  private static void people(ObjectNode node, JsonNode schema, Pull pull) {
    JsonNode userSchema = schema.path("properties").path("assignees").path("items");
    ArrayNode assignees = NODES.arrayNode();
    for (String login : pull.assignees) {
      ObjectNode user = (ObjectNode) SchemaSamples.minimal(userSchema);
      user.put("login", login);
      assignees.add(user);
    }
    node.set("assignees", assignees);
    node.set("assignee", assignees.isEmpty() ? NODES.nullNode() : assignees.get(0).deepCopy());
  }

  /** {@code schema} without its {@code nullable}, for a sample of the value when there is one. */
  private static JsonNode nonNullable(JsonNode schema) {
    ObjectNode copy = ((ObjectNode) schema).deepCopy();
    copy.remove("nullable");
    return copy;
  }

  /** A GraphQL global id as GitHub's look: opaque, of the kind's prefix, one per pull request. */
  private String nodeId(int number) {
    return "PR_" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString((owner + "/" + repo + "#" + number).getBytes(UTF_8));
  }

  private void branch(ObjectNode node, String name) {
    node.put("ref", name);
    node.put("label", owner + ":" + name);
    node.put("sha", branches.apply(name).orElse(sha("missing " + name)));
    repository((ObjectNode) node.get("repo"));
  }

  private ArrayNode labelArray(JsonNode schema, Pull pull) {
    ArrayNode labels = NODES.arrayNode();
    for (String name : pull.labels) {
      ObjectNode label = (ObjectNode) SchemaSamples.minimal(schema);
      label.put("name", name);
      label.put("url", apiUrl() + "/labels/" + name);
      labels.add(label);
    }
    return labels;
  }

  private void repository(ObjectNode node) {
    node.put("name", repo);
    node.put("full_name", owner + "/" + repo);
    node.put("url", apiUrl());
    node.put("html_url", "https://github.com/" + owner + "/" + repo);
    ((ObjectNode) node.get("owner")).put("login", owner);
  }

  private ObjectNode sample(String operationId, int status) {
    return (ObjectNode) SchemaSamples.minimal(api.responseSchema(operationId, status));
  }

  private Optional<Pull> find(Request request) {
    return find(request, "pull_number");
  }

  private Optional<Pull> find(Request request, String parameter) {
    if (!ours(request)) {
      return Optional.empty();
    }
    int number = Integer.parseInt(request.path(parameter));
    return number >= 1 && number <= pulls.size() ? Optional.of(pulls.get(number - 1)) : Optional.empty();
  }

  private boolean ours(Request request) {
    return owner.equals(request.path("owner")) && repo.equals(request.path("repo"));
  }

  /** The repository's API URL as GitHub writes it in answers, on this server. */
  private String apiUrl() {
    return server.url() + "/repos/" + owner + "/" + repo;
  }

  private static Response notFound() {
    ObjectNode error = GitHubApiServer.error("Not Found");
    error.put("status", "404");
    return Response.json(404, error);
  }

  private static ObjectNode message(String message) {
    return GitHubApiServer.error(message);
  }

  /** GitHub's 422 for a pull request: "Validation Failed" and what failed. */
  private static Response invalid(String field, String code, String message) {
    ObjectNode body = GitHubApiServer.error("Validation Failed");
    ObjectNode error = NODES.objectNode();
    error.put("resource", "PullRequest");
    error.put("code", code);
    if (field != null) {
      error.put("field", field);
    }
    if (message != null) {
      error.put("message", message);
    }
    body.set("errors", NODES.arrayNode().add(error));
    return Response.json(422, body);
  }

  /** A commit-like id, the same for the same text. */
  static String sha(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
