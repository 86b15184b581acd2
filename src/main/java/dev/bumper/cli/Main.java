package dev.bumper.cli;

import dev.bumper.git.JGitEnvironment;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Entry point of {@code bumper}: runs the command line and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (usesGit(args)) {
      JGitEnvironment.prepare(namesRemote(args));
    }
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = Bumper.run(args, out, err, System.getenv(), true);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Whether a run may open a repository: anything but asking for the version or help. */
  static boolean usesGit(String[] args) {
    if (args.length == 0) {
      return false;
    }
    String last = args[args.length - 1];
    return !(last.equals("--version") || last.equals("-V") || last.equals("--help")
        || last.equals("-h") || args[0].equals("help"));
  }

  /** Whether the command line names a remote config repo ({@code --repo}). */
  static boolean namesRemote(String[] args) {
    for (String arg : args) {
      if (arg.equals("--repo") || arg.startsWith("--repo=")) {
        return true;
      }
    }
    return false;
  }

  /** Runs in-process: for tests and embedding. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    return Bumper.run(args, out, err, env);
  }
}
