package dev.bumper.git;

import dev.bumper.edit.DeployedImages;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * What an environment deployed over time, read from a config repo's history: each commit of the
 * branch's first-parent line (the line deploys land on, merges of pull requests included) that
 * changed the reference of an image under PATH, with the images before and after and the
 * trailers of the commit. Images are found by the rules a bump follows ({@link DeployedImages}).
 */
public final class DeployHistory {
  /** The trailers history reports. */
  public static final List<String> TRAILERS = List.of("Source-Commit", "Build-URL", "Rollback-Of");

  /** One image's reference changed: {@code old} or {@code now} null when it came or went. */
  public record ImageChange(String repository, String old, String now) {}

  /**
   * A commit that changed what the environment deploys.
   *
   * @param back how many later deploys there are: 0 for the one running now
   * @param trailers {@link #TRAILERS} the commit has (for a merge without them, its merged head's)
   */
  public record Deploy(
      String commit, OffsetDateTime date, String author, String subject,
      Map<String, String> trailers, List<ImageChange> changes, DeployedImages images, int back) {
    Deploy withBack(int back) {
      return new Deploy(commit, date, author, subject, trailers, changes, images, back);
    }
  }

  /**
   * The history of PATH up to {@code start}.
   *
   * @param shallow whether the history was cut short (a shallow clone): it starts at the oldest
   *     commit there is
   */
  public record Result(String path, String tip, List<Deploy> deploys, DeployedImages now,
      boolean shallow) {
    /** The deploy {@code back} deploys before the newest, or null when there are not that many. */
    public Deploy back(int back) {
      int index = deploys.size() - 1 - back;
      return index < 0 || index >= deploys.size() ? null : deploys.get(index);
    }
  }

  private final Repository repo;
  private final Map<ObjectId, DeployedImages> byTree = new HashMap<>();

  public DeployHistory(Repository repo) {
    this.repo = repo;
  }

  /** Reads the deploys of {@code path} (from the top of the repository; {@code ""}: all of it). */
  public Result read(AnyObjectId start, String path) throws IOException {
    List<RevCommit> line = new ArrayList<>();
    boolean shallow;
    try (RevWalk walk = new RevWalk(repo)) {
      walk.setFirstParent(true);
      walk.markStart(walk.parseCommit(start));
      for (RevCommit commit : walk) {
        line.add(commit);
      }
      // a shallow clone's oldest commit has parents its repository lacks, which JGit's walk
      // drops: the repository's list of shallow commits tells it
      RevCommit oldest = line.isEmpty() ? null : line.get(line.size() - 1);
      shallow = oldest != null
          && (oldest.getParentCount() > 0 || repo.getObjectDatabase().getShallowCommits().contains(oldest));
    }
    List<Deploy> deploys = new ArrayList<>();
    DeployedImages before = new DeployedImages(new java.util.TreeMap<>());
    ObjectId beforeId = null;
    try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
      for (int i = line.size() - 1; i >= 0; i--) {
        RevCommit commit = walk.parseCommit(line.get(i));
        ObjectId id = idAt(reader, commit, path);
        if (Objects.equals(id, beforeId) && i != line.size() - 1) {
          continue;
        }
        DeployedImages after = imagesAt(reader, commit, path, id);
        List<ImageChange> changes = changes(before.byRepository(), after.byRepository());
        boolean first = i == line.size() - 1;
        if (!changes.isEmpty() && !(first && shallow)) {
          deploys.add(deploy(walk, commit, changes, after));
        }
        before = after;
        beforeId = id;
      }
    }
    List<Deploy> numbered = new ArrayList<>();
    for (int i = 0; i < deploys.size(); i++) {
      numbered.add(deploys.get(i).withBack(deploys.size() - 1 - i));
    }
    return new Result(path, ObjectId.toString(start.copy()), numbered, before, shallow);
  }

  /** What PATH deploys at {@code commit}. */
  public DeployedImages imagesAt(AnyObjectId commit, String path) throws IOException {
    try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
      RevCommit parsed = walk.parseCommit(commit);
      return imagesAt(reader, parsed, path, idAt(reader, parsed, path));
    }
  }

  private DeployedImages imagesAt(ObjectReader reader, RevCommit commit, String path, ObjectId id)
      throws IOException {
    if (id == null) {
      return new DeployedImages(new java.util.TreeMap<>());
    }
    DeployedImages known = byTree.get(id);
    if (known == null) {
      known = DeployedImages.of(new PathSnapshot(reader, commit.getTree(), path), path);
      byTree.put(id, known);
    }
    return known;
  }

  /** The id of PATH's tree or blob in {@code commit}, or null when it has none. */
  private static ObjectId idAt(ObjectReader reader, RevCommit commit, String path)
      throws IOException {
    if (path.isEmpty()) {
      return commit.getTree().copy();
    }
    try (TreeWalk walk = TreeWalk.forPath(reader, path, commit.getTree())) {
      return walk == null ? null : walk.getObjectId(0);
    }
  }

  private static List<ImageChange> changes(
      SortedMap<String, SortedSet<String>> before, SortedMap<String, SortedSet<String>> after) {
    TreeSet<String> repositories = new TreeSet<>(before.keySet());
    repositories.addAll(after.keySet());
    List<ImageChange> changes = new ArrayList<>();
    for (String repository : repositories) {
      String old = DeployedImages.shown(before.get(repository));
      String now = DeployedImages.shown(after.get(repository));
      if (!Objects.equals(old, now)) {
        changes.add(new ImageChange(repository, old, now));
      }
    }
    return changes;
  }

  private static Deploy deploy(RevWalk walk, RevCommit commit, List<ImageChange> changes,
      DeployedImages after) throws IOException {
    Map<String, String> trailers = trailers(commit);
    if (commit.getParentCount() > 1 && !trailers.containsKey("Source-Commit")) {
      // a merged pull request: its head is bumper's commit, which says where the image came from
      RevCommit head = walk.parseCommit(commit.getParent(1));
      trailers(head).forEach(trailers::putIfAbsent);
    }
    PersonIdent author = commit.getAuthorIdent();
    PersonIdent committer = commit.getCommitterIdent();
    OffsetDateTime date = OffsetDateTime.ofInstant(committer.getWhenAsInstant(),
        committer.getZoneId());
    return new Deploy(commit.name(), date, author.getName() + " <" + author.getEmailAddress() + ">",
        commit.getShortMessage(), trailers, changes, after, 0);
  }

  private static Map<String, String> trailers(RevCommit commit) {
    Map<String, String> trailers = new LinkedHashMap<>();
    for (FooterLine footer : commit.getFooterLines()) {
      for (String name : TRAILERS) {
        if (footer.getKey().equalsIgnoreCase(name)) {
          trailers.putIfAbsent(name, footer.getValue().strip());
        }
      }
    }
    return trailers;
  }

}
