package dev.bumper.cli;

import dev.bumper.container.ImageName;
import dev.bumper.container.RegistryAccess;
import dev.bumper.edit.PromoteEdit;
import dev.bumper.edit.PromoteEditResult;
import dev.bumper.failure.ExitCode;
import dev.bumper.pipeline.Delivered;
import dev.bumper.pipeline.DirectoryWorkspace;
import dev.bumper.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code bumper promote}: what one environment deploys, set in another. */
@Command(
    name = "promote",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Set in one environment exactly the images another one deploys, digests included.",
      "",
      "Reads the image references the files under --from deploy (containers, image volumes, "
          + "Helm values, kustomize images: entries, Argo CD override files; a kustomize entry "
          + "wins over the resources it replaces) and sets each, tag and digest, wherever the "
          + "files under --to use that image, as bump-manifest sets them. Images --to does not "
          + "use are left out. Refused, nothing written: an image the source deploys at two "
          + "references (exit 4), or one without a digest unless --pin-digest (exit 4).",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # Preview: what production would get from staging, as a diff",
      "  bumper promote -C config --from overlays/staging --to overlays/production --dry-run",
      "",
      "  # Only the web image",
      "  bumper promote -C config --from overlays/staging --to overlays/production \\",
      "    --image ghcr.io/acme/web",
      "",
      "  # From CI: in the config repo itself, no checkout; one commit, pushed",
      "  bumper promote --repo https://github.com/acme/config.git --push \\",
      "    --from overlays/staging --to overlays/production",
      "",
      "  # Through a pull request that a reviewer merges",
      "  bumper promote --repo https://github.com/acme/config.git --pull-request \\",
      "    --from overlays/staging --to overlays/production --reviewer acme/sre",
      "",
      "The commit has the trailers Promoted-From: SRC and Promoted-From-Commit: SHA.",
      "Exit codes: 0 done or already up to date, 2 usage, 3 no image in common (or an --image",
      "not in both), 4 an image at two references or without a digest, or an invalid file.",
    })
final class PromoteCommand implements Callable<Integer> {
  @ParentCommand private Bumper root;

  @Option(
      names = {"-C", "--directory"},
      paramLabel = "DIR",
      description = "The root: --from and --to are relative to it (default: .). With --repo: the"
          + " clone to make or reuse.")
  private Path directory;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "SRC",
      description = "The environment to read: a directory or file of the config repo (an"
          + " overlay, an app's directory, a values file).")
  private String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DST",
      description = "The environment to set the images in; not inside SRC, nor SRC inside it.")
  private String to;

  @Option(
      names = {"-i", "--image"},
      paramLabel = "REPO",
      description = "Only this image (repeatable; a repository, any spelling, no tag): both"
          + " environments must have it.")
  private List<String> images = new ArrayList<>();

  @Option(
      names = "--pin-digest",
      description = "Promote a reference without a digest by asking the registry for its tag's"
          + " digest, and set repository:tag@digest.")
  private boolean pinDigest;

  @Mixin private RegistryOptions registries = new RegistryOptions();

  @Option(
      names = "--dry-run",
      description = "Write nothing; print a unified diff of what would change.")
  private boolean dryRun;

  @Option(
      names = "--repo",
      paramLabel = "URL",
      description = "Promote in the config repo at URL: with -C DIR, in a shallow clone made (or"
          + " reused) there; with --push and no -C, read, edit, commit and push without a working"
          + " tree.")
  private String repo;

  @Option(
      names = "--branch",
      paramLabel = "BRANCH",
      description = "With --repo: the branch (default: the remote's default branch).")
  private String branch;

  @Option(
      names = "--push",
      description = "With --repo: commit and push; a lost race reads the source again on the new"
          + " tip and promotes what it deploys there.")
  private boolean push;

  @Mixin private CommitOptions commit = new CommitOptions();

  @Mixin private PullRequestOptions pullRequest = new PullRequestOptions();

  @Override
  public Integer call() throws IOException {
    Console console = root.console();
    PromoteEdit edit = new PromoteEdit("", from, to, images, pinDigest,
        pinDigest ? lookup(console) : null);
    Pipeline pipeline = pullRequest.pipeline(root, commit, repo);
    Delivered delivered =
        pipeline
            .setDirectory(directory)
            .setRepo(repo)
            .setBranch(branch)
            .setPush(push)
            .setDryRun(dryRun)
            .run(edit, (clone, readOnly) -> new Pipeline.Opened(
                DirectoryWorkspace.of(console,
                    clone != null ? clone : directory == null ? Path.of(".") : directory, readOnly),
                edit));
    new PromoteOutput(console, dryRun).print((PromoteEditResult) delivered.result(),
        delivered.report());
    return ExitCode.OK;
  }

  /**
   * Asks the registry, as bump-manifest --pin-digest does, once per tag: a replay after a lost race
   * gets the digest of the first ask.
   */
  private PromoteEdit.DigestLookup lookup(Console console) {
    Map<String, String> known = new HashMap<>();
    RegistryAccess[] access = new RegistryAccess[1];
    return tagged -> {
      String key = tagged.toString();
      String digest = known.get(key);
      if (digest == null) {
        if (access[0] == null) {
          access[0] =
              new ContainerRun(console, root.env(), root.secrets()).lookupAccess(registries);
        }
        ImageName name = ImageName.of(tagged);
        digest = access[0].client(name.registry()).manifestDigest(name.repository(), tagged.tag());
        console.verbose("bumper: " + name + " is " + digest);
        known.put(key, digest);
      }
      return digest;
    };
  }
}
