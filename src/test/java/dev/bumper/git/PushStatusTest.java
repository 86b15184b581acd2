package dev.bumper.git;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefLeaseSpec;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PushStatus on the ref updates of real pushes: JGit's own receive-pack for file URLs, and the git
 * CLI's receive-pack (forked by JGit) where server-side hooks and ref locks come into play.
 */
class PushStatusTest {
  private static String gitReceivePack;

  @TempDir Path tmp;
  private Repository remote;
  private Repository local;
  private String remoteUrl;
  private ObjectId a;

  @BeforeAll
  static void findGit() throws Exception {
    Process p = new ProcessBuilder("git", "--exec-path").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Path receivePack = Path.of(out, "git-receive-pack");
    assertThat(receivePack).isExecutable();
    // not the name "git-receive-pack": any other command makes JGit fork it instead of serving in-process
    gitReceivePack = receivePack.toString();
  }

  @BeforeEach
  void repos() throws Exception {
    remote = bare(tmp.resolve("remote.git"));
    local = bare(tmp.resolve("local.git"));
    remoteUrl = tmp.resolve("remote.git").toUri().toString();
    a = commit(local, null, "a");
    PushStatus first = PushStatus.of(push(a, "main", null));
    assertThat(first.verdict()).isEqualTo(PushStatus.Verdict.OK);
  }

  @AfterEach
  void close() {
    remote.close();
    local.close();
  }

  // ---- landed

  @Test
  void fastForwardIsOk() throws Exception {
    ObjectId b = commit(local, a, "b");
    Iterable<PushResult> results = push(b, "main", null);
    assertThat(statuses(results)).containsExactly(RemoteRefUpdate.Status.OK);
    PushStatus status = PushStatus.of(results);
    assertThat(status.verdict()).isEqualTo(PushStatus.Verdict.OK);
    assertThat(status.message()).isEmpty();
    assertThat(remote.resolve("refs/heads/main")).isEqualTo(b);
  }

  @Test
  void alreadyThereIsOk() throws Exception {
    Iterable<PushResult> results = push(a, "main", null);
    assertThat(statuses(results)).containsExactly(RemoteRefUpdate.Status.UP_TO_DATE);
    assertThat(PushStatus.of(results).verdict()).isEqualTo(PushStatus.Verdict.OK);
  }

  @Test
  void forkedGitReceivePackFastForwardIsOk() throws Exception {
    ObjectId b = commit(local, a, "b");
    Iterable<PushResult> results = push(b, "main", gitReceivePack);
    assertThat(statuses(results)).containsExactly(RemoteRefUpdate.Status.OK);
    assertThat(PushStatus.of(results).verdict()).isEqualTo(PushStatus.Verdict.OK);
  }

  // ---- lost a race: retry

  @Test
  void nonFastForwardIsRetried() throws Exception {
    ObjectId theirs = commit(local, a, "theirs");
    assertThat(PushStatus.of(push(theirs, "main", null)).verdict()).isEqualTo(PushStatus.Verdict.OK);
    ObjectId ours = commit(local, a, "ours");
    Iterable<PushResult> results = push(ours, "main", null);
    assertThat(statuses(results)).containsExactly(RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD);
    PushStatus status = PushStatus.of(results);
    assertThat(status.verdict()).isEqualTo(PushStatus.Verdict.RETRY);
    assertThat(status.message()).isEqualTo("the remote branch moved");
    assertThat(remote.resolve("refs/heads/main")).as("nothing overwritten").isEqualTo(theirs);
  }

  @Test
  void nonFastForwardThroughGitReceivePackIsRetried() throws Exception {
    ObjectId theirs = commit(local, a, "theirs");
    push(theirs, "main", gitReceivePack);
    ObjectId ours = commit(local, a, "ours");
    Iterable<PushResult> results = push(ours, "main", gitReceivePack);
    assertThat(statuses(results)).containsExactly(RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD);
    assertThat(PushStatus.of(results).verdict()).isEqualTo(PushStatus.Verdict.RETRY);
  }

