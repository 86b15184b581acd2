package dev.bumper.pipeline;

import dev.bumper.failure.UsageException;
import dev.bumper.git.LocalClone;
import dev.bumper.git.RemoteUrl;
import java.nio.file.Path;

/**
 * {@code --repo URL -C DIR}: DIR made a shallow clone of URL, or checked to be one already, before
 * an edit works in it as in any checkout; a push delivery then commits and pushes the clone.
 */
public final class CloneWorkspace {
  private CloneWorkspace() {}

  /**
   * Makes or checks the clone.
   *
   * @throws UsageException when DIR holds something other than a clone of URL
   * @throws dev.bumper.failure.Failure when the clone fails
   */
  public static Path prepare(Pushing pushing, Reporter reporter, RemoteUrl url, Path dir, String branch) {
    LocalClone.Result result;
    try {
      result = pushing.remote().run(
          new LocalClone(url, dir).setBranch(branch), "clone of " + url.redacted() + " failed: ", LocalClone::call);
    } catch (IllegalArgumentException e) {
      throw new UsageException("-C " + e.getMessage());
    }
    result.warnings().forEach(reporter::warn);
    reporter.verbose(
        result.cloned()
            ? "bumper: cloned " + url.redacted() + " (" + result.branch() + ", depth 1) into " + dir
            : "bumper: using the clone of " + url.redacted() + " in " + dir + " (" + result.branch() + ")");
    return dir;
  }
}
