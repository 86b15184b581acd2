package dev.bumper.container;

import java.nio.file.Path;

/** What {@code --from} names: nothing ({@code scratch}), a registry image, or a tarball. */
public sealed interface BaseImage {
  /** An empty base: the image holds only the layers given. */
  record Scratch() implements BaseImage {}

  /** An image in a registry. */
  record Registry(ImageName name) implements BaseImage {}

  /** A docker-archive tarball, {@code docker-archive:PATH}. */
  record Archive(Path path) implements BaseImage {}

  String ARCHIVE_PREFIX = "docker-archive:";

  /** @throws ContainerException (usage) for a reference that does not parse */
  static BaseImage parse(String from) {
    if (from == null || from.equals("scratch")) {
      return new Scratch();
    }
    if (from.startsWith(ARCHIVE_PREFIX)) {
      String path = from.substring(ARCHIVE_PREFIX.length());
      if (path.isEmpty()) {
        throw ContainerException.usage("--from " + from + ": no PATH after docker-archive:");
      }
      return new Archive(Path.of(path));
    }
    return new Registry(ImageName.parse(from, "--from"));
  }
}
