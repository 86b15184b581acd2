package dev.bumper.container;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Builds an image with Jib Core, without a Docker daemon, and pushes it or writes it as a
 * tarball. Reproducible: files get fixed modification times (1970-01-01T00:00:01Z), ownership
 * (root) and permissions (755 for directories and for files their owner may execute, 644 for the
 * rest), and the creation time comes from the sources, so the same inputs give the same digest.
 *
 * <p>The whole build is retried on 5xx, 429, lost uploads and dropped connections, which Jib
 * itself does not retry; blobs the registry already has are not uploaded again.
 */
public final class ImageBuilder {
  private static final Instant FILE_TIME = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;
  private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
  private static final FilePermissions REGULAR = FilePermissions.fromOctalString("644");

  private final RegistryAccess access;
  private final Map<String, String> env;
  private final Progress progress;
  private final Consumer<String> verbose;
  private final String version;

  /**
   * @param env bumper's environment, for the cache directory and credential helpers
   * @param verbose where Jib's log goes for {@code -v}
   * @param version bumper's version, recorded in the image history
   */
  public ImageBuilder(
      RegistryAccess access, Map<String, String> env, Progress progress, Consumer<String> verbose, String version) {
    this.access = access;
    this.env = env;
    this.progress = progress;
    this.verbose = verbose;
    this.version = version;
  }

  /** Builds, then pushes or writes the tarball, and tells what came out. */
  public ImageMetadata build(BuildSpec spec) {
    check(spec);
    connect(spec);
    List<String> tags = ImagePushes.tags(spec.to(), spec.extraTags(), null);
    Path applicationCache = temporaryDirectory();
    try {
      JibContainer container =
          access.retry().call(
              spec.tar() == null ? "build and push " + spec.to() : "build " + spec.tar(),
              () -> containerize(spec, tags, applicationCache));
      progress.done();
      if (spec.tar() != null) {
        return tarballMetadata(spec, tags, container);
      }
      String imageId = spec.platforms().size() > 1 ? null : container.getImageId().toString();
      return ImageMetadata.of(spec.to(), tags, container.getDigest().toString(), imageId, true);
    } finally {
      deleteRecursively(applicationCache);
    }
  }

  /**
   * The digest a push of the tarball will give, read from the tarball by the same code {@code
   * push} uses, so that the two cannot disagree.
   */
  private ImageMetadata tarballMetadata(BuildSpec spec, List<String> tags, JibContainer container) {
    try (ArchiveImage image = ArchiveImage.read(spec.tar())) {
      if (!image.digest().equals(container.getDigest().toString())) {
        verbose.accept("jib computed " + container.getDigest() + " for the tarball; a push of it gives " + image.digest());
      }
      return ImageMetadata.of(spec.to(), tags, image.digest(), image.imageId(), false);
    }
  }

  /**
   * Reaches the registries of the build first: Jib retries a refused connection or an untrusted
   * certificate for about a minute, and then reports it in its own words.
   */
  private void connect(BuildSpec spec) {
    if (spec.from() instanceof BaseImage.Registry registry) {
      access.client(registry.name().registry()).connect();
    }
    if (spec.tar() == null) {
      access.client(spec.to().registry()).connect();
    }
  }

  private void check(BuildSpec spec) {
    if (spec.tar() != null && spec.platforms().size() > 1) {
      throw ContainerException.usage("--tar writes one image: give one --platform, not " + spec.platforms().size());
    }
    if (spec.from() instanceof BaseImage.Archive archive) {
      if (spec.platforms().size() > 1) {
        throw ContainerException.usage("a docker-archive base holds one platform: give one --platform");
      }
      if (!Files.isRegularFile(archive.path())) {
        throw ContainerException.usage("--from docker-archive:" + archive.path() + ": no such file");
      }
    }
    for (LayerSpec layer : spec.layers()) {
      if (!Files.exists(layer.source())) {
        throw ContainerException.usage("--layer " + layer.source() + ": no such file or directory");
      }
    }
    if (spec.to().digest() != null) {
      throw ContainerException.usage("--to " + spec.to() + ": name where the image goes, without a digest");
    }
  }

