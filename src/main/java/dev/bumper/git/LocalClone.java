package dev.bumper.git;

import java.io.IOException;
import java.net.URISyntaxException;
import java.text.MessageFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * Clone mode: a shallow clone of a config repo in a directory, or the clone already there. A
 * directory that holds something else is refused, never overwritten. The clone's {@code origin}
 * records the URL without credentials, so that no token is left on disk.
 *
 * <p>Only a complete clone is reused ({@link CheckoutCompleteness}): a clone stopped during its
 * checkout (a cancelled CI job) has HEAD but not all of its files, and committing it would delete
 * every file never checked out.
 */
public final class LocalClone extends RemoteCommand<LocalClone> {
  private final Path dir;
  private String branch;

  public LocalClone(RemoteUrl url, Path dir) {
    super(url);
    this.dir = dir;
  }

  /** The branch to clone; default: the remote's default branch. */
  public LocalClone setBranch(String branch) {
    this.branch = branch;
    return this;
  }

  /**
   * What {@link #call()} found or made.
   *
   * @param warnings what the user should know of a new clone's checkout (a link made otherwise
   *     than the tree has it), one line each
   */
  public record Result(boolean cloned, String branch, List<String> warnings) {}

  /**
   * Clones into the directory (depth 1), or checks that it already is a clone of the URL.
   *
   * @throws IllegalArgumentException when the directory holds something else, or a clone of
   *     another URL or branch
   * @throws IncompleteCloneException when it holds a clone of the URL that cannot be trusted
   * @throws IOException for a transport or storage failure, its message free of credentials
   */
  public Result call() throws IOException {
    if (Files.isDirectory(dir.resolve(Constants.DOT_GIT)) || Files.isRegularFile(dir.resolve(Constants.DOT_GIT))) {
      return reuse();
    }
    if (Files.exists(dir) && !isEmptyDirectory(dir)) {
      throw new IllegalArgumentException(dir + " exists and is not a clone of " + url.redacted()
          + "; give an empty or new directory");
    }
    boolean existed = Files.exists(dir);
    try {
      Repository repo = Git.init().setDirectory(dir.toFile()).call().getRepository();
      try (repo) {
        // unfinished from the start: a run stopped in its fetch (--timeout, a cancelled job)
        // leaves a directory the next run refuses, as one stopped in its checkout does, rather
        // than a repository without a branch
        CheckoutCompleteness.markCheckoutStarted(repo);
        Ref head = branchToCheckOut(network("clone of", () -> fetch(repo)));
        if (head == null) {
          throw new IOException(branch != null
              ? "no branch " + branch + " in " + url.redacted()
              : url.redacted() + " has no commits to clone");
        }
        pointHeadAt(repo, head);
        List<String> warnings = checkout(repo);
        CheckoutCompleteness.markComplete(repo, url.redacted());
        return new Result(true, repo.getBranch(), warnings);
      } catch (IOException | RuntimeException e) {
        // What is there is no clone to reuse: the directory goes back to how it was.
        undo(existed);
        throw e;
      }
    } catch (GitAPIException e) {
      throw new IOException(mask(e.getMessage()), null);
    }
  }

  /** Puts the directory back as it was before the clone: empty, or not there at all. */
  private void undo(boolean existed) throws IOException {
    removeContents(dir);
    if (!existed) {
      Files.deleteIfExists(dir);
    }
  }

  /**
   * Fetches the branches (or the one branch asked for) at depth 1 into remote-tracking branches
   * of {@code origin}, with their tags, as JGit's clone does; but through the transport itself:
   * JGit's FetchCommand then walks every tree of the fetched commit for submodules, before bumper
   * can check the tree, which costs a large tree its size again and lets a "git bomb" run for as
   * long as it lists (see {@link TreeCheck}).
   */
  private FetchResult fetch(Repository repo) throws IOException {
    StoredConfig config = repo.getConfig();
    RemoteConfig origin;
    try {
      origin = new RemoteConfig(config, Constants.DEFAULT_REMOTE_NAME);
      origin.addURI(new URIish(url.stored()));
    } catch (URISyntaxException e) {
      throw new IOException("not a git URL: " + url.redacted(), null);
    }
    String heads = branch == null ? "*" : branch;
    origin.addFetchRefSpec(new RefSpec("+" + Constants.R_HEADS + heads + ":" + Constants.R_REMOTES
        + Constants.DEFAULT_REMOTE_NAME + "/" + heads));
    origin.update(config);
    config.save();
    try (Transport transport = Transport.open(repo, origin)) {
      transport.setCredentialsProvider(credentials);
      transport.setDepth(1);
      transport.setTagOpt(branch == null ? TagOpt.FETCH_TAGS : TagOpt.AUTO_FOLLOW);
      // checking objects as they arrive demands the whole history, which a shallow fetch lacks
      // (as JGit's own clone sets it); the tree is checked before the checkout instead
      transport.setCheckFetchedObjects(false);
      configure(transport);
      return transport.fetch(NullProgressMonitor.INSTANCE, null);
    } catch (TransportException | NotSupportedException e) {
      if (branch != null && MessageFormat.format(JGitText.get().remoteDoesNotHaveSpec,
          Constants.R_HEADS + branch).equals(e.getMessage())) {
        throw new IOException("no branch " + branch + " in " + url.redacted(), null);
      }
      throw new IOException(mask(e.getMessage()), null);
    }
  }

