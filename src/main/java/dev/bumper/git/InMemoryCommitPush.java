package dev.bumper.git;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.Failure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Bumps a config repo without a working tree: fetches the branch tip shallowly into a temporary
 * bare repository, applies a {@link TreeChange} to the blobs it reads, writes new blobs, trees and
 * a commit, and pushes. When the push loses a race, the change is applied again on the new tip,
 * with jittered exponential backoff, up to {@code attempts} times.
 */
public final class InMemoryCommitPush extends RemoteCommand<InMemoryCommitPush> {
  private final TreeChange change;
  private final CommitSpec commit;
  private String branch;

  public InMemoryCommitPush(RemoteUrl url, TreeChange change, CommitSpec commit) {
    super(url);
    this.change = change;
    this.commit = commit;
  }

  /** The branch to bump; default: the remote's default branch. */
  public InMemoryCommitPush setBranch(String branch) {
    this.branch = branch;
    return this;
  }

  /**
   * Runs the bump.
   *
   * @throws dev.bumper.edit.EditFailedException when the change fails on the repo's content
   * @throws PushFailedException when the push is refused or keeps losing races
   * @throws IOException for a transport or storage failure, its message free of credentials
   */
  public PushOutcome call() throws IOException {
    Path dir = TempRepositories.create();
    try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build()) {
      repo.create(true);
      // No automatic gc in a repository that lives for one command: its background lock files
      // would race the deletion of the directory at the end.
      org.eclipse.jgit.lib.StoredConfig config = repo.getConfig();
      config.setInt("gc", null, "auto", 0);
      config.setBoolean("gc", null, "autoDetach", false);
      config.save();
      Git git = Git.wrap(repo);
      String target = branch != null ? branch : defaultBranch(git);
      for (int attempt = 1; ; attempt++) {
        RevCommit tip = fetch(git, target);
        TreeChange.Result result;
        try (ObjectReader reader = repo.newObjectReader()) {
          result = change.apply(new TreeSnapshot(reader, tip.getTree()));
        }
        if (result.files().isEmpty()) {
          return new PushOutcome(false, tip.name(), target, false, attempt);
        }
        ObjectId created = commit(repo, tip, result, target);
        PushStatus status = push(git, created, target);
        switch (status.verdict()) {
          case OK:
            return new PushOutcome(true, created.name(), target, true, attempt);
          case FATAL:
            throw new PushFailedException(false, "push to " + url.redacted() + " refused: " + mask(status.message()));
          default:
            if (attempt >= attempts) {
              throw new PushFailedException(
                  true, "push to " + url.redacted() + " lost: the branch " + target + " kept moving for " + attempts + " attempts");
            }
            backOff(attempt, "push lost a race (" + status.message() + "); applying the bump again on the new tip");
        }
      }
    } catch (GitAPIException e) {
      throw new IOException(mask(e.getMessage()), null);
    } finally {
      TempRepositories.delete(dir);
    }
  }

  private String defaultBranch(Git git) throws GitAPIException, IOException {
    Map<String, Ref> refs = network("listing the branches of", () ->
        Git.lsRemoteRepository()
            .setRemote(url.secret())
            .setCredentialsProvider(credentials)
            .setTransportConfigCallback(transportConfig)
            .callAsMap());
    Ref head = refs.get(Constants.HEAD);
    if (head != null && head.isSymbolic()) {
      return Repository.shortenRefName(head.getTarget().getName());
    }
    for (String candidate : new String[] {"main", "master"}) {
      if (refs.containsKey(Constants.R_HEADS + candidate)) {
        return candidate;
      }
    }
    throw new Failure(ExitCode.FAILURE, "cannot tell the default branch of " + url.redacted() + "; give --branch");
  }

  private RevCommit fetch(Git git, String target) throws GitAPIException, IOException {
    String remoteRef = "refs/remotes/origin/" + target;
    // the stored URL: FETCH_HEAD records it
    network("fetch from", () -> git.fetch()
        .setRemote(url.stored())
        .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + target + ":" + remoteRef))
        .setDepth(1)
        .setCredentialsProvider(credentials)
        .setTransportConfigCallback(this::configure)
        .call());
    ObjectId tip = git.getRepository().resolve(remoteRef);
    if (tip == null) {
      throw new IOException("no branch " + target + " in " + url.redacted());
    }
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      return walk.parseCommit(tip);
    }
  }

  private ObjectId commit(Repository repo, RevCommit tip, TreeChange.Result result, String target)
      throws IOException {
    try (ObjectInserter inserter = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader()) {
      CommitBuilder created = new CommitBuilder();
      created.setTreeId(TreeWriter.write(inserter, reader, tip.getTree(), result.files()));
      created.setParentId(tip);
      PersonIdent now = now(commit.author());
      created.setAuthor(now);
      created.setCommitter(now);
      created.setMessage(commit.withBranch(target).message(result.summaries()));
      if (signer != null) {
        signer.sign(repo, created);
      }
      ObjectId id = inserter.insert(created);
      inserter.flush();
      return id;
    }
  }

  private PushStatus push(Git git, ObjectId created, String target) throws GitAPIException, IOException {
    Iterable<PushResult> results = network("push to", () ->
        git.push()
            .setRemote(url.secret())
            .setRefSpecs(new RefSpec(created.name() + ":" + Constants.R_HEADS + target))
            .setCredentialsProvider(credentials)
            .setTransportConfigCallback(this::configure)
            .call());
    return PushStatus.of(results);
  }


}
