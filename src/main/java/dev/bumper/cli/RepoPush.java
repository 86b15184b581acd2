package dev.bumper.cli;

import dev.bumper.ci.CiEnvironment;
import dev.bumper.git.GitCredentials;
import dev.bumper.git.PushFailedException;
import dev.bumper.git.PushOutcome;
import dev.bumper.git.RemoteUrl;
import dev.bumper.git.RepoBump;
import dev.bumper.git.SshSettings;
import dev.bumper.git.TreeChange;
import dev.bumper.io.JsonWriter;
import java.io.IOException;
import java.util.Map;

/**
 * The {@code --repo URL --push} side of the edit commands: runs a {@link TreeChange} on the
 * config repo without a working tree, and reports the push.
 */
final class RepoPush {
  /** A push that happened (or found nothing to commit), for output. */
  record Report(PushOutcome outcome, String remote) {
    void json(JsonWriter json) {
      json.name("committed").value(outcome.committed());
      json.name("commit").value(outcome.commit());
      json.name("branch").value(outcome.branch());
      json.name("pushed").value(outcome.pushed());
      json.name("attempts").value(outcome.attempts());
      json.name("remote").value(remote);
    }

    String line() {
      return outcome.pushed()
          ? "pushed %s to %s of %s%s"
              .formatted(outcome.commit().substring(0, 12), outcome.branch(), remote,
                  outcome.attempts() > 1 ? " (attempt " + outcome.attempts() + ")" : "")
          : "nothing to commit: %s of %s is up to date".formatted(outcome.branch(), remote);
    }
  }

  /** The outcome of a run: a report, or the exit code of a failure already printed. */
  record Result(Report report, int exitCode) {}

  private RepoPush() {}

  static RemoteUrl url(String repo) {
    try {
      return RemoteUrl.parse(repo);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--repo: " + e.getMessage());
    }
  }

  static Result run(
      Bumper root, Console console, RemoteUrl url, String branch, CommitOptions commit, TreeChange change) {
    Map<String, String> env = root.env();
    CiEnvironment ci = CiEnvironment.detect(env);
    SshSettings ssh = SshSettings.forEnvironment(env, commit.acceptNewHostKeys);
    try (ssh) {
      PushOutcome outcome =
          new RepoBump(url, change, commit.spec(ci, branch == null ? "" : branch, url.redacted()))
              .setBranch(branch)
              .setCredentials(GitCredentials.forUrl(url, env))
              .setTransportConfigCallback(commit.network(ssh))
              .setDeadline(commit.timeoutSeconds, root::abort)
              .setSecrets(root.secretsFor(url))
              .setAttempts(commit.attempts)
              .setSigner(commit.signer(env))
              .setLog(line -> console.verbose("bumper: " + line))
              .call();
      return new Result(new Report(outcome, url.redacted()), ExitCode.OK);
    } catch (PushFailedException e) {
      console.error("bumper: " + e.getMessage());
      return new Result(null, e.lost() ? ExitCode.PUSH_LOST : ExitCode.FAILURE);
    } catch (IOException | IllegalStateException e) {
      String refused = ssh.refusal().map(SshSettings.Refusal::message).orElse(null);
      console.error("bumper: " + (refused != null ? refused : GitCredentials.explain(e.getMessage(), url, env)));
      return new Result(null, ExitCode.FAILURE);
    }
  }
}
