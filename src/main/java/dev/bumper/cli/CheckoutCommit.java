package dev.bumper.cli;

import dev.bumper.ci.CiEnvironment;
import dev.bumper.git.CheckoutPush;
import dev.bumper.git.GitCredentials;
import dev.bumper.git.PushFailedException;
import dev.bumper.git.PushOutcome;
import dev.bumper.git.RemoteUrl;
import dev.bumper.git.SshSettings;
import dev.bumper.io.GitDirectories;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Commits and pushes a checkout, for {@code commit-push} and for the edit commands' {@code --push}
 * in clone mode; prints failures and turns them into exit codes.
 */
final class CheckoutCommit {
  /** Where and what to commit. */
  record Target(Path dir, RemoteUrl url, String remoteName, String branch, List<String> pathspecs, boolean addNew) {
    /** What an edit command's --push commits: the whole checkout, its tracked files and its own edits. */
    static Target edits(Path dir, RemoteUrl url, String branch) {
      return new Target(dir, url, "origin", branch, List.of(), false);
    }
  }

  /** A preview: the files a commit would take. */
  record Preview(List<String> files, String branch, String remote) {}

  private CheckoutCommit() {}

  /** The repository whose work tree holds {@code dir}. */
  static Repository open(Path dir) throws IOException {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toFile());
    if (builder.getGitDir() == null) {
      throw new UsageException("-C " + dir + ": not in a git checkout");
    }
    Repository repo = builder.setMustExist(true).build();
    if (repo.isBare()) {
      repo.close();
      throw new UsageException("-C " + dir + ": a bare repository has no changes to commit");
    }
    return repo;
  }

  static RepoPush.Result run(Bumper root, Console console, Target target, CommitOptions commit) throws IOException {
    Map<String, String> env = root.env();
    try (Repository repo = open(target.dir())) {
      RemoteUrl url = remoteUrl(repo, target);
      List<String> pathspecs = pathspecs(repo, target);
      CiEnvironment ci = CiEnvironment.detect(env);
      SshSettings ssh = SshSettings.forEnvironment(env, commit.acceptNewHostKeys);
      try (ssh) {
        CheckoutPush push =
            new CheckoutPush(repo, url, commit.spec(ci, target.branch() == null ? "" : target.branch(), url.redacted()))
                .setRemoteName(target.remoteName())
                .setBranch(target.branch())
                .setPathspecs(pathspecs)
                .setAddNew(target.addNew())
                .setWarnings(console::warn)
                .setReplay(new IntentReplay(console))
                .setCredentials(GitCredentials.forUrl(url, env))
                .setTransportConfigCallback(commit.network(ssh))
                .setDeadline(commit.timeoutSeconds, root::abort)
                .setSecrets(root.secretsFor(url))
                .setAttempts(commit.attempts)
                .setSigner(commit.signer(env))
                .setLog(line -> console.verbose("bumper: " + line));
        PushOutcome outcome = push.call();
        return new RepoPush.Result(new RepoPush.Report(outcome, url.redacted()), ExitCode.OK);
      } catch (PushFailedException e) {
        console.error("bumper: " + e.getMessage());
        return new RepoPush.Result(null, e.lost() ? ExitCode.PUSH_LOST : ExitCode.FAILURE);
      } catch (IOException | IllegalStateException e) {
        String refused = ssh.refusal().map(SshSettings.Refusal::message).orElse(null);
        console.error("bumper: " + (refused != null ? refused : GitCredentials.explain(e.getMessage(), url, env)));
        return new RepoPush.Result(null, ExitCode.FAILURE);
      }
    }
  }

  static Preview preview(Console console, Target target) throws IOException {
    try (Repository repo = open(target.dir())) {
      RemoteUrl url = remoteUrl(repo, target);
      CheckoutPush push =
          new CheckoutPush(repo, url, null)
              .setBranch(target.branch())
              .setPathspecs(pathspecs(repo, target))
              .setAddNew(target.addNew())
              .setWarnings(console::warn);
      return new Preview(push.preview(), push.targetBranch(), url.redacted());
    }
  }

  /** The URL to push to: --repo's, or the remote's from the repository's configuration. */
  private static RemoteUrl remoteUrl(Repository repo, Target target) {
    if (target.url() != null) {
      return target.url();
    }
    String configured = repo.getConfig().getString("remote", target.remoteName(), "pushurl");
    if (configured == null) {
      configured = repo.getConfig().getString("remote", target.remoteName(), "url");
    }
    if (configured == null) {
      throw new UsageException("--remote " + target.remoteName() + ": no such remote in " + repo.getWorkTree());
    }
    try {
      return RemoteUrl.parse(configured);
    } catch (IllegalArgumentException e) {
      throw new UsageException("remote " + target.remoteName() + ": " + e.getMessage());
    }
  }

  /** PATHSPECs, given relative to -C DIR, as paths from the top of the work tree. */
  private static List<String> pathspecs(Repository repo, Target target) throws IOException {
    Path top = repo.getWorkTree().toPath().toRealPath();
    Path dir = target.dir().toRealPath();
    List<String> pathspecs = new ArrayList<>();
    List<String> given = target.pathspecs().isEmpty() && !dir.equals(top) ? List.of(".") : target.pathspecs();
    for (String spec : given) {
      Path path = dir.resolve(spec).normalize();
      if (!path.startsWith(top)) {
        throw new UsageException(spec + ": outside the repository " + top);
      }
      if (GitDirectories.isInside(top.relativize(path))) {
        throw new UsageException(spec + ": inside .git; bumper commits a repository's files, not git's own");
      }
      String relative = top.relativize(path).toString().replace('\\', '/');
      pathspecs.add(relative.isEmpty() ? "." : relative);
    }
    return pathspecs;
  }
}
