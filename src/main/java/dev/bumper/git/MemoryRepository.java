package dev.bumper.git;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.Failure;
import java.io.Closeable;
import java.io.IOException;
import java.net.URISyntaxException;
import java.text.MessageFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.PackInserter;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdRef;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.FilterSpec;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefLeaseSpec;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * A temporary bare repository that a command without a working tree fetches branch tips into,
 * writes commits in and pushes from, set up as its {@link RemoteCommand} is; deleted on close.
 */
final class MemoryRepository implements Closeable {
  private final RemoteCommand<?> command;
  private final Path dir;
  private final Repository repo;
  private final Git git;

  MemoryRepository(RemoteCommand<?> command) throws IOException {
    this.command = command;
    this.dir = TempRepositories.create();
    try {
      repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
      repo.create(true);
      // No automatic gc in a repository that lives for one command: its background lock files
      // would race the deletion of the directory at the end.
      StoredConfig config = repo.getConfig();
      config.setInt("gc", null, "auto", 0);
      config.setBoolean("gc", null, "autoDetach", false);
      config.save();
      git = Git.wrap(repo);
    } catch (IOException | RuntimeException e) {
      TempRepositories.delete(dir);
      throw e;
    }
  }

  Repository repository() {
    return repo;
  }

  /** The remote's branches, by full ref name, and its {@code HEAD}. */
  Map<String, Ref> remoteRefs() throws GitAPIException, IOException {
    return command.network("listing the branches of", () ->
        Git.lsRemoteRepository()
            .setRemote(command.url.secret())
            .setCredentialsProvider(command.credentials)
            .setTransportConfigCallback(command.transportConfig)
            .callAsMap());
  }

  /** The branch the remote's {@code HEAD} names, else {@code main} or {@code master}. */
  String defaultBranch() throws GitAPIException, IOException {
    Map<String, Ref> refs = remoteRefs();
    Ref head = refs.get(Constants.HEAD);
    if (head != null && head.isSymbolic()) {
      return Repository.shortenRefName(head.getTarget().getName());
    }
    for (String candidate : new String[] {"main", "master"}) {
      if (refs.containsKey(Constants.R_HEADS + candidate)) {
        return candidate;
      }
    }
    throw new Failure(ExitCode.FAILURE,
        "cannot tell the default branch of " + command.url.redacted() + "; give --branch");
  }

  /** Fetches {@code branch} with {@code depth} commits of history and returns its tip. */
  RevCommit fetch(String branch, int depth) throws GitAPIException, IOException {
    return fetch(branch, depth, false, FilterSpec.NO_FILTER);
  }

  /**
   * Fetches {@code branch}, with {@code depth} commits of history (0: all of it, and the tags,
   * for a command that reads history) and returns its tip.
   */
  RevCommit fetch(String branch, int depth, boolean tags) throws GitAPIException, IOException {
    return fetch(branch, depth, tags, FilterSpec.NO_FILTER);
  }

  /**
   * Fetches {@code branch} with {@code depth} commits of history, their trees but none of their
   * blobs ({@code --filter=blob:none}), and returns its tip; or null when the server does not
   * allow filters (nothing is fetched then, nor asked again). The blobs come later from
   * {@link #fetchBlobs}.
   */
  RevCommit fetchTrees(String branch, int depth) throws GitAPIException, IOException {
    if (filtersRefused) {
      return null;
    }
    try {
      return fetch(branch, depth, false, FilterSpec.fromFilterLine("blob:none"));
    } catch (TransportException e) {
      if (refusesFilter(e)) {
        filtersRefused = true;
        return null;
      }
      throw e;
    }
  }

  /** Whether the server said it allows no fetch filter; then fetches go without one. */
  private boolean filtersRefused;

  private static boolean refusesFilter(TransportException e) {
    return e.getMessage() != null
        && e.getMessage().contains(JGitText.get().filterRequiresCapability);
  }

