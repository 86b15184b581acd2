package dev.bumper.cli;

import dev.bumper.container.ContainerException;
import dev.bumper.container.ImageMetadata;
import dev.bumper.container.ImageName;
import dev.bumper.container.ImagePushes;
import dev.bumper.container.RegistryAccess;
import dev.bumper.failure.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bumper push}: a tarball to a registry, or an image between repositories, same digest. */
@Command(
    name = "push",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Push an image tarball to a registry, or copy an image from one repository or registry to "
          + "another (promotion), keeping its digest.",
      "",
      "TARBALL is a docker-archive (build-image --tar, docker save) or an OCI layout. Its "
          + "manifest, or the one build-image --tar recorded, goes up byte for byte, so the digest "
          + "in the registry is the one recorded at build time. With --from, the manifest (or "
          + "multi-platform index) is copied as it is; blobs already there are skipped, and on the "
          + "same registry they are mounted instead of sent. Prints the image pinned by digest.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # The tarball of an earlier build-image --tar",
      "  bumper push web.tar --to ghcr.io/acme/web:1.4.2 --metadata-file image.json",
      "",
      "  # Promote what staging runs to production, same digest, one more tag",
      "  bumper push --from registry.acme.dev/staging/web@sha256:<digest> \\",
      "      --to registry.acme.dev/prod/web:1.4.2 --tag stable",
      "",
      "Credentials: BUMPER_REGISTRY_USERNAME and BUMPER_REGISTRY_PASSWORD for the --to registry,",
      "else Docker's config.json (auths, credHelpers, credsStore).",
      "Exit codes: 0 pushed, 1 registry or I/O failure, 2 usage, 4 not an image tarball.",
    })
final class PushImageCommand implements Callable<Integer> {
  @ParentCommand private Bumper root;

  @Parameters(
      arity = "0..1",
      paramLabel = "TARBALL",
      description = "A docker-archive or OCI-layout tarball holding one image.")
  private Path tarball;

  @Option(
      names = "--from",
      paramLabel = "REF",
      description = "Copy this image (a tag or a digest; a multi-platform index with all its images) instead of pushing a tarball.")
  private String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "REF",
      description = "Where the image goes: repository and tag (default tag: latest). A digest here must be the image's.")
  private String to;

  @Option(names = "--tag", paramLabel = "TAG", description = "Another tag to push the image under (repeatable).")
  private List<String> tags = new ArrayList<>();

  @Option(
      names = "--metadata-file",
      paramLabel = "FILE",
      description = "Write {\"image\", \"repository\", \"digest\", \"tags\", \"imageId\", \"pushed\"} as JSON, for bump-manifest --from-metadata.")
  private Path metadataFile;

  @Mixin private RegistryOptions registry = new RegistryOptions();

  @Override
  public Integer call() {
    if ((tarball == null) == (from == null)) {
      throw new UsageException(tarball == null ? "give a TARBALL or --from REF" : "give a TARBALL or --from REF, not both");
    }
    Console console = root.console();
    ContainerRun run = new ContainerRun(console, root.env(), root.secrets());
    try {
      ImageName target = ImageName.parse(to, "--to");
      List<String> extraTags = new ArrayList<>();
      for (String tag : tags) {
        extraTags.add(ImageName.checkTag(tag, "--tag"));
      }
      ImageName source = from == null ? null : ImageName.parse(from, "--from");
      RegistryAccess access = run.access(registry, target.registry());
      ImageMetadata metadata =
          source == null
              ? ImagePushes.pushTarball(tarball, target, extraTags, access, run.progress("push " + target.name()))
              : ImagePushes.copy(source, target, extraTags, access, run.progress("push " + target.name()));
      return run.finish(metadata, metadataFile);
    } catch (ContainerException e) {
      throw run.masked(e);
    }
  }
}
