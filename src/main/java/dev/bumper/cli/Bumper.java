package dev.bumper.cli;

import dev.bumper.failure.ExitCode;
import dev.bumper.secret.SecretMask;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root command: global options and the list of commands. */
@Command(
    name = "bumper",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description =
        "The CI side of GitOps: record a new image in a Git config repo of Kubernetes manifests, "
            + "changing only the bytes that must change.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success, including \"already up to date\"",
      "  1  failure: I/O, network, git, registry, or a self-check that refused to write",
      "  2  usage: unknown option, bad image spec or KEY=VALUE, a path outside the root",
      "  3  nothing matched an --image, --set or --policy (unless --allow-no-match)",
      "  4  invalid input file: not UTF-8, not YAML, duplicate key or block scalar at a target",
      "  5  push lost: the remote kept moving, or a rebase hit a real conflict",
      "  6  held: the path is held after a rollback (bumper release PATH, or --force)",
      "",
      "Examples:",
      "  bumper bump-manifest -C config -i ghcr.io/acme/web:1.4.2 --dry-run",
      "  bumper bump-manifest -i web=ghcr.io/acme/web@sha256:<digest> apps/web",
      "  bumper kustomize-set-image -C overlays/production ghcr.io/acme/web:1.4.2",
      "  bumper commit-push -C config --skip-ci",
      "  bumper promote -C config --from overlays/staging --to overlays/production",
      "",
      "Run 'bumper COMMAND --help' for a command's options.",
    })
public final class Bumper implements Runnable {
  @Mixin GlobalOptions options = new GlobalOptions();

  @Spec CommandSpec spec;

  private Map<String, String> env = Map.of();
  private SecretMask secrets;
  private PrintWriter out;
  private PrintWriter err;
  private TrackedWriter tracked;
  private boolean ownsProcess;

  /** The commands' names, in the order help lists them. */
  private static final List<String> COMMAND_NAMES = List.of("build-image", "push", "bump-manifest",
      "kustomize-set-image", "commit-push", "promote", "history", "rollback", "release");

  /**
   * The command of that name, or null. A switch, not a map of classes: a run loads only the class
   * of the command it runs (none for {@code --version}), each a large class to read and define.
   */
  private static Class<?> command(String name) {
    switch (name) {
      case "build-image":
        return BuildImageCommand.class;
      case "push":
        return PushImageCommand.class;
      case "bump-manifest":
        return BumpManifestCommand.class;
      case "kustomize-set-image":
        return KustomizeSetImageCommand.class;
      case "commit-push":
        return CommitPushCommand.class;
      case "promote":
        return PromoteCommand.class;
      case "history":
        return HistoryCommand.class;
      case "rollback":
        return RollbackCommand.class;
      case "release":
        return ReleaseCommand.class;
      default:
        return null;
    }
  }

  /** Every command, for what is generated from the model: man pages, shell completion. */
  static Collection<Class<?>> commandClasses() {
    List<Class<?>> all = new ArrayList<>();
    for (String name : COMMAND_NAMES) {
      all.add(command(name));
    }
    return Collections.unmodifiableCollection(all);
  }

  static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    return run(args, out, err, env, false);
  }

  /** @param ownsProcess whether this run is the process's, and may end it (see {@link #abort}) */
  static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, boolean ownsProcess) {
    Bumper root = new Bumper();
    root.ownsProcess = ownsProcess;
    root.secrets = SecretMask.of(env, args);
    // Every line printed passes the mask, whatever produced it: picocli, git, a server's message.
    // Always, since a command may learn a secret as it runs (a password from config.json).
    java.io.Writer maskedOut = new MaskingWriter(out, root.secrets);
    java.io.Writer maskedErr = new MaskingWriter(err, root.secrets);
    TrackedWriter tracked = new TrackedWriter(maskedOut);
    root.tracked = tracked;
    root.env = env;
    root.out = new PrintWriter(tracked, true);
    root.err = new PrintWriter(maskedErr, true);
    CommandLine cli = new CommandLine(root);
    for (Class<?> command : commandsFor(args)) {
      cli.addSubcommand(command);
    }
    // after the commands: picocli gives a converter only to those it already has
    cli.registerConverter(java.nio.file.Path.class, new PathConverter());
    cli.setOut(root.out);
    cli.setErr(root.err);
    // Handlers as classes, not lambdas: the first lambda of a JVM costs start-up time.
    cli.setParameterExceptionHandler(new UsageErrorHandler(root));
    cli.setExecutionExceptionHandler(new FailureHandler(root));
    int code;
    try {
      code = cli.execute(args);
    } catch (OutOfMemoryError e) {
      // picocli hands on Errors; a heap too small for a file is the input's size, not a crash
      root.console().error("bumper: out of memory, nothing written: an input is too large for the heap"
          + " (give the JVM more: java -Xmx2g -jar bumper.jar, or BUMPER_JAVA_OPTS=-Xmx2g for the launcher)");
      code = ExitCode.FAILURE;
    } catch (StackOverflowError e) {
      root.console().error("bumper: an input is nested too deeply to process; nothing written");
      code = ExitCode.INVALID_INPUT;
    }
    root.finish(code);
    return code;
  }

  /** Flushes the output; a failure with --output json and nothing printed yet prints its JSON object. */
  private synchronized void finish(int code) {
    if (code != ExitCode.OK && options.json() && !tracked.written) {
      // --output json promises one JSON object on stdout, failures included
      new dev.bumper.io.JsonWriter(out)
          .beginObject()
          .name("exitCode").value(code)
          .name("error").value(console().firstError())
          .endObject();
      out.println();
    }
    out.flush();
    err.flush();
  }

  /**
   * Ends the process at once with exit 1, from any thread: for a network operation that outlived
   * --timeout, whose blocked read nothing else can interrupt. Shutdown hooks still remove
   * temporary repositories, and the checkout lock is released by the operating system. Run
   * in-process (tests, embedding) it only reports: the process is not bumper's to end, and the
   * read timeout still bounds a server that sends nothing.
   */
  void abort(String message) {
    console().error("bumper: " + message);
    if (ownsProcess) {
      finish(ExitCode.FAILURE);
      Runtime.getRuntime().exit(ExitCode.FAILURE);
    }
  }

  /**
   * The commands picocli has to model for these arguments. Modelling a command reflects over all
   * its options, which is most of bumper's start-up beyond the JVM's own; so a run of one command
   * models just that one, and {@code --version} none. Help, errors and suggestions get them all.
   */
  static Collection<Class<?>> commandsFor(String[] args) {
    for (String arg : args) {
      Class<?> command = command(arg);
      if (command != null) {
        return List.of(command);
      }
    }
    boolean versionOnly = args.length > 0;
    for (String arg : args) {
      versionOnly &= arg.equals("-V") || arg.equals("--version");
    }
    return versionOnly ? List.of() : commandClasses();
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: give one of " + String.join(", ", spec.subcommands().keySet()));
  }

  private Console console;

  /** The run's console: one, so that it can tell the first error afterwards. */
  Console console() {
    if (console == null) {
      console = new Console(out, err, options, env);
    }
    return console;
  }

  Map<String, String> env() {
    return env;
  }

  /** The run's standard error, masked. */
  PrintWriter err() {
    return err;
  }

  /** The run's secrets, masked in all output; commands add those they load at run time. */
  SecretMask secrets() {
    return secrets;
  }

  /** The run's mask, with the credentials that go to {@code url} in it. */
  SecretMask secretsFor(dev.bumper.git.RemoteUrl url) {
    secrets.addAll(dev.bumper.git.GitCredentials.secrets(url, env));
    return secrets;
  }
}
