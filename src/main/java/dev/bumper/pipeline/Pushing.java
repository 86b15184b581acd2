package dev.bumper.pipeline;

import dev.bumper.git.CommitSpec;
import dev.bumper.git.RemoteSetup;
import dev.bumper.git.RemoteUrl;
import java.util.function.BiFunction;

/**
 * How a run commits and pushes: the remote set-up every git command gets, and the commit message,
 * author and trailers for a branch ({@code ""}: not known yet) and the redacted URL of its repo.
 */
public record Pushing(RemoteSetup remote, BiFunction<String, String, CommitSpec> specs) {
  CommitSpec spec(String branch, RemoteUrl url) {
    return specs.apply(branch == null ? "" : branch, url.redacted());
  }
}