  private JibContainer containerize(BuildSpec spec, List<String> tags, Path applicationCache) throws TransientException {
    JibFailures failures = new JibFailures(access);
    try {
      JibContainerBuilder builder = base(spec);
      configure(builder, spec);
      Containerizer containerizer = containerizer(spec, tags, applicationCache);
      return builder.containerize(containerizer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ContainerException.failure("interrupted");
    } catch (ExecutionException | RegistryException | IOException e) {
      throw failures.classify(e, spec.tar() == null ? spec.to().toString() : spec.from().toString());
    } catch (CacheDirectoryCreationException e) {
      throw ContainerException.failure("cannot create Jib's cache directory: " + e.getMessage());
    } catch (InvalidImageReferenceException e) {
      throw ContainerException.usage(e.getMessage());
    }
  }

  private JibContainerBuilder base(BuildSpec spec) throws InvalidImageReferenceException {
    BaseImage from = spec.from();
    if (from instanceof BaseImage.Registry registry) {
      return Jib.from(registryImage(registry.name()));
    }
    if (from instanceof BaseImage.Archive archive) {
      return Jib.from(TarImage.at(archive.path().toAbsolutePath()));
    }
    return Jib.fromScratch();
  }

  private RegistryImage registryImage(ImageName name) throws InvalidImageReferenceException {
    return RegistryImage.named(name.toString()).addCredentialRetriever(retriever(name.registry()));
  }

  /** Hands Jib the credentials bumper resolved, so both clients use the same ones. */
  private CredentialRetriever retriever(String registry) {
    return () -> {
      Optional<dev.bumper.container.Credential> found = access.credentials().forRegistry(registry);
      return found.map(c -> Credential.from(c.username(), c.secret()));
    };
  }

  private void configure(JibContainerBuilder builder, BuildSpec spec) throws IOException {
    if (!spec.platforms().isEmpty()) {
      Set<Platform> platforms = new LinkedHashSet<>();
      for (PlatformSpec platform : spec.platforms()) {
        platforms.add(new Platform(platform.architecture(), platform.os()));
      }
      builder.setPlatforms(platforms);
    }
    int index = 0;
    for (LayerSpec layer : spec.layers()) {
      builder.addFileEntriesLayer(layer(layer, ++index));
    }
    if (spec.entrypoint() != null) {
      builder.setEntrypoint(spec.entrypoint());
    }
    if (spec.cmd() != null) {
      builder.setProgramArguments(spec.cmd());
    }
    if (!spec.env().isEmpty()) {
      builder.setEnvironment(spec.env());
    }
    if (!spec.labels().isEmpty()) {
      builder.setLabels(spec.labels());
    }
    if (!spec.ports().isEmpty()) {
      Set<Port> ports = new LinkedHashSet<>();
      for (PortSpec port : spec.ports()) {
        ports.add(port.protocol().equals("udp") ? Port.udp(port.port()) : Port.tcp(port.port()));
      }
      builder.setExposedPorts(ports);
    }
    if (spec.user() != null) {
      builder.setUser(spec.user());
    }
    if (spec.workingDirectory() != null) {
      builder.setWorkingDirectory(absolute(spec.workingDirectory(), "--working-directory"));
    }
    if (!spec.volumes().isEmpty()) {
      Set<AbsoluteUnixPath> volumes = new LinkedHashSet<>();
      for (String volume : spec.volumes()) {
        volumes.add(absolute(volume, "--volume"));
      }
      builder.setVolumes(volumes);
    }
    builder.setFormat(spec.oci() ? ImageFormat.OCI : ImageFormat.Docker);
    builder.setCreationTime(spec.creationTime() == null ? Instant.EPOCH : spec.creationTime());
  }

  private static FileEntriesLayer layer(LayerSpec layer, int index) throws IOException {
    Path source = layer.source().toAbsolutePath().normalize();
    boolean directory = Files.isDirectory(source);
    AbsoluteUnixPath target = absolute(layer.target(directory), "--layer");
    FileEntriesLayer.Builder entries = FileEntriesLayer.builder().setName("layer " + index);
    if (directory && target.toString().equals("/")) {
      // a directory's contents at the root: each child on its own, since the root itself is no
      // entry of a layer (Jib has no parent to give it)
      List<Path> children;
      try (Stream<Path> list = Files.list(source)) {
        children = list.sorted().toList();
      }
      for (Path child : children) {
        entries.addEntryRecursive(child, target.resolve(child.getFileName().toString()),
            (file, inImage) -> permissions(file), (file, inImage) -> FILE_TIME);
      }
    } else if (directory) {
      entries.addEntryRecursive(source, target, (file, inImage) -> permissions(file), (file, inImage) -> FILE_TIME);
    } else {
      entries.addEntry(source, target, permissions(source), FILE_TIME);
    }
    return entries.build();
  }

  private static FilePermissions permissions(Path file) {
    try {
      if (Files.isDirectory(file)) {
        return EXECUTABLE;
      }
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      return mode.contains(PosixFilePermission.OWNER_EXECUTE) ? EXECUTABLE : REGULAR;
    } catch (IOException | UnsupportedOperationException e) {
      return REGULAR;
    }
  }

  private static AbsoluteUnixPath absolute(String path, String option) {
    if (!path.startsWith("/")) {
      throw ContainerException.usage(option + " " + path + ": must be an absolute path");
    }
    return AbsoluteUnixPath.get(path);
  }

  private Containerizer containerizer(BuildSpec spec, List<String> tags, Path applicationCache)
      throws InvalidImageReferenceException {
    Containerizer containerizer;
    if (spec.tar() != null) {
      containerizer = Containerizer.to(TarImage.at(spec.tar().toAbsolutePath()).named(spec.to().withTag(tags.get(0)).toString()));
    } else {
      containerizer = Containerizer.to(registryImage(spec.to().withTag(tags.get(0))));
    }
    for (String tag : tags.subList(1, tags.size())) {
      containerizer.withAdditionalTag(tag);
    }
    containerizer
        .setToolName("bumper")
        .setToolVersion(version)
        .setAllowInsecureRegistries(involvesInsecureRegistry(spec))
        .setBaseImageLayersCache(baseCache(applicationCache))
        .setApplicationLayersCache(applicationCache)
        .addEventHandler(LogEvent.class, this::log)
        .addEventHandler(
            ProgressEvent.class,
            new ProgressEventHandler(update -> progress.update(update.getProgress(), "")));
    return containerizer;
  }

  /**
   * Jib allows insecure connections for all registries of a build or none; it is allowed when
   * any registry of this build is named insecure (Jib still tries TLS first), or when every one is
   * on loopback, which Docker reaches over plain HTTP unasked. A loopback target beside a base
   * image from elsewhere does not weaken the checks of that other registry.
   */
  private boolean involvesInsecureRegistry(BuildSpec spec) {
    List<String> registries = new ArrayList<>();
    if (spec.tar() == null) {
      registries.add(spec.to().registry());
    }
    if (spec.from() instanceof BaseImage.Registry registry) {
      registries.add(registry.name().registry());
    }
    return registries.stream().anyMatch(access.insecure()::contains)
        || (!registries.isEmpty() && registries.stream().allMatch(InsecureRegistries::isLoopback));
  }

  private void log(LogEvent event) {
    if (event.getLevel() != LogEvent.Level.PROGRESS) {
      // Jib colours its error lines; the escape codes do not belong in bumper's log
      String message = event.getMessage().replaceAll("\u001B\\[[;\\d]*m", "");
      verbose.accept("jib: " + access.secrets().mask(message));
    }
  }

  /**
   * Base image layers are kept between runs: {@code $XDG_CACHE_HOME/bumper/jib}, else {@code
   * ~/.cache/bumper/jib}; without a home, only for this run.
   */
  private Path baseCache(Path runCache) {
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "bumper", "jib");
    }
    String home = env.get("HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home, ".cache", "bumper", "jib");
    }
    return runCache.resolve("base");
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("bumper-jib-");
    } catch (IOException e) {
      throw ContainerException.failure("cannot create a temporary directory: " + e.getMessage());
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(paths.toList());
      all.sort(Comparator.reverseOrder());
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    } catch (IOException ignored) {
      // a temporary directory left behind is not worth failing a finished build for
    }
  }
}
