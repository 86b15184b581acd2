package dev.bumper.cli;

import dev.bumper.ci.CiEnvironment;
import dev.bumper.container.BaseImage;
import dev.bumper.container.BuildSpec;
import dev.bumper.container.CommitTime;
import dev.bumper.container.ContainerException;
import dev.bumper.container.CreationTime;
import dev.bumper.container.ImageBuilder;
import dev.bumper.container.ImageMetadata;
import dev.bumper.container.ImageName;
import dev.bumper.container.LayerSpec;
import dev.bumper.container.OciLabels;
import dev.bumper.container.PlatformSpec;
import dev.bumper.container.RegistryAccess;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code bumper build-image}: builds an image with Jib Core, no Docker daemon, reproducibly. */
@Command(
    name = "build-image",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Build an image from files, without a Docker daemon, and push it or write it as a tarball.",
      "",
      "One layer per --layer, in order, on top of the base. Reproducible: files get fixed times, "
          + "owners and permissions, and the creation time comes from the commit CI builds (or "
          + "--creation-time, or SOURCE_DATE_EPOCH), so the same inputs give the same digest. In "
          + "CI, OCI labels record the commit, the repository and the tag. Prints the image pinned "
          + "by digest.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # A static binary on an empty base, pushed with two tags",
      "  bumper build-image --to ghcr.io/acme/web:1.4.2 --tag latest \\",
      "      --layer build/web:/usr/local/bin/web --entrypoint /usr/local/bin/web --port 8080",
      "",
      "  # A Java app on a multi-platform base, for two platforms, with its digest recorded",
      "  bumper build-image --from eclipse-temurin:21-jre --platform linux/amd64,linux/arm64 \\",
      "      --layer target/lib:/app/lib --layer target/app.jar:/app/app.jar \\",
      "      --entrypoint '[\"java\", \"-jar\", \"/app/app.jar\"]' \\",
      "      --to ghcr.io/acme/api:$SEMAPHORE_GIT_SHA --metadata-file image.json",
      "",
      "  # A tarball now, a push later (the digest stays the same)",
      "  bumper build-image --to ghcr.io/acme/web:1.4.2 --layer dist:/srv --tar web.tar",
      "  bumper push web.tar --to ghcr.io/acme/web:1.4.2",
      "",
      "Credentials: BUMPER_REGISTRY_USERNAME and BUMPER_REGISTRY_PASSWORD for the --to registry,",
      "else Docker's config.json (auths, credHelpers, credsStore).",
      "Exit codes: 0 built, 1 registry or I/O failure, 2 usage.",
    })
final class BuildImageCommand implements Callable<Integer> {
  /** The manifest formats of {@code --format}. */
  enum Format {
    docker,
    oci
  }

  @ParentCommand private Bumper root;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "REF",
      description = "Where the image goes: a registry repository and tag (default tag: latest); with --tar, the name recorded in the tarball.")
  private String to;

  @Option(
      names = "--from",
      paramLabel = "REF|scratch|docker-archive:PATH",
      description = "The base image: scratch (default: nothing), a registry image, or a docker-archive tarball.")
  private String from = "scratch";

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH",
      split = ",",
      description = "Platforms to build for, e.g. linux/amd64,linux/arm64; each takes the matching image of a multi-platform base, and more than one gives an image index (default: linux/amd64).")
  private List<String> platforms = new ArrayList<>();

  @Option(
      names = "--layer",
      paramLabel = "SRC[:DEST]",
      description = "A file or directory as one layer (repeatable, in order). A directory's contents go under DEST; a file becomes DEST, or DEST/name when DEST ends with /. Default DEST: /name.")
  private List<String> layers = new ArrayList<>();

  @Mixin private ImageConfigOptions config = new ImageConfigOptions();

  @Option(names = "--format", paramLabel = "docker|oci", description = "The manifest format: docker (default) or oci.")
  private Format format = Format.docker;

  @Option(names = "--tag", paramLabel = "TAG", description = "Another tag to push the image under (repeatable).")
  private List<String> tags = new ArrayList<>();

  @Option(
      names = "--creation-time",
      paramLabel = "TIME",
      description = "The image's creation time: seconds since 1970, an ISO-8601 time, or now (not reproducible). Default: SOURCE_DATE_EPOCH, else the time of the commit CI builds, else 1970-01-01.")
  private String creationTime;

  @Option(
      names = "--tar",
      paramLabel = "PATH",
      description = "Write a docker-archive tarball (docker load takes it) instead of pushing; bumper push sends it later with the same digest.")
  private Path tar;

  @Option(
      names = "--metadata-file",
      paramLabel = "FILE",
      description = "Write {\"image\", \"repository\", \"digest\", \"tags\", \"imageId\", \"pushed\"} as JSON, for bump-manifest --from-metadata.")
  private Path metadataFile;

  @Mixin private RegistryOptions registry = new RegistryOptions();

  @Override
  public Integer call() {
    Console console = root.console();
    Map<String, String> env = root.env();
    ContainerRun run = new ContainerRun(console, env, root.secrets());
    try {
      ImageName target = ImageName.parse(to, "--to");
      RegistryAccess access = run.access(registry, target.registry());
      BuildSpec spec = spec(target, env);
      String label = tar == null ? "push " + target.name() : "build " + tar;
      ImageMetadata metadata =
          new ImageBuilder(access, env, run.progress(label), console::verbose, ContainerRun.version()).build(spec);
      return run.finish(metadata, metadataFile);
    } catch (ContainerException e) {
      throw run.masked(e);
    }
  }

  private BuildSpec spec(ImageName target, Map<String, String> env) {
    List<PlatformSpec> platformSpecs = new ArrayList<>();
    if (!platforms.isEmpty()) {
      platformSpecs = PlatformSpec.parseList(String.join(",", platforms));
    }
    List<LayerSpec> layerSpecs = new ArrayList<>();
    for (String layer : layers) {
      layerSpecs.add(LayerSpec.parse(layer));
    }
    List<String> extraTags = new ArrayList<>();
    for (String tag : tags) {
      extraTags.add(ImageName.checkTag(tag, "--tag"));
    }
    CiEnvironment ci = CiEnvironment.detect(env);
    Optional<Instant> commitTime =
        ci.commit().isEmpty() ? Optional.empty() : CommitTime.of(ci.commit(), Path.of(""));
    Optional<Instant> created = CreationTime.resolve(creationTime, env, commitTime, Instant.now());
    Map<String, String> allLabels = new LinkedHashMap<>(OciLabels.of(ci, created));
    allLabels.putAll(config.labels());
    return new BuildSpec(
        target,
        BaseImage.parse(from),
        platformSpecs,
        layerSpecs,
        config.entrypoint(),
        config.cmd(),
        config.env(),
        allLabels,
        config.ports(),
        config.user,
        config.workingDirectory,
        config.volumes,
        format == Format.oci,
        extraTags,
        created.orElse(null),
        tar);
  }
}
