package dev.bumper.cli;

import dev.bumper.git.GitCredentials;
import dev.bumper.git.IncompleteCloneException;
import dev.bumper.git.LocalClone;
import dev.bumper.git.RemoteUrl;
import dev.bumper.git.SshSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code --repo URL -C DIR}: makes DIR a shallow clone of URL, or checks that it already is one,
 * before a command works in it as in any checkout.
 */
final class CloneMode {
  private CloneMode() {}

  /**
   * Prepares the clone; returns null when it failed, the failure printed.
   *
   * @throws UsageException when DIR holds something other than a clone of URL
   */
  static Path prepare(Bumper root, Console console, RemoteUrl url, Path dir, String branch, CommitOptions commit) {
    Map<String, String> env = root.env();
    SshSettings ssh = SshSettings.forEnvironment(env, commit.acceptNewHostKeys);
    try (ssh) {
      LocalClone.Result result =
          new LocalClone(url, dir)
              .setBranch(branch)
              .setCredentials(GitCredentials.forUrl(url, env))
              .setTransportConfigCallback(commit.network(ssh))
              .setDeadline(commit.timeoutSeconds, root::abort)
              .setSecrets(root.secretsFor(url))
              .call();
      console.verbose(
          result.cloned()
              ? "bumper: cloned " + url.redacted() + " (" + result.branch() + ", depth 1) into " + dir
              : "bumper: using the clone of " + url.redacted() + " in " + dir + " (" + result.branch() + ")");
      return dir;
    } catch (IllegalArgumentException e) {
      throw new UsageException("-C " + e.getMessage());
    } catch (IncompleteCloneException e) {
      console.error("bumper: " + e.getMessage());
      return null;
    } catch (IOException | IllegalStateException e) {
      String refused = ssh.refusal().map(SshSettings.Refusal::message).orElse(null);
      console.error("bumper: " + (refused != null ? refused
          : "clone of " + url.redacted() + " failed: " + GitCredentials.explain(e.getMessage(), url, env)));
      return null;
    }
  }
}
