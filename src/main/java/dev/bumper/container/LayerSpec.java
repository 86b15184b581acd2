package dev.bumper.container;

import java.nio.file.Path;

/**
 * One {@code --layer SRC[:DEST]}: a file or directory on disk, and where it goes in the image.
 * DEST is absolute. A directory's contents go under DEST; a file becomes DEST, or {@code
 * DEST/name} when DEST ends with {@code /}. Without DEST, SRC goes to {@code /} plus its name:
 * {@code --layer build/app.jar} is {@code /app.jar}, {@code --layer dist} is {@code /dist}.
 *
 * @param source the file or directory on disk
 * @param destination DEST as given, or null
 */
public record LayerSpec(Path source, String destination) {
  /**
   * Parses {@code SRC[:DEST]}; the split is at the last {@code :} followed by {@code /}, so a
   * source path may contain colons.
   *
   * @throws ContainerException (usage) for an empty SRC or DEST, or a DEST with {@code ..}
   */
  public static LayerSpec parse(String spec) {
    int split = spec.lastIndexOf(":/");
    String source = split < 0 ? spec : spec.substring(0, split);
    String destination = split < 0 ? null : spec.substring(split + 1);
    if (source.isEmpty()) {
      throw ContainerException.usage("--layer " + spec + ": SRC is empty");
    }
    if (destination == null && spec.endsWith(":")) {
      throw ContainerException.usage("--layer " + spec + ": DEST after ':' is empty");
    }
    if (destination != null && (destination.contains("/../") || destination.endsWith("/.."))) {
      throw ContainerException.usage("--layer " + spec + ": DEST must not contain '..'");
    }
    return new LayerSpec(Path.of(source), destination);
  }

  /** The absolute path SRC takes in the image, given whether it is a directory. */
  public String target(boolean directory) {
    String name = nameOf(source);
    if (destination == null) {
      return "/" + name;
    }
    if (destination.length() > 1 && destination.endsWith("/")) {
      return directory ? destination.substring(0, destination.length() - 1) : destination + name;
    }
    return destination;
  }

  private static String nameOf(Path path) {
    Path name = path.toAbsolutePath().normalize().getFileName();
    return name == null ? "" : name.toString();
  }
}
