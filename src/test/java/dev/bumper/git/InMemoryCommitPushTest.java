package dev.bumper.git;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bumper.edit.EditFailedException;
import dev.bumper.secret.SecretMask;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** InMemoryCommitPush against real bare repositories over file:// (JGit's in-process transport). */
class InMemoryCommitPushTest {
  private static final String WEB = "deploy/web.yaml";
  private static final String API = "deploy/api.yaml";
  private static final PersonIdent BOT = new PersonIdent("CI Bot", "ci@example.com");
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path tmp;
  private Repository remote;
  private RemoteUrl url;
  private ObjectId seed;

  @BeforeEach
  void seedRemote() throws IOException {
    remote = bare(tmp.resolve("config.git"), "main");
    url = RemoteUrl.parse(tmp.resolve("config.git").toUri().toString());
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(WEB, web("1.0.0"));
    files.put(API, api("1.0.0"));
    files.put("README.md", "# config\n".getBytes(UTF_8));
    seed = commit(remote, null, files, Map.of("scripts/run.sh", "#!/bin/sh\necho run\n"), Map.of("current.yaml", WEB), "seed");
    setBranch(remote, "main", seed);
  }

  @AfterEach
  void close() {
    remote.close();
  }

  // ---- the plain bump

  @Test
  void bumpCommitsOnTheTipAndPushes() throws Exception {
    CommitSpec spec =
        new CommitSpec(BOT, "Deploy {summary} from {short_sha}", Map.of("sha", SHA), trailers(SHA), true);
    PushOutcome outcome = new InMemoryCommitPush(url, setWeb("2.0.0", new AtomicInteger()), spec).call();

    assertThat(outcome.committed()).isTrue();
    assertThat(outcome.pushed()).isTrue();
    assertThat(outcome.attempts()).isEqualTo(1);
    assertThat(outcome.branch()).isEqualTo("main");
    ObjectId tip = remote.resolve("refs/heads/main");
    assertThat(outcome.commit()).isEqualTo(tip.name());
    try (RevWalk walk = new RevWalk(remote)) {
      RevCommit commit = walk.parseCommit(tip);
      assertThat(commit.getParents()).extracting(RevCommit::getId).containsExactly(seed);
      assertThat(commit.getAuthorIdent().getName()).isEqualTo("CI Bot");
      assertThat(commit.getAuthorIdent().getEmailAddress()).isEqualTo("ci@example.com");
      assertThat(commit.getCommitterIdent().getName()).isEqualTo("CI Bot");
      assertThat(commit.getCommitterIdent().getEmailAddress()).isEqualTo("ci@example.com");
      assertThat(commit.getFullMessage())
          .isEqualTo("Deploy web 1.0.0 -> 2.0.0 from 0123456 [skip ci]\n\nSource-Commit: " + SHA + "\n");
    }
    assertThat(read(tip, WEB)).isEqualTo(new String(web("2.0.0"), UTF_8));
    // everything else is the seed's, blob for blob, mode for mode
    Map<String, String> before = entries(seed);
    Map<String, String> after = entries(tip);
    assertThat(after.keySet()).isEqualTo(before.keySet());
    before.forEach((path, entry) -> {
      if (!path.equals(WEB)) {
        assertThat(after.get(path)).as(path).isEqualTo(entry);
      }
    });
    assertThat(after.get(WEB)).startsWith(FileMode.REGULAR_FILE + " ");
    assertThat(after.get("scripts/run.sh")).startsWith(FileMode.EXECUTABLE_FILE + " ");
    assertThat(after.get("current.yaml")).startsWith(FileMode.SYMLINK + " ");
  }

  @Test
  void theCommitIsStampedByTheClockGiven() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-12-05T07:52:38Z"), ZoneId.of("Europe/Berlin"));
    new InMemoryCommitPush(url, setWeb("2.0.0", new AtomicInteger()), spec()).setClock(clock).call();

