package dev.bumper.container;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One platform of {@code --platform os/arch[,...]}, such as {@code linux/arm64}.
 *
 * @param os {@code linux}, {@code windows}, ...
 * @param architecture {@code amd64}, {@code arm64}, ...
 */
public record PlatformSpec(String os, String architecture) {
  private static final Pattern WORD = Pattern.compile("[a-z0-9_.-]+");

  /**
   * Parses a comma-separated list.
   *
   * @throws ContainerException (usage) for an entry that is not {@code os/arch}
   */
  public static List<PlatformSpec> parseList(String list) {
    List<PlatformSpec> platforms = new ArrayList<>();
    for (String item : list.split(",")) {
      String text = item.strip();
      if (text.isEmpty()) {
        continue;
      }
      String[] parts = text.split("/");
      if (parts.length == 3) {
        // Jib tells platforms apart by os and architecture only
        throw ContainerException.usage(
            "--platform " + text + ": variants (such as arm/v7) are not supported; give os/arch");
      }
      if (parts.length != 2 || !WORD.matcher(parts[0]).matches() || !WORD.matcher(parts[1]).matches()) {
        throw ContainerException.usage("--platform " + text + ": expected os/arch, e.g. linux/arm64");
      }
      PlatformSpec platform = new PlatformSpec(parts[0], parts[1]);
      if (!platforms.contains(platform)) {
        platforms.add(platform);
      }
    }
    if (platforms.isEmpty()) {
      throw ContainerException.usage("--platform " + list + ": no platform given");
    }
    return platforms;
  }

  @Override
  public String toString() {
    return os + "/" + architecture;
  }
}