  /**
   * Fetches the blobs {@code blobs} that are not here yet, by id, in one request: what a partial
   * clone of git's fetches when a file it needs is missing.
   */
  void fetchBlobs(Collection<? extends ObjectId> blobs) throws GitAPIException, IOException {
    List<Ref> wanted = new ArrayList<>();
    for (ObjectId blob : blobs) {
      if (!repo.getObjectDatabase().has(blob)) {
        wanted.add(new ObjectIdRef.Unpeeled(Ref.Storage.NETWORK, blob.name(), blob.copy()));
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    // No haves: the server would leave out what the tip reaches, the blobs wanted among it. JGit
    // offers every local ref as one, so the refs are put aside while the blobs come.
    List<Ref> refs = repo.getRefDatabase().getRefsByPrefix(Constants.R_REFS);
    for (Ref ref : refs) {
      setRef(ref.getName(), null);
    }
    try {
      command.network("fetch from", () -> {
        try (Transport transport = Transport.open(repo, new URIish(command.url.stored()))) {
          transport.setCredentialsProvider(command.credentials);
          command.configure(transport);
          try (FetchConnection connection = transport.openFetch(List.of())) {
            connection.fetch(NullProgressMonitor.INSTANCE, wanted, Set.of());
          }
        } catch (URISyntaxException e) {
          throw new IOException(e.getMessage(), e);
        }
        return null;
      });
    } finally {
      for (Ref ref : refs) {
        setRef(ref.getName(), ref.getObjectId());
      }
    }
  }

  /** Points {@code name} at {@code id}, or deletes it (null). */
  private void setRef(String name, ObjectId id) throws IOException {
    RefUpdate update = repo.updateRef(name);
    update.setForceUpdate(true);
    RefUpdate.Result result;
    if (id == null) {
      result = update.delete();
    } else {
      update.setNewObjectId(id);
      result = update.forceUpdate();
    }
    if (result == RefUpdate.Result.LOCK_FAILURE || result == RefUpdate.Result.IO_FAILURE
        || result == RefUpdate.Result.REJECTED) {
      throw new IOException("cannot update " + name + " in the temporary repository: " + result);
    }
  }

  /** {@link #fetchBlobs}, its failures as I/O errors, for a snapshot that finds blobs missing. */
  void missing(Collection<ObjectId> blobs) throws IOException {
    try {
      fetchBlobs(blobs);
    } catch (GitAPIException e) {
      // no cause: its message is the unmasked one
      throw new IOException(command.mask(e.getMessage()), null);
    }
  }

  private RevCommit fetch(String branch, int depth, boolean tags, FilterSpec filter)
      throws GitAPIException, IOException {
    String remoteRef = "refs/remotes/origin/" + branch;
    fetch(Constants.R_HEADS + branch, remoteRef, depth, tags, filter);
    return tip(remoteRef, branch);
  }

  /**
   * The branch the remote's {@code HEAD} names and its tip, fetched as {@link #fetch} fetches a
   * branch (without blobs when {@code withoutBlobs}), in the connection whose ref advertisement
   * says which branch that is: a fetch without a branch costs no separate listing of the remote's
   * branches; a server that allows no filter gets the fetch with blobs. Null when the remote
   * has no {@code HEAD} or it names no branch.
   */
  Fetched fetchHead(int depth, boolean withoutBlobs) throws GitAPIException, IOException {
    boolean filtered = withoutBlobs && !filtersRefused;
    FetchResult result;
    try {
      result = fetch(Constants.HEAD, HEAD_REF, depth, false,
          filtered ? FilterSpec.fromFilterLine("blob:none") : FilterSpec.NO_FILTER);
    } catch (TransportException e) {
      if (filtered && refusesFilter(e)) {
        filtersRefused = true;
        return fetchHead(depth, false);
      }
      if (e.getMessage() != null && e.getMessage().contains(
          MessageFormat.format(JGitText.get().remoteDoesNotHaveSpec, Constants.HEAD))) {
        return null;
      }
      throw e;
    }
    Ref head = result.getAdvertisedRef(Constants.HEAD);
    if (head == null || !head.isSymbolic()
        || !head.getTarget().getName().startsWith(Constants.R_HEADS)) {
      return null;
    }
    String branch = Repository.shortenRefName(head.getTarget().getName());
    return new Fetched(branch, tip(HEAD_REF, branch), filtered);
  }

  /** A branch and its tip as fetched, without blobs or with them. */
  record Fetched(String branch, RevCommit tip, boolean withoutBlobs) {}

  /** Where {@link #fetchHead} stores the tip it fetched. */
  private static final String HEAD_REF = "refs/bumper/remote-head";

  private FetchResult fetch(String source, String destination, int depth, boolean tags,
      FilterSpec filter) throws GitAPIException, IOException {
    List<RefSpec> specs = new ArrayList<>();
    specs.add(new RefSpec("+" + source + ":" + destination));
    if (tags) {
      specs.add(new RefSpec("+" + Constants.R_TAGS + "*:" + Constants.R_TAGS + "*"));
    }
    // the stored URL: FETCH_HEAD records it
    return command.network("fetch from", () -> {
      var fetch = git.fetch()
          .setRemote(command.url.stored())
          .setRefSpecs(specs)
          .setCredentialsProvider(command.credentials)
          .setTransportConfigCallback(transport -> {
            command.configure(transport);
            transport.setFilterSpec(filter);
          });
      if (depth > 0) {
        fetch.setDepth(depth);
      }
      return fetch.call();
    });
  }

  private RevCommit tip(String ref, String branch) throws IOException {
    ObjectId tip = repo.resolve(ref);
    if (tip == null) {
      throw new IOException("no branch " + branch + " in " + command.url.redacted());
    }
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.parseCommit(tip);
    }
  }

  /**
   * Writes a commit on {@code parent} whose tree is {@code tree} with {@code files} replaced,
   * signed when the command signs.
   */
  ObjectId commit(AnyObjectId parent, ObjectId tree, Map<String, byte[]> files, String message)
      throws IOException {
    try (ObjectInserter inserter = newInserter();
        ObjectReader reader = repo.newObjectReader()) {
      CommitBuilder created = new CommitBuilder();
      created.setTreeId(TreeWriter.write(inserter, reader, tree, files));
      created.setParentId(parent);
      PersonIdent now = command.now(commitAuthor);
      created.setAuthor(now);
      created.setCommitter(now);
      created.setMessage(message);
      if (command.signer != null) {
        command.signer.sign(repo, created);
      }
      ObjectId id = inserter.insert(created);
      inserter.flush();
      return id;
    }
  }

  private PersonIdent commitAuthor;

  /**
   * An inserter that writes what a commit adds as one pack: the loose objects JGit writes
   * otherwise, a file and a directory each, took most of the time a commit of 200 files took.
   * At zlib's fastest level, git's own for loose objects: the pack lives until the push.
   */
  private ObjectInserter newInserter() {
    if (repo.getObjectDatabase() instanceof ObjectDirectory objects) {
      PackInserter inserter = objects.newPackInserter();
      inserter.setCompressionLevel(Deflater.BEST_SPEED);
      return inserter;
    }
    return repo.newObjectInserter();
  }

  /** Who the commits are by. */
  MemoryRepository setAuthor(PersonIdent author) {
    this.commitAuthor = author;
    return this;
  }

  /**
   * Pushes {@code commit} to {@code branch}; with {@code expected} (zero: the branch must not
   * exist yet), only if the remote branch is still there, as {@code --force-with-lease} does.
   */
  PushStatus push(AnyObjectId commit, String branch, ObjectId expected)
      throws GitAPIException, IOException {
    String ref = Constants.R_HEADS + branch;
    Iterable<PushResult> results = command.network("push to", () -> {
      var push = git.push()
          .setRemote(command.url.secret())
          .setRefSpecs(new RefSpec((expected != null ? "+" : "") + commit.name() + ":" + ref))
          .setCredentialsProvider(command.credentials)
          .setTransportConfigCallback(command::configure);
      if (expected != null) {
        push.setRefLeaseSpecs(List.of(new RefLeaseSpec(ref, expected.name())));
      }
      return push.call();
    });
    return PushStatus.of(results);
  }

  @Override
  public void close() {
    repo.close();
    TempRepositories.delete(dir);
  }
}
