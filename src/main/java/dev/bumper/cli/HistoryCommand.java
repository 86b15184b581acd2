package dev.bumper.cli;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.UsageException;
import dev.bumper.git.DeployHistory;
import dev.bumper.git.RemoteSetup;
import dev.bumper.image.ImageReference;
import dev.bumper.io.JsonWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bumper history}: what an environment deployed over time, from the config repo's log. */
@Command(
    name = "history",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Show what PATH deployed over time: each commit that changed an image's reference under it,"
          + " oldest first, with its date, the old and new reference, the author and the commit's"
          + " Source-Commit, Build-URL and Rollback-Of trailers.",
      "",
      "Images are found where bump-manifest finds them. BACK counts the deploys after each one:"
          + " bumper rollback PATH --to N sets the images of the deploy N back again.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # What production ran, in a checkout of the config repo",
      "  bumper history -C config overlays/production",
      "",
      "  # One image, without a checkout, as JSON",
      "  bumper history --repo https://github.com/acme/config.git --image ghcr.io/acme/web \\",
      "    --output json overlays/production",
      "",
      "Exit codes: 0 done, 1 git or network failure, 2 usage.",
    })
final class HistoryCommand implements Callable<Integer> {
  @ParentCommand private Bumper root;

  @Option(
      names = {"-C", "--directory"},
      paramLabel = "DIR",
      description = "A directory in a checkout of the config repo (default: .); its HEAD is read."
          + " PATH is relative to it.")
  private Path directory;

  @Option(
      names = "--repo",
      paramLabel = "URL",
      description = "Read the config repo at URL instead: the branch is fetched whole into a"
          + " temporary repository, no working tree. PATH is a path in the repository.")
  private String repo;

  @Option(
      names = "--branch",
      paramLabel = "BRANCH",
      description = "With --repo: the branch (default: the remote's default branch).")
  private String branch;

  @Option(
      names = "--image",
      paramLabel = "REPO",
      description = "Only the changes of this image's repository (repeatable; any spelling).")
  private List<String> images = new ArrayList<>();

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "With --repo: a deadline for the fetch (default: 120; 0 waits forever).")
  private int timeoutSeconds = 120;

  @Option(
      names = "--accept-new-host-keys",
      description = "With an SSH --repo: accept and record the key of a host not in known_hosts.")
  private boolean acceptNewHostKeys;

  @Parameters(
      paramLabel = "PATH",
      arity = "0..1",
      description = "The environment: a directory or file of the config repo (default: all of it).")
  private String path;

  @Override
  public Integer call() throws IOException {
    Console console = root.console();
    if (timeoutSeconds < 0) {
      throw new UsageException("--timeout must be 0 (no timeout) or more");
    }
    Set<String> only = new HashSet<>();
    for (String image : images) {
      try {
        only.add(ImageReference.parse(image).repository());
      } catch (IllegalArgumentException e) {
        throw new UsageException("--image " + image + ": " + e.getMessage());
      }
    }
    RemoteSetup remote = new RemoteSetup(root.env(), root::secretsFor, root::abort, timeoutSeconds,
        acceptNewHostKeys).setLog(line -> console.verbose("bumper: " + line));
    DeployHistory.Result result = ConfigHistory.read(console, remote, directory, repo, branch, path,
        (history, fetched, tip, inRepo, top) -> history.read(tip, inRepo));
    List<DeployHistory.Deploy> shown = new ArrayList<>();
    for (DeployHistory.Deploy deploy : result.deploys()) {
      List<DeployHistory.ImageChange> changes = deploy.changes().stream()
          .filter(change -> only.isEmpty() || only.contains(change.repository())).toList();
      if (!changes.isEmpty()) {
        shown.add(new DeployHistory.Deploy(deploy.commit(), deploy.date(), deploy.author(),
            deploy.subject(), deploy.trailers(), changes, deploy.images(), deploy.back()));
      }
    }
    if (console.json()) {
      json(console, result, shown, only);
    } else {
      table(console, result, shown);
    }
    return ExitCode.OK;
  }

  private static void json(Console console, DeployHistory.Result result,
      List<DeployHistory.Deploy> shown, Set<String> only) {
    JsonWriter json = new JsonWriter(console.out());
    json.beginObject();
    json.name("path").value(result.path().isEmpty() ? "." : result.path());
    json.name("tip").value(result.tip());
    json.name("shallow").value(result.shallow());
    json.name("deploys").beginArray();
    for (DeployHistory.Deploy deploy : shown) {
      json.beginObject();
      json.name("back").value(deploy.back());
      json.name("commit").value(deploy.commit());
      json.name("date").value(deploy.date().toString());
      json.name("author").value(deploy.author());
      json.name("subject").value(deploy.subject());
      trailer(json, "sourceCommit", deploy, "Source-Commit");
      trailer(json, "buildUrl", deploy, "Build-URL");
      trailer(json, "rollbackOf", deploy, "Rollback-Of");
      json.name("changes").beginArray();
      for (DeployHistory.ImageChange change : deploy.changes()) {
        json.beginObject();
        json.name("image").value(change.repository());
        json.name("old").value(change.old());
        json.name("new").value(change.now());
        json.endObject();
      }
      json.endArray();
      json.endObject();
    }
    json.endArray();
    json.name("images").beginObject();
    for (Map.Entry<String, SortedSet<String>> image : result.now().byRepository().entrySet()) {
      if (only.isEmpty() || only.contains(image.getKey())) {
        json.name(image.getKey()).beginArray();
        image.getValue().forEach(json::value);
        json.endArray();
      }
    }
    json.endObject();
    json.endObject();
    console.out().println();
  }

  private static void trailer(JsonWriter json, String name, DeployHistory.Deploy deploy,
      String trailer) {
    json.name(name).value(deploy.trailers().get(trailer));
  }

  private static void table(Console console, DeployHistory.Result result,
      List<DeployHistory.Deploy> shown) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"BACK", "DATE", "COMMIT", "IMAGE", "OLD", "NEW", "AUTHOR", "SOURCE",
        "BUILD"});
    for (DeployHistory.Deploy deploy : shown) {
      for (DeployHistory.ImageChange change : deploy.changes()) {
        String source = deploy.trailers().getOrDefault("Source-Commit", "");
        String rollback = deploy.trailers().get("Rollback-Of");
        rows.add(new String[] {
          String.valueOf(deploy.back()),
          deploy.date().toString(),
          abbreviate(deploy.commit()),
          change.repository(),
          change.old() == null ? "(none)" : change.old(),
          (change.now() == null ? "(none)" : change.now())
              + (rollback == null ? "" : " (rollback of " + abbreviate(rollback) + ")"),
          deploy.author().replaceAll("\\s*<[^>]*>$", ""),
          source.isEmpty() ? "-" : abbreviate(source),
          deploy.trailers().getOrDefault("Build-URL", "-")});
      }
    }
    if (rows.size() == 1) {
      console.result("no image changed under " + (result.path().isEmpty() ? "." : result.path())
          + (result.shallow() ? " in the history there is (a shallow clone)" : ""));
      return;
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : ("%-" + widths[i] + "s  ").formatted(row[i]));
      }
      console.result(line.toString().stripTrailing());
    }
  }

  static String abbreviate(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