  /**
   * The branch to check out, as fetched: the one asked for, else the one the remote's HEAD names,
   * else one at HEAD's commit ({@code main}, {@code master} first), else HEAD's commit itself;
   * null when there is none (an empty repository, no such branch).
   */
  private Ref branchToCheckOut(FetchResult fetched) {
    if (branch != null) {
      Ref wanted = fetched.getAdvertisedRef(Constants.R_HEADS + branch);
      return wanted == null || wanted.getObjectId() == null ? null : wanted;
    }
    Ref head = fetched.getAdvertisedRef(Constants.HEAD);
    if (head == null || head.getObjectId() == null) {
      return null;
    }
    if (head.isSymbolic()) {
      Ref target = fetched.getAdvertisedRef(head.getTarget().getName());
      return target != null ? target : head.getTarget();
    }
    List<Ref> candidates = new ArrayList<>();
    for (String name : List.of("main", "master")) {
      Ref ref = fetched.getAdvertisedRef(Constants.R_HEADS + name);
      if (ref != null) {
        candidates.add(ref);
      }
    }
    fetched.getAdvertisedRefs().stream()
        .filter(ref -> ref.getName().startsWith(Constants.R_HEADS))
        .sorted(Comparator.comparing(Ref::getName))
        .forEach(candidates::add);
    for (Ref ref : candidates) {
      if (head.getObjectId().equals(ref.getObjectId())) {
        return ref;
      }
    }
    return head;
  }

  /**
   * Makes {@code head} the clone's current branch, tracking {@code origin}'s, as git clone does;
   * HEAD itself, detached, when the remote's HEAD is a commit no branch is at.
   */
  private static void pointHeadAt(Repository repo, Ref head) throws IOException {
    boolean detached = !head.getName().startsWith(Constants.R_HEADS);
    if (!detached) {
      RefUpdate link = repo.updateRef(Constants.HEAD);
      link.disableRefLog();
      requireDone(link.link(head.getName()), "cannot point HEAD at " + head.getName());
      StoredConfig config = repo.getConfig();
      String name = Repository.shortenRefName(head.getName());
      config.setString(ConfigConstants.CONFIG_BRANCH_SECTION, name, ConfigConstants.CONFIG_KEY_REMOTE,
          Constants.DEFAULT_REMOTE_NAME);
      config.setString(ConfigConstants.CONFIG_BRANCH_SECTION, name, ConfigConstants.CONFIG_KEY_MERGE,
          head.getName());
      config.save();
    }
    RefUpdate update = repo.updateRef(Constants.HEAD, detached);
    update.setNewObjectId(head.getObjectId());
    requireDone(update.forceUpdate(), "cannot set " + head.getName() + " to the fetched "
        + head.getObjectId().abbreviate(12).name());
  }

  /** A ref update in a repository of the clone's own, which nothing else writes, must succeed. */
  private static void requireDone(RefUpdate.Result result, String failure) throws IOException {
    if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED
        && result != RefUpdate.Result.NO_CHANGE) {
      throw new IOException(failure + ": " + result);
    }
  }

  private Result reuse() throws IOException {
    try (Repository repo = new FileRepositoryBuilder().setWorkTree(dir.toFile()).setMustExist(true).build()) {
      String origin = repo.getConfig().getString("remote", Constants.DEFAULT_REMOTE_NAME, "url");
      if (origin == null || !sameRepository(origin, url.uri())) {
        throw new IllegalArgumentException(dir + " is a clone of " + (origin == null ? "no remote" : RemoteUrl.redactRaw(origin))
            + ", not of " + url.redacted());
      }
      // an unfinished clone first: its branch may not be set yet
      String incomplete = CheckoutCompleteness.untrusted(repo);
      if (incomplete != null) {
        throw new IncompleteCloneException(dir + " holds an incomplete clone of " + url.redacted() + " (" + incomplete
            + "); nothing was committed. Remove it, or give an empty directory, and run again");
      }
      String current = repo.getBranch();
      if (branch != null && !branch.equals(current)) {
        throw new IllegalArgumentException(dir + " has the branch " + current + " checked out, not " + branch);
      }
      return new Result(false, current, List.of());
    }
  }

  /** Checks HEAD's tree as git fsck would, then checks it out into the empty work tree. */
  private static List<String> checkout(Repository repo) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      return FreshCheckout.checkout(repo, walk.parseCommit(repo.resolve(Constants.HEAD)).getTree());
    }
  }

  /** Two URLs name the same repository when they differ only in credentials or a trailing / or .git. */
  static boolean sameRepository(String configured, URIish wanted) {
    try {
      return key(new URIish(configured)).equals(key(wanted));
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static String key(URIish uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    path = path.replaceAll("/+$", "").replaceAll("\\.git$", "").replaceAll("/+$", "");
    if (uri.getScheme() == null && uri.getHost() != null && !path.startsWith("/")) {
      path = "/" + path; // scp-like git@host:org/repo and git@host:/org/repo are one repository
    }
    String scheme = uri.getScheme() == null ? (uri.getHost() == null ? "file" : "ssh") : uri.getScheme();
    return scheme + "://" + (uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT))
        + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + path;
  }

  private static void removeContents(Path dir) throws IOException {
    // the directory itself, not a link to it, which a walk would not enter: -C may name a link
    Path top = dir.toRealPath();
    try (Stream<Path> paths = Files.walk(top)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!path.equals(top)) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
