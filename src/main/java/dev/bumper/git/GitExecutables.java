package dev.bumper.git;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** git's own programs on this machine, where bumper can use them to go faster. */
final class GitExecutables {
  private GitExecutables() {}

  /** The path of a git program on the PATH or in git's usual exec directories, or null. */
  static String find(String program) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
          return Path.of(dir, program).toString();
        }
      }
    }
    for (String dir : new String[] {"/usr/lib/git-core", "/usr/libexec/git-core"}) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return Path.of(dir, program).toString();
      }
    }
    return null;
  }
}