  @Test
  void expectedOldValueMismatchIsRetried() throws Exception {
    ObjectId theirs = commit(local, a, "theirs");
    push(theirs, "main", null);
    ObjectId ours = commit(local, theirs, "ours");
    Iterable<PushResult> results =
        Git.wrap(local)
            .push()
            .setRemote(remoteUrl)
            .setRefSpecs(new RefSpec(ours.name() + ":refs/heads/main"))
            .setRefLeaseSpecs(new RefLeaseSpec("refs/heads/main", a.name()))
            .call();
    assertThat(statuses(results)).containsExactly(RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED);
    assertThat(PushStatus.of(results).verdict()).isEqualTo(PushStatus.Verdict.RETRY);
    assertThat(remote.resolve("refs/heads/main")).isEqualTo(theirs);
  }

  @Test
  void refMovedBetweenAdvertisementAndUpdateIsRetried() throws Exception {
    // the pre-receive hook plays another pipeline that lands just before this push's update
    ObjectId theirs = commit(remote, a, "theirs");
    hook("pre-receive", "unset GIT_QUARANTINE_PATH\ngit update-ref refs/heads/main " + theirs.name() + "\ncat >/dev/null\nexit 0\n");
    ObjectId ours = commit(local, a, "ours");
    Iterable<PushResult> results = push(ours, "main", gitReceivePack);
    assertThat(statuses(results)).containsExactly(RemoteRefUpdate.Status.REJECTED_OTHER_REASON);
    PushStatus status = PushStatus.of(results);
    assertThat(status.verdict()).as(status.message()).isEqualTo(PushStatus.Verdict.RETRY);
    assertThat(remote.resolve("refs/heads/main")).isEqualTo(theirs);
  }

