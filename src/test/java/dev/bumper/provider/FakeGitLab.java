package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bumper.provider.GitLabApiServer.Request;
import dev.bumper.provider.GitLabApiServer.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One GitLab project's merge requests, answered through a {@link GitLabApiServer}: list, create,
 * get, update and merge them, and find users by username, kept in a small state so that a second
 * run finds what the first opened. Its refusals are GitLab's where the state decides them (a
 * second open merge request for the same branches: 409; a merge whose {@code sha} is not the
 * head: 409; a merge request that is not open: 405); {@link #refuseNextMerge} queues those it
 * cannot know of (a rule: 405 or 422 with GitLab's message). While {@link #pipelineRunning} is
 * set, a merge asked for with {@code auto_merge} waits for the pipeline, as GitLab's auto-merge
 * does; otherwise it merges at once.
 */
public final class FakeGitLab {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String TIME = "2024-05-06T07:08:09Z";
  private static final String HOST = "https://gitlab.example.com";

  /** A merge request as the state keeps it. */
  public static final class MergeRequest {
    final long id;
    final long iid;
    String title;
    String description;
    final String source;
    final String target;
    String state = "opened";
    String mergeCommit;
    boolean autoMerge;
    boolean squash;
    final Set<String> labels = new LinkedHashSet<>();
    final Set<Long> assignees = new LinkedHashSet<>();
    final Set<Long> reviewers = new LinkedHashSet<>();

    MergeRequest(long id, long iid, String title, String description, String source,
        String target) {
      this.id = id;
      this.iid = iid;
      this.title = title;
      this.description = description;
      this.source = source;
      this.target = target;
    }

    public long iid() {
      return iid;
    }

    public String title() {
      return title;
    }

    public String description() {
      return description;
    }

    public String state() {
      return state;
    }

    public boolean draft() {
      return isDraft(title);
    }

    public boolean autoMerge() {
      return autoMerge;
    }

    public boolean squash() {
      return squash;
    }

    public List<String> labels() {
      return List.copyOf(labels);
    }

    public List<Long> assignees() {
      return List.copyOf(assignees);
    }

    public List<Long> reviewers() {
      return List.copyOf(reviewers);
    }
  }

  private record Refusal(int status, String message) {}

  private final String project;
  private final long projectId = 42;
  private final Map<String, String> branches = new LinkedHashMap<>();
  private java.util.function.Function<String, java.util.Optional<String>> lookup =
      name -> java.util.Optional.ofNullable(branches.get(name));
  private final Map<String, Long> users = new LinkedHashMap<>();
  private final List<MergeRequest> mergeRequests = new ArrayList<>();
  private final Queue<Refusal> refusals = new ArrayDeque<>();
  private boolean pipelineRunning;

  /** Answers the project {@code group/sub/project}'s operations; other projects are 404. */
  public FakeGitLab(GitLabApiServer server, String project) {
    this.project = project;
    users.put("bumper-bot", 1L);
    server.answer("getApiV4ProjectsIdMergeRequests", this::list)
        .answer("postApiV4ProjectsIdMergeRequests", this::create)
        .answer("getApiV4ProjectsIdMergeRequestsMergeRequestIid", this::get)
        .answer("putApiV4ProjectsIdMergeRequestsMergeRequestIid", this::update)
        .answer("putApiV4ProjectsIdMergeRequestsMergeRequestIidMerge", this::merge)
        .answer("getApiV4Users", this::users)
        .answer("getApiV4ProjectsId", this::project);
  }

  /** Looks branches up with {@code lookup} (name to head commit): a real repository's. */
  public synchronized FakeGitLab branches(
      java.util.function.Function<String, java.util.Optional<String>> lookup) {
    this.lookup = lookup;
    return this;
  }

  public synchronized FakeGitLab branch(String name, String sha) {
    branches.put(name, sha);
    return this;
  }

  public synchronized FakeGitLab user(String username, long id) {
    users.put(username, id);
    return this;
  }

  /** Makes auto-merge wait for a pipeline (true) or merge at once (false, as with none). */
  public synchronized FakeGitLab pipelineRunning(boolean running) {
    this.pipelineRunning = running;
    return this;
  }

  /** Refuses the next merge with {@code status} and GitLab's {@code message}. */
  public synchronized FakeGitLab refuseNextMerge(int status, String message) {
    refusals.add(new Refusal(status, message));
    return this;
  }

  public synchronized List<MergeRequest> mergeRequests() {
    return List.copyOf(mergeRequests);
  }

  /** A stable commit id made of {@code text}, as a branch's head. */
  public static String sha(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
          .digest(text.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private synchronized Response list(Request request) {
    if (!project.equals(request.path("id"))) {
      return notFound("Project");
    }
    ArrayNode list = NODES.arrayNode();
    String state = request.query("state").orElse("all");
    for (MergeRequest mr : mergeRequests) {
      if ((state.equals("all") || state.equals(mr.state))
          && request.query("source_branch").map(mr.source::equals).orElse(true)
          && request.query("target_branch").map(mr.target::equals).orElse(true)) {
        list.add(json(mr));
      }
    }
    return Response.json(200, list);
  }

  private synchronized Response create(Request request) {
    if (!project.equals(request.path("id"))) {
      return notFound("Project");
    }
    JsonNode body = request.body();
    String source = body.path("source_branch").asString();
    String target = body.path("target_branch").asString();
    if (lookup.apply(source).isEmpty() || lookup.apply(target).isEmpty()) {
      return Response.error(422, "Source branch or target branch does not exist");
    }
    for (MergeRequest mr : mergeRequests) {
      if (mr.state.equals("opened") && mr.source.equals(source) && mr.target.equals(target)) {
        return Response.error(409, "Another open merge request already exists for this source"
            + " branch: !" + mr.iid);
      }
    }
    long iid = mergeRequests.size() + 1;
    MergeRequest mr = new MergeRequest(1000 + iid, iid, body.path("title").asString(),
        body.path("description").asString(""), source, target);
    body.path("labels").forEach(label -> mr.labels.add(label.asString()));
    body.path("assignee_ids").forEach(id -> mr.assignees.add(id.asLong()));
    body.path("reviewer_ids").forEach(id -> mr.reviewers.add(id.asLong()));
    mergeRequests.add(mr);
    return Response.json(201, json(mr));
  }

  private synchronized Response get(Request request) {
    MergeRequest mr = find(request);
    return mr == null ? notFound("Merge request") : Response.json(200, json(mr));
  }

  private synchronized Response update(Request request) {
    MergeRequest mr = find(request);
    if (mr == null) {
      return notFound("Merge request");
    }
    JsonNode body = request.body();
    if (body.has("title")) {
      mr.title = body.get("title").asString();
    }
    if (body.has("description")) {
      mr.description = body.get("description").asString();
    }
    if (body.has("labels")) {
      mr.labels.clear();
      body.get("labels").forEach(label -> mr.labels.add(label.asString()));
    }
    body.path("add_labels").forEach(label -> mr.labels.add(label.asString()));
    // GitLab sets the lists it is given: the ids are the new whole list, not additions.
    if (body.has("assignee_ids")) {
      mr.assignees.clear();
      body.get("assignee_ids").forEach(id -> mr.assignees.add(id.asLong()));
    }
    if (body.has("reviewer_ids")) {
      mr.reviewers.clear();
      body.get("reviewer_ids").forEach(id -> mr.reviewers.add(id.asLong()));
    }
    return Response.json(200, json(mr));
  }

  private synchronized Response merge(Request request) {
    MergeRequest mr = find(request);
    if (mr == null) {
      return notFound("Merge request");
    }
    if (!mr.state.equals("opened") || mr.draft()) {
      return Response.error(405, "405 Method Not Allowed");
    }
    Refusal refusal = refusals.poll();
    if (refusal != null) {
      return Response.error(refusal.status(), refusal.message());
    }
    JsonNode body = request.body();
    String head = lookup.apply(mr.source).orElse(null);
    if (body.has("sha") && !body.get("sha").asString().equals(head)) {
      return Response.error(409, "SHA does not match HEAD of source branch: " + head);
    }
    boolean auto = body.path("auto_merge").asBoolean(false)
        || body.path("merge_when_pipeline_succeeds").asBoolean(false);
    mr.squash = body.path("squash").asBoolean(false);
    if (auto && pipelineRunning) {
      mr.autoMerge = true;
      return Response.json(200, json(mr));
    }
    mr.state = "merged";
    mr.mergeCommit = sha("merge !" + mr.iid + " " + head);
    branches.put(mr.target, mr.mergeCommit);
    return Response.json(200, json(mr));
  }

  private synchronized Response project(Request request) {
    if (!project.equals(request.path("id"))) {
      return Response.json(404, NODES.objectNode().put("message", "404 Project Not Found"));
    }
    ObjectNode json = NODES.objectNode();
    json.put("id", projectId);
    json.put("name", project.substring(project.lastIndexOf('/') + 1));
    json.put("path", project.substring(project.lastIndexOf('/') + 1));
    json.put("path_with_namespace", project);
    json.put("default_branch", "main");
    json.put("web_url", "https://gitlab.example.com/" + project);
    return Response.json(200, json);
  }

  private synchronized Response users(Request request) {
    ArrayNode list = NODES.arrayNode();
    String wanted = request.query("username").orElse(null);
    users.forEach((name, id) -> {
      // GitLab finds a username whatever its case
      if (wanted == null || name.equalsIgnoreCase(wanted)) {
        list.add(userJson(name, id));
      }
    });
    return Response.json(200, list);
  }

  private MergeRequest find(Request request) {
    if (!project.equals(request.path("id"))) {
      return null;
    }
    long iid = Long.parseLong(request.path("merge_request_iid"));
    return mergeRequests.stream().filter(mr -> mr.iid == iid).findFirst().orElse(null);
  }

  private ObjectNode json(MergeRequest mr) {
    ObjectNode json = NODES.objectNode();
    json.put("id", mr.id);
    json.put("iid", mr.iid);
    json.put("project_id", projectId);
    json.put("title", mr.title);
    if (mr.description.isEmpty()) {
      json.putNull("description");
    } else {
      json.put("description", mr.description);
    }
    json.put("state", mr.state);
    json.put("created_at", TIME);
    json.put("updated_at", TIME);
    json.put("source_branch", mr.source);
    json.put("target_branch", mr.target);
    json.set("author", userJson("bumper-bot", 1));
    json.set("assignees", people(mr.assignees));
    json.set("reviewers", people(mr.reviewers));
    ArrayNode labels = json.putArray("labels");
    mr.labels.forEach(labels::add);
    json.put("draft", mr.draft());
    json.put("work_in_progress", mr.draft());
    json.put("merge_when_pipeline_succeeds", mr.autoMerge);
    json.put("sha", lookup.apply(mr.source).orElse(sha(mr.source)));
    if (mr.mergeCommit == null) {
      json.putNull("merge_commit_sha");
    } else {
      json.put("merge_commit_sha", mr.mergeCommit);
    }
    json.put("web_url", HOST + "/" + project + "/-/merge_requests/" + mr.iid);
    return json;
  }

  private ArrayNode people(Set<Long> ids) {
    ArrayNode people = NODES.arrayNode();
    for (long id : ids) {
      users.forEach((name, userId) -> {
        if (userId == id) {
          people.add(userJson(name, id));
        }
      });
    }
    return people;
  }

  private static ObjectNode userJson(String username, long id) {
    ObjectNode user = NODES.objectNode();
    user.put("id", id);
    user.put("username", username);
    user.put("name", username);
    user.put("state", "active");
    user.put("locked", false);
    user.putNull("avatar_url");
    user.put("web_url", HOST + "/" + username);
    return user;
  }

  private static Response notFound(String what) {
    return Response.error(404, "404 " + what + " Not Found");
  }

  /** GitLab's draft prefixes: {@code Draft:}, {@code [Draft]}, {@code (Draft)}, any case. */
  static boolean isDraft(String title) {
    String lower = title.toLowerCase(Locale.ROOT);
    return lower.startsWith("draft:") || lower.startsWith("[draft]")
        || lower.startsWith("(draft)");
  }
}
