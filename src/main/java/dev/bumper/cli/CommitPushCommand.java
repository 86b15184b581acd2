package dev.bumper.cli;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.UsageException;
import dev.bumper.git.RemoteUrl;
import dev.bumper.io.JsonWriter;
import dev.bumper.pipeline.CheckoutDelivery;
import dev.bumper.pipeline.CheckoutLocking;
import dev.bumper.pipeline.CloneWorkspace;
import dev.bumper.pipeline.Delivered;
import dev.bumper.pipeline.Pipeline;
import dev.bumper.pipeline.PullRequestSpec;
import dev.bumper.pipeline.PushReport;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bumper commit-push}: commits a checkout's changes and pushes them, losing no update. */
@Command(
    name = "commit-push",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Commit the changes in a checkout and push them, retrying until no update is lost.",
      "",
      "Stages the changes under PATHSPEC (changed and deleted tracked files, the files bumper's edits "
          + "made, new files named; every new file with --add-new), commits them with the "
          + "bumps' summary and CI trailers, and pushes. Nothing changed: no commit, no push, exit 0. "
          + "When another pipeline pushed first, the new tip is fetched and the commit made again on "
          + "it: the bumps made by bumper's own commands are applied again to the new content, other "
          + "changes are merged, and only a real conflict stops the run (exit 5, the local commit "
          + "kept). A rejection that retrying cannot fix (a hook, a protected branch) is exit 1 at once.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # Bump in the checkout, then commit and push it",
      "  bumper bump-manifest -C config -i ghcr.io/acme/web:1.4.2",
      "  bumper commit-push -C config --skip-ci",
      "",
      "  # Clone mode: a shallow clone of $CONFIG_REPO in ./config, bumped, then pushed",
      "  bumper bump-manifest --repo $CONFIG_REPO -C config -i ghcr.io/acme/web:1.4.2",
      "  bumper commit-push --repo $CONFIG_REPO -C config -m 'Deploy {short_sha}: {summary}'",
      "",
      "  # Only what is under apps/web, to the deploy branch",
      "  bumper commit-push --branch deploy apps/web",
      "",
      "Exit codes: 0 pushed or nothing to commit, 1 refused (hook, auth) or failed,",
      "2 usage, 5 push lost or a real conflict (the local commit is kept).",
    })
final class CommitPushCommand implements Callable<Integer> {
  @ParentCommand private Bumper root;

  @Option(
      names = {"-C", "--directory"},
      paramLabel = "DIR",
      description = "The checkout (default: .). With --repo: the clone to make or reuse.")
  private Path directory;

  @Option(names = "--branch", paramLabel = "BRANCH", description = "The branch to push to (default: the branch checked out; with --repo and a new clone, the remote's default branch).")
  private String branch;

  @Option(names = "--remote", paramLabel = "NAME", description = "The remote to push to (default: origin).")
  private String remote = "origin";

  @Option(
      names = "--repo",
      paramLabel = "URL",
      description = "Clone mode: push to URL, with -C DIR the clone of it (made shallow when DIR is new or empty, reused when it is a clone of URL).")
  private String repo;

  @Option(
      names = "--add-new",
      description = "Commit new (untracked) files under PATHSPEC too. Without it, as git commit -a: "
          + "changes to tracked files, the files bumper's own edits made, and new files named as a PATHSPEC; "
          + "other new files are left out with a warning.")
  private boolean addNew;

  @Option(names = "--dry-run", description = "Stage, commit and push nothing; list the files a commit would take.")
  private boolean dryRun;

  @Mixin private CommitOptions commit = new CommitOptions();

  @Mixin private PullRequestOptions pullRequest = new PullRequestOptions();

  @Parameters(paramLabel = "PATHSPEC", arity = "0..*", description = "Files or directories, relative to DIR, whose changes to commit (default: all of DIR).")
  private List<String> pathspecs = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    Console console = root.console();
    RemoteUrl url = null;
    Path dir = directory == null ? Path.of(".") : directory;
    if (repo != null) {
      if (directory == null) {
        throw new UsageException("--repo needs -C DIR: the clone to commit (bump-manifest and kustomize-set-image push without one)");
      }
      url = Pipeline.url(repo);
      CloneWorkspace.prepare(commit.pushing(root), console, url, directory, branch);
    } else if (!Files.isDirectory(dir)) {
      throw new UsageException("-C " + dir + ": not a directory");
    }
    CheckoutDelivery.Target target = new CheckoutDelivery.Target(dir, url, remote, branch, pathspecs, addNew);
    if (pullRequest.requested()) {
      return pullRequest(console, target);
    }
    if (dryRun) {
      return preview(console, new CheckoutDelivery(null, console).preview(target));
    }
    PushReport report;
    try (Closeable lock = CheckoutLocking.hold(console, dir)) {
      report = new CheckoutDelivery(commit.pushing(root), console).push(target);
    }
    if (console.json()) {
      JsonWriter json = new JsonWriter(console.out());
      json.beginObject();
      report.json(json);
      json.endObject();
      console.out().println();
    } else {
      console.result(report.line());
    }
    return ExitCode.OK;
  }

  /** The recorded edits of the checkout, delivered through a pull request. */
  private int pullRequest(Console console, CheckoutDelivery.Target target) throws IOException {
    if (!pathspecs.isEmpty() || addNew) {
      throw new UsageException("--pull-request takes every edit bumper recorded in the checkout:"
          + " no PATHSPEC, no --add-new");
    }
    RemoteUrl url = CheckoutDelivery.remoteUrl(target);
    PullRequestSpec spec = pullRequest.spec(root, url);
    Delivered delivered;
    try (Closeable lock = dryRun ? null : CheckoutLocking.hold(console, target.dir())) {
      delivered = new CheckoutDelivery(commit.pushing(root, pullRequest.gitEnv(root, url)), console)
          .pullRequest(target, spec, pullRequest.provider(root, url), dryRun);
    }
    if (console.json()) {
      JsonWriter json = new JsonWriter(console.out());
      json.beginObject();
      json.name("dryRun").value(dryRun);
      delivered.report().json(json);
      json.endObject();
      console.out().println();
    } else if (dryRun) {
      console.warn("the recorded edits would go to " + delivered.pullRequest().branch()
          + " and a pull request into " + delivered.pullRequest().base() + "; dry run, nothing done");
    } else {
      console.result(delivered.report().line());
    }
    return ExitCode.OK;
  }

  private int preview(Console console, CheckoutDelivery.Preview preview) {
    if (console.json()) {
      JsonWriter json = new JsonWriter(console.out());
      json.beginObject();
      json.name("committed").value(false);
      json.name("commit").value("");
      json.name("branch").value(preview.branch());
      json.name("pushed").value(false);
      json.name("attempts").value(0);
      json.name("remote").value(preview.remote());
      json.name("dryRun").value(true);
      json.name("files").beginArray();
      preview.files().forEach(json::value);
      json.endArray();
      json.endObject();
      console.out().println();
      return ExitCode.OK;
    }
    for (String file : preview.files()) {
      console.result(file);
    }
    console.warn(
        preview.files().isEmpty()
            ? "nothing to commit; dry run"
            : "%d %s would be committed and pushed to %s of %s; dry run, nothing done"
                .formatted(preview.files().size(), preview.files().size() == 1 ? "file" : "files", preview.branch(), preview.remote()));
    return ExitCode.OK;
  }
}