  @Test
  void staleRefLockThroughGitReceivePackIsRetried() throws Exception {
    Path lock = tmp.resolve("remote.git/refs/heads/main.lock");
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, a.name() + "\n");
    ObjectId ours = commit(local, a, "ours");
    Iterable<PushResult> results = push(ours, "main", gitReceivePack);
    assertThat(statuses(results)).containsExactly(RemoteRefUpdate.Status.REJECTED_OTHER_REASON);
    PushStatus status = PushStatus.of(results);
    assertThat(status.verdict()).as(status.message()).isEqualTo(PushStatus.Verdict.RETRY);
  }

  @Test
  void staleRefLockInProcessIsRetried() throws Exception {
    Path lock = tmp.resolve("remote.git/refs/heads/main.lock");
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, a.name() + "\n");
    ObjectId ours = commit(local, a, "ours");
    Iterable<PushResult> results = push(ours, "main", null);
    assertThat(statuses(results)).doesNotContain(RemoteRefUpdate.Status.OK);
    PushStatus status = PushStatus.of(results);
    assertThat(status.verdict()).as(statuses(results) + " " + status.message()).isEqualTo(PushStatus.Verdict.RETRY);
  }

  // ---- refused: no retry

  @Test
  void preReceiveHookRejectionIsFatalAndKeepsTheServersMessage() throws Exception {
    hook("pre-receive", "echo 'policy: direct pushes to main are not allowed' >&2\nexit 1\n");
    ObjectId ours = commit(local, a, "ours");
    Iterable<PushResult> results = push(ours, "main", gitReceivePack);
    assertThat(statuses(results)).containsExactly(RemoteRefUpdate.Status.REJECTED_OTHER_REASON);
    PushStatus status = PushStatus.of(results);
    assertThat(status.verdict()).isEqualTo(PushStatus.Verdict.FATAL);
    assertThat(status.message())
        .contains("pre-receive hook declined")
        .contains("policy: direct pushes to main are not allowed");
    assertThat(remote.resolve("refs/heads/main")).isEqualTo(a);
  }

  @Test
  void hookWhoseMessageTalksAboutLocksIsStillFatal() throws Exception {
    hook("pre-receive", "echo 'main is locked: release freeze, non-fast-forward pushes and all' >&2\nexit 1\n");
    ObjectId ours = commit(local, a, "ours");
    PushStatus status = PushStatus.of(push(ours, "main", gitReceivePack));
    assertThat(status.verdict()).isEqualTo(PushStatus.Verdict.FATAL);
    assertThat(status.message()).contains("release freeze");
  }

  @Test
  void updateHookRejectionIsFatal() throws Exception {
    hook("update", "echo \"no pushes to $1\" >&2\nexit 1\n");
    ObjectId ours = commit(local, a, "ours");
    Iterable<PushResult> results = push(ours, "main", gitReceivePack);
    assertThat(statuses(results)).containsExactly(RemoteRefUpdate.Status.REJECTED_OTHER_REASON);
    PushStatus status = PushStatus.of(results);
    assertThat(status.verdict()).isEqualTo(PushStatus.Verdict.FATAL);
    assertThat(status.message()).contains("hook declined").contains("no pushes to refs/heads/main");
  }

  // ---- several updates: the worst decides

  @Test
  void oneLostRaceAmongLandedUpdatesIsRetried() throws Exception {
    ObjectId ours = commit(local, a, "ours");
    ObjectId moved = commit(local, a, "moved");
    push(moved, "other", null);
    Iterable<PushResult> results =
        Git.wrap(local)
            .push()
            .setRemote(remoteUrl)
            .setRefSpecs(new RefSpec(ours.name() + ":refs/heads/main"), new RefSpec(ours.name() + ":refs/heads/other"))
            .call();
    assertThat(statuses(results))
        .containsExactlyInAnyOrder(RemoteRefUpdate.Status.OK, RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD);
    assertThat(PushStatus.of(results).verdict()).isEqualTo(PushStatus.Verdict.RETRY);
  }

  @Test
  void oneRefusalAmongLandedUpdatesIsFatal() throws Exception {
    hook("update", "case \"$1\" in refs/heads/protected) echo \"protected: $1\" >&2; exit 1;; esac\nexit 0\n");
    ObjectId ours = commit(local, a, "ours");
    Iterable<PushResult> results =
        Git.wrap(local)
            .push()
            .setRemote(remoteUrl)
            .setReceivePack(gitReceivePack)
            .setRefSpecs(new RefSpec(ours.name() + ":refs/heads/main"), new RefSpec(ours.name() + ":refs/heads/protected"))
            .call();
    assertThat(statuses(results))
        .containsExactlyInAnyOrder(RemoteRefUpdate.Status.OK, RemoteRefUpdate.Status.REJECTED_OTHER_REASON);
    PushStatus status = PushStatus.of(results);
    assertThat(status.verdict()).isEqualTo(PushStatus.Verdict.FATAL);
    assertThat(status.message()).contains("protected: refs/heads/protected");
  }

  @Test
  void noRefUpdateAtAllIsFatal() {
    PushStatus status = PushStatus.of(List.of());
    assertThat(status.verdict()).isEqualTo(PushStatus.Verdict.FATAL);
    assertThat(status.message()).contains("no ref update");
  }

  @Test
  void emptyPushResultIsFatal() {
    PushStatus status = PushStatus.of(List.of(new PushResult()));
    assertThat(status.verdict()).isEqualTo(PushStatus.Verdict.FATAL);
  }

  // ---- helpers

  private Iterable<PushResult> push(ObjectId id, String branch, String receivePack) throws Exception {
    var push =
        Git.wrap(local).push().setRemote(remoteUrl).setRefSpecs(new RefSpec(id.name() + ":refs/heads/" + branch));
    if (receivePack != null) {
      push.setReceivePack(receivePack);
    }
    return push.call();
  }

  private static List<RemoteRefUpdate.Status> statuses(Iterable<PushResult> results) {
    List<RemoteRefUpdate.Status> statuses = new ArrayList<>();
    for (PushResult result : results) {
      for (RemoteRefUpdate update : result.getRemoteUpdates()) {
        statuses.add(update.getStatus());
      }
    }
    return statuses;
  }

  private void hook(String name, String body) throws IOException {
    Path hook = tmp.resolve("remote.git/hooks/" + name);
    Files.createDirectories(hook.getParent());
    Files.writeString(hook, "#!/bin/sh\n" + body, UTF_8);
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Repository bare(Path dir) throws IOException {
    Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
    repo.create(true);
    repo.getRefDatabase().newUpdate(Constants.HEAD, false).link("refs/heads/main");
    return repo;
  }

  /** A commit with one file whose content is {@code content}, in {@code repo}'s object database. */
  private static ObjectId commit(Repository repo, ObjectId parent, String content) throws IOException {
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      DirCacheEntry entry = new DirCacheEntry("file.txt");
      entry.setFileMode(FileMode.REGULAR_FILE);
      entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, (content + "\n").getBytes(UTF_8)));
      builder.add(entry);
      builder.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      if (parent != null) {
        commit.setParentId(parent);
      }
      PersonIdent who = new PersonIdent("Test", "test@example.com");
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(content + "\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }
}