    try (RevWalk walk = new RevWalk(remote)) {
      RevCommit commit = walk.parseCommit(remote.resolve("refs/heads/main"));
      for (PersonIdent who : List.of(commit.getAuthorIdent(), commit.getCommitterIdent())) {
        assertThat(who.getWhenAsInstant()).isEqualTo(Instant.parse("2026-12-05T07:52:38Z"));
        assertThat(who.getZoneOffset()).isEqualTo(ZoneOffset.ofHours(1));
      }
    }
  }

  @Test
  void nothingToChangeIsNoCommit() throws Exception {
    PushOutcome outcome = new InMemoryCommitPush(url, setWeb("1.0.0", new AtomicInteger()), spec()).call();
    assertThat(outcome.committed()).isFalse();
    assertThat(outcome.pushed()).isFalse();
    assertThat(outcome.attempts()).isEqualTo(1);
    assertThat(outcome.commit()).isEqualTo(seed.name());
    assertThat(remote.resolve("refs/heads/main")).isEqualTo(seed);
  }

  @Test
  void snapshotHoldsRegularAndExecutableFilesOnly() throws Exception {
    List<String> seen = new ArrayList<>();
    TreeChange look =
        snapshot -> {
          seen.addAll(snapshot.paths());
          assertThat(new String(snapshot.read("scripts/run.sh"), UTF_8)).isEqualTo("#!/bin/sh\necho run\n");
          assertThatThrownBy(() -> snapshot.read("current.yaml")).isInstanceOf(IOException.class);
          assertThatThrownBy(() -> snapshot.read("deploy")).isInstanceOf(IOException.class);
          return new TreeChange.Result(Map.of(), List.of());
        };
    new InMemoryCommitPush(url, look, spec()).call();
    assertThat(seen).containsExactly("README.md", API, WEB, "scripts/run.sh");
  }

  @Test
  void executableFileStaysExecutableAndNewFileIsRegular() throws Exception {
    TreeChange change =
        snapshot ->
            new TreeChange.Result(
                Map.of("scripts/run.sh", "#!/bin/sh\necho run 2\n".getBytes(UTF_8), "deploy/new/job.yaml", "kind: Job\n".getBytes(UTF_8)),
                List.of("two files"));
    new InMemoryCommitPush(url, change, spec()).call();
    Map<String, String> after = entries(remote.resolve("refs/heads/main"));
    assertThat(after.get("scripts/run.sh")).startsWith(FileMode.EXECUTABLE_FILE + " ");
    assertThat(after.get("deploy/new/job.yaml")).startsWith(FileMode.REGULAR_FILE + " ");
    assertThat(read(remote.resolve("refs/heads/main"), "deploy/new/job.yaml")).isEqualTo("kind: Job\n");
  }

  @Test
  void changeFailureEndsTheRunAndPushesNothing() {
    TreeChange failing =
        snapshot -> {
          throw new EditFailedException(3, "nothing matched", List.of());
        };
    EditFailedException thrown =
        catchThrowableOfType(EditFailedException.class, () -> new InMemoryCommitPush(url, failing, spec()).call());
    assertThat(thrown.exitCode()).isEqualTo(3);
    assertThat(branchTip("main")).isEqualTo(seed);
  }

  // ---- branches

  @Test
  void givenBranchIsBumpedAndOthersAreLeftAlone() throws Exception {
    setBranch(remote, "release", seed);
    PushOutcome outcome =
        new InMemoryCommitPush(url, setWeb("2.0.0", new AtomicInteger()), spec()).setBranch("release").call();
    assertThat(outcome.branch()).isEqualTo("release");
    assertThat(read(remote.resolve("refs/heads/release"), WEB)).contains("web:2.0.0");
    assertThat(branchTip("main")).isEqualTo(seed);
  }

  @Test
  void missingBranchIsAnIoErrorNamingIt() {
    IOException thrown =
        catchThrowableOfType(
            IOException.class,
            () -> new InMemoryCommitPush(url, setWeb("2.0.0", new AtomicInteger()), spec()).setBranch("nope").call());
    assertThat(thrown.getMessage()).contains("nope");
    assertThat(branchTip("main")).isEqualTo(seed);
  }

  @Test
  void defaultBranchIsTheRemotesHead() throws Exception {
    setBranch(remote, "trunk", seed);
    remote.getRefDatabase().newUpdate(Constants.HEAD, false).link("refs/heads/trunk");
    PushOutcome outcome = new InMemoryCommitPush(url, setWeb("2.0.0", new AtomicInteger()), spec()).call();
    assertThat(outcome.branch()).isEqualTo("trunk");
    assertThat(read(remote.resolve("refs/heads/trunk"), WEB)).contains("web:2.0.0");
    assertThat(branchTip("main")).isEqualTo(seed);
  }

  @Test
  void aDetachedHeadFallsBackToMain() throws Exception {
    setBranch(remote, "trunk", seed);
    RefUpdate detach = remote.getRefDatabase().newUpdate(Constants.HEAD, true);
    detach.setNewObjectId(seed);
    detach.setForceUpdate(true);
    assertThat(detach.forceUpdate())
        .isNotIn(RefUpdate.Result.LOCK_FAILURE, RefUpdate.Result.IO_FAILURE);
    PushOutcome outcome =
        new InMemoryCommitPush(url, setWeb("2.0.0", new AtomicInteger()), spec()).call();
    assertThat(outcome.branch()).isEqualTo("main");
    assertThat(read(remote.resolve("refs/heads/main"), WEB)).contains("web:2.0.0");
    assertThat(branchTip("trunk")).isEqualTo(seed);
  }

  @Test
  void theDefaultBranchIsFoundWhenTheTreeIsFetchedWithoutBlobs() throws Exception {
    setBranch(remote, "trunk", seed);
    remote.getRefDatabase().newUpdate(Constants.HEAD, false).link("refs/heads/trunk");
    remote.getConfig().setBoolean("uploadpack", null, "allowFilter", true);
    remote.getConfig().save();
    TreeChange scoped = setWebUnderItsPath("2.0.0");
    PushOutcome outcome = new InMemoryCommitPush(url, scoped, spec()).call();
    assertThat(outcome.branch()).isEqualTo("trunk");
    assertThat(read(remote.resolve("refs/heads/trunk"), WEB)).contains("web:2.0.0");
  }

  @Test
  void aServerWithoutFiltersGetsTheFetchWithBlobs() throws Exception {
    List<String> log = new ArrayList<>();
    TreeChange scoped = setWebUnderItsPath("2.0.0");
    AtomicInteger calls = new AtomicInteger();
    TreeChange racing = new TreeChange() {
      @Override
      public Result apply(Snapshot snapshot) throws IOException {
        if (calls.getAndIncrement() == 0) {
          advance(API, api("3.0.0"), "theirs");
        }
        return scoped.apply(snapshot);
      }

      @Override
      public List<String> scope() {
        return scoped.scope();
      }
    };

    // the default remote allows no fetch filter: the blob-less fetch is refused once, the HEAD
    // fetch made with blobs, and the retry after the lost race asks no filter again
    PushOutcome outcome = new InMemoryCommitPush(url, racing, spec())
        .setBaseDelayMillis(1).setLog(log::add).call();

    assertThat(outcome.branch()).isEqualTo("main");
    assertThat(outcome.attempts()).isEqualTo(2);
    assertThat(read(remote.resolve("refs/heads/main"), WEB)).contains("web:2.0.0");
    assertThat(read(remote.resolve("refs/heads/main"), API)).contains("3.0.0");
  }

  @Test
  void noDefaultBranchAsksForOne() throws Exception {
    setBranch(remote, "develop", seed);
    RefUpdate delete = remote.getRefDatabase().newUpdate("refs/heads/main", false);
    delete.setForceUpdate(true);
    assertThat(delete.delete()).isIn(RefUpdate.Result.FORCED, RefUpdate.Result.FAST_FORWARD, RefUpdate.Result.NO_CHANGE);
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> new InMemoryCommitPush(url, setWeb("2.0.0", new AtomicInteger()), spec()).call());
    assertThat(thrown).hasMessageContaining("--branch");
    assertThat(branchTip("develop")).isEqualTo(seed);
  }

  // ---- lost races

  @Test
  void lostRaceAppliesTheChangeAgainOnTheNewTip() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<String> apiSeen = new ArrayList<>();
    List<String> log = new ArrayList<>();
    ObjectId[] theirs = new ObjectId[1];
    TreeChange ours =
        snapshot -> {
          apiSeen.add(new String(snapshot.read(API), UTF_8));
          if (theirs[0] == null) {
            theirs[0] = advance(API, api("1.1.0"), "another pipeline");
          }
          return setWeb("2.0.0", calls).apply(snapshot);
        };
    PushOutcome outcome =
        new InMemoryCommitPush(url, ours, spec()).setBaseDelayMillis(1).setLog(log::add).call();

    assertThat(outcome.attempts()).isEqualTo(2);
    assertThat(outcome.committed()).isTrue();
    assertThat(calls).hasValue(2);
    assertThat(apiSeen).containsExactly(new String(api("1.0.0"), UTF_8), new String(api("1.1.0"), UTF_8));
    ObjectId tip = branchTip("main");
    assertThat(outcome.commit()).isEqualTo(tip.name());
    assertThat(read(tip, WEB)).contains("web:2.0.0");
    assertThat(read(tip, API)).as("the other pipeline's change is kept").contains("api:1.1.0");
    try (RevWalk walk = new RevWalk(remote)) {
      assertThat(walk.parseCommit(tip).getParent(0).getId()).isEqualTo(theirs[0]);
    }
    assertThat(log).hasSize(1);
    assertThat(log.get(0)).contains("attempt 2 of 10");
  }

  @Test
  void raceOnTheSameLineIsWonByTheLaterBump() throws Exception {
    boolean[] raced = new boolean[1];
    TreeChange ours =
        snapshot -> {
          if (!raced[0]) {
            raced[0] = true;
            advance(WEB, web("1.5.0"), "another pipeline, same image");
          }
          return setWeb("2.0.0", new AtomicInteger()).apply(snapshot);
        };
    PushOutcome outcome = new InMemoryCommitPush(url, ours, spec()).setBaseDelayMillis(1).call();
    assertThat(outcome.attempts()).isEqualTo(2);
    assertThat(read(branchTip("main"), WEB)).isEqualTo(new String(web("2.0.0"), UTF_8));
    try (RevWalk walk = new RevWalk(remote)) {
      assertThat(walk.parseCommit(walk.parseCommit(branchTip("main")).getParent(0)).getFullMessage()).isEqualTo("another pipeline, same image\n");
    }
  }

  @Test
  void raceWonWithTheSameValueEndsWithNothingToCommit() throws Exception {
    boolean[] raced = new boolean[1];
    ObjectId[] theirs = new ObjectId[1];
    TreeChange ours =
        snapshot -> {
          if (!raced[0]) {
            raced[0] = true;
            theirs[0] = advance(WEB, web("2.0.0"), "another pipeline, same bump");
          }
          return setWeb("2.0.0", new AtomicInteger()).apply(snapshot);
        };
    PushOutcome outcome = new InMemoryCommitPush(url, ours, spec()).setBaseDelayMillis(1).call();
    assertThat(outcome.committed()).isFalse();
    assertThat(outcome.pushed()).isFalse();
    assertThat(outcome.attempts()).isEqualTo(2);
    assertThat(branchTip("main")).isEqualTo(theirs[0]);
  }

  @Test
  void remoteThatKeepsMovingIsLostAfterTheGivenAttempts() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<String> log = new ArrayList<>();
    ObjectId[] last = new ObjectId[1];
    TreeChange ours =
        snapshot -> {
          last[0] = advance(API, api("1." + (calls.get() + 1) + ".0"), "moving " + calls.get());
          return setWeb("2.0.0", calls).apply(snapshot);
        };
    PushFailedException thrown =
        catchThrowableOfType(
            PushFailedException.class,
            () -> new InMemoryCommitPush(url, ours, spec()).setAttempts(3).setBaseDelayMillis(1).setLog(log::add).call());
    assertThat(thrown.lost()).isTrue();
    assertThat(thrown.getMessage()).contains("main").contains("3 attempts");
    assertThat(calls).hasValue(3);
    assertThat(log).hasSize(2);
    assertThat(branchTip("main")).isEqualTo(last[0]);
    assertThat(read(last[0], WEB)).as("none of the lost commits landed").contains("web:1.0.0");
  }

  @Test
  void attemptsBelowOneMeanOne() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    TreeChange ours =
        snapshot -> {
          advance(API, api("9." + calls.get() + ".0"), "moving");
          return setWeb("2.0.0", calls).apply(snapshot);
        };
    PushFailedException thrown =
        catchThrowableOfType(PushFailedException.class, () -> new InMemoryCommitPush(url, ours, spec()).setAttempts(0).call());
    assertThat(thrown.lost()).isTrue();
    assertThat(calls).hasValue(1);
  }

  @Test
  void backoffIsJitteredUnderAnExponentialCap() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<String> log = new ArrayList<>();
    TreeChange ours =
        snapshot -> {
          advance(API, api("3." + calls.get() + ".0"), "moving");
          return setWeb("2.0.0", calls).apply(snapshot);
        };
    catchThrowableOfType(
        PushFailedException.class,
        () ->
            new InMemoryCommitPush(url, ours, spec())
                .setAttempts(5)
                .setBaseDelayMillis(4)
                .setRandom(new Random(42))
                .setLog(log::add)
                .call());
    assertThat(log).hasSize(4);
    Pattern delay =
        Pattern.compile("in (\\d+) ms \\(attempt (\\d+) of 5; the lost one took (\\d+) ms\\)");
    for (int i = 0; i < log.size(); i++) {
      Matcher m = delay.matcher(log.get(i));
      assertThat(m.find()).as(log.get(i)).isTrue();
      assertThat(Integer.parseInt(m.group(2))).isEqualTo(i + 2);
      // a window of two lost attempts (at least the base delay), doubling each time, at most
      // sixteen attempts or 5 s
      long slot = Long.parseLong(m.group(3));
      long window = Math.min(Math.max(4L, 2 * slot) << i, Math.max(5_000L, 16 * slot));
      assertThat(Long.parseLong(m.group(1))).as(log.get(i)).isBetween(0L, window);
    }
  }

  // ---- secrets

  @Test
  void secretsAreMaskedInTransportErrors() {
    RemoteUrl missing = RemoteUrl.parse(tmp.resolve("no-such-s3cr3t-dir/config.git").toUri().toString());
    IOException thrown =
        catchThrowableOfType(
            IOException.class,
            () ->
                new InMemoryCommitPush(missing, setWeb("2.0.0", new AtomicInteger()), spec())
                    .setBranch("main")
                    .setSecrets(secretMask("s3cr3t"))
                    .call());
    assertThat(thrown.getMessage()).doesNotContain("s3cr3t").contains("***");
    assertThat(thrown.getCause()).as("the cause could hold the secret").isNull();
  }

  // ---- helpers

  private static CommitSpec spec() {
    return new CommitSpec(BOT, "{summary}", Map.of("sha", ""), Map.of(), false);
  }

  private static Map<String, String> trailers(String sha) {
    Map<String, String> trailers = new LinkedHashMap<>();
    trailers.put("Source-Commit", sha);
    trailers.put("Build-URL", "");
    return trailers;
  }

  private static byte[] web(String tag) {
    return ("kind: Deployment\nspec:\n  containers:\n    - image: ghcr.io/acme/web:" + tag + "\n").getBytes(UTF_8);
  }

  private static byte[] api(String tag) {
    return ("kind: Deployment\nspec:\n  containers:\n    - image: ghcr.io/acme/api:" + tag + "\n").getBytes(UTF_8);
  }

  /** Sets web's tag, whatever it was; nothing when it has that tag already. */
  /** {@link #setWeb}, scoped to the web manifest's path: fetched without the other blobs. */
  private static TreeChange setWebUnderItsPath(String tag) {
    return new TreeChange() {
      @Override
      public Result apply(Snapshot snapshot) throws IOException {
        return setWeb(tag, new AtomicInteger()).apply(snapshot);
      }

      @Override
      public List<String> scope() {
        return List.of(WEB);
      }
    };
  }

  private static TreeChange setWeb(String tag, AtomicInteger calls) {
    return snapshot -> {
      calls.incrementAndGet();
      String text = new String(snapshot.read(WEB), UTF_8);
      Matcher m = Pattern.compile("web:(\\S+)").matcher(text);
      assertThat(m.find()).isTrue();
      if (m.group(1).equals(tag)) {
        return new TreeChange.Result(Map.of(), List.of());
      }
      return new TreeChange.Result(
          Map.of(WEB, text.replace("web:" + m.group(1), "web:" + tag).getBytes(UTF_8)),
          List.of("web " + m.group(1) + " -> " + tag));
    };
  }

  private ObjectId branchTip(String branch) {
    try {
      return remote.resolve("refs/heads/" + branch);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Another pipeline lands a commit on main, directly in the remote. */
  private ObjectId advance(String path, byte[] content, String message) throws IOException {
    ObjectId tip = remote.resolve("refs/heads/main");
    ObjectId next;
    try (ObjectInserter inserter = remote.newObjectInserter();
        ObjectReader reader = remote.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, walk.parseCommit(tip).getTree());
      builder.finish();
      ObjectId blob = inserter.insert(Constants.OBJ_BLOB, content);
      DirCacheEditor editor = index.editor();
      editor.add(
          new DirCacheEditor.PathEdit(path) {
            @Override
            public void apply(DirCacheEntry entry) {
              entry.setFileMode(FileMode.REGULAR_FILE);
              entry.setObjectId(blob);
            }
          });
      editor.finish();
      next = commitTree(inserter, index.writeTree(inserter), tip, message);
    }
    RefUpdate update = remote.updateRef("refs/heads/main");
    update.setExpectedOldObjectId(tip);
    update.setNewObjectId(next);
    assertThat(update.update()).isEqualTo(RefUpdate.Result.FAST_FORWARD);
    return next;
  }

  private static ObjectId commitTree(ObjectInserter inserter, ObjectId tree, ObjectId parent, String message)
      throws IOException {
    CommitBuilder commit = new CommitBuilder();
    commit.setTreeId(tree);
    if (parent != null) {
      commit.setParentId(parent);
    }
    PersonIdent who = new PersonIdent("Other", "other@example.com");
    commit.setAuthor(who);
    commit.setCommitter(who);
    commit.setMessage(message + "\n");
    ObjectId id = inserter.insert(commit);
    inserter.flush();
    return id;
  }

  private static Repository bare(Path dir, String head) throws IOException {
    Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
    repo.create(true);
    repo.getRefDatabase().newUpdate(Constants.HEAD, false).link("refs/heads/" + head);
    return repo;
  }

  private static void setBranch(Repository repo, String branch, ObjectId id) throws IOException {
    RefUpdate update = repo.updateRef("refs/heads/" + branch);
    update.setNewObjectId(id);
    update.setForceUpdate(true);
    assertThat(update.update()).isIn(RefUpdate.Result.NEW, RefUpdate.Result.FORCED, RefUpdate.Result.NO_CHANGE);
  }

  private static ObjectId commit(
      Repository repo, ObjectId parent, Map<String, byte[]> files, Map<String, String> executables, Map<String, String> links, String message)
      throws IOException {
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      List<DirCacheEntry> entries = new ArrayList<>();
      files.forEach((path, bytes) -> entries.add(entry(inserter, path, FileMode.REGULAR_FILE, bytes)));
      executables.forEach((path, text) -> entries.add(entry(inserter, path, FileMode.EXECUTABLE_FILE, text.getBytes(UTF_8))));
      links.forEach((path, target) -> entries.add(entry(inserter, path, FileMode.SYMLINK, target.getBytes(UTF_8))));
      entries.sort((x, y) -> x.getPathString().compareTo(y.getPathString()));
      entries.forEach(builder::add);
      builder.finish();
      return commitTree(inserter, index.writeTree(inserter), parent, message);
    }
  }

  private static DirCacheEntry entry(ObjectInserter inserter, String path, FileMode mode, byte[] bytes) {
    try {
      DirCacheEntry entry = new DirCacheEntry(path);
      entry.setFileMode(mode);
      entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, bytes));
      return entry;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** path -> "mode blob" of every entry of a commit's tree. */
  private Map<String, String> entries(ObjectId commit) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (RevWalk walk = new RevWalk(remote);
        TreeWalk tree = new TreeWalk(remote)) {
      tree.addTree(walk.parseCommit(commit).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        entries.put(tree.getPathString(), tree.getFileMode(0) + " " + tree.getObjectId(0).name());
      }
    }
    return entries;
  }

  private String read(ObjectId commit, String path) throws IOException {
    try (RevWalk walk = new RevWalk(remote);
        TreeWalk tree = TreeWalk.forPath(remote, path, walk.parseCommit(commit).getTree())) {
      assertThat(tree).as(path).isNotNull();
      return new String(remote.open(tree.getObjectId(0)).getBytes(), UTF_8);
    }
  }

  private static SecretMask secretMask(String secret) {
    SecretMask mask = new SecretMask();
    mask.add(secret);
    return mask;
  }
}
