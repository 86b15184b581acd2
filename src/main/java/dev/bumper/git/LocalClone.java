package dev.bumper.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
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

  /** What {@link #call()} found or made. */
  public record Result(boolean cloned, String branch) {}

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
      org.eclipse.jgit.api.CloneCommand clone =
          Git.cloneRepository()
              .setURI(url.stored())
              .setDirectory(dir.toFile())
              .setDepth(1)
              .setNoCheckout(true)
              .setCredentialsProvider(credentials)
              .setTransportConfigCallback(this::configure);
      if (branch != null) {
        clone.setBranch(Constants.R_HEADS + branch).setBranchesToClone(java.util.List.of(Constants.R_HEADS + branch));
      }
      try (Git git = network("clone of", clone::call)) {
        Repository repo = git.getRepository();
        try {
          if (repo.resolve(Constants.HEAD) == null) {
            throw new IOException(branch != null
                ? "no branch " + branch + " in " + url.redacted()
                : url.redacted() + " has no commits to clone");
          }
          CheckoutCompleteness.markCheckoutStarted(repo);
          checkout(repo);
          CheckoutCompleteness.markComplete(repo, url.redacted());
        } catch (IOException | RuntimeException e) {
          // What is there is no clone to reuse: the directory goes back to how it was.
          removeContents(dir);
          if (!existed) {
            Files.deleteIfExists(dir);
          }
          throw e;
        }
        return new Result(true, repo.getBranch());
      }
    } catch (GitAPIException e) {
      throw new IOException(mask(e.getMessage()), null);
    }
  }

  private Result reuse() throws IOException {
    try (Repository repo = new FileRepositoryBuilder().setWorkTree(dir.toFile()).setMustExist(true).build()) {
      String origin = repo.getConfig().getString("remote", Constants.DEFAULT_REMOTE_NAME, "url");
      if (origin == null || !sameRepository(origin, url.uri())) {
        throw new IllegalArgumentException(dir + " is a clone of " + (origin == null ? "no remote" : RemoteUrl.redactRaw(origin))
            + ", not of " + url.redacted());
      }
      String current = repo.getBranch();
      if (branch != null && !branch.equals(current)) {
        throw new IllegalArgumentException(dir + " has the branch " + current + " checked out, not " + branch);
      }
      String incomplete = CheckoutCompleteness.untrusted(repo);
      if (incomplete != null) {
        throw new IncompleteCloneException(dir + " holds an incomplete clone of " + url.redacted() + " (" + incomplete
            + "); nothing was committed. Remove it, or give an empty directory, and run again");
      }
      return new Result(false, current);
    }
  }

  /** Checks HEAD's tree as git fsck would, then checks it out into the empty work tree. */
  private static void checkout(Repository repo) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit head = walk.parseCommit(repo.resolve(Constants.HEAD));
      TreeCheck.verify(walk.getObjectReader(), head.getTree());
      DirCache index = repo.lockDirCache();
      try {
        new DirCacheCheckout(repo, index, head.getTree()).checkout();
      } finally {
        index.unlock();
      }
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
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!path.equals(dir)) {
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
