package dev.bumper.cli;

import dev.bumper.container.ContainerException;
import dev.bumper.container.ImageMetadata;
import dev.bumper.container.InsecureRegistries;
import dev.bumper.container.Progress;
import dev.bumper.container.ProgressBar;
import dev.bumper.container.ProgressLines;
import dev.bumper.container.RegistryAccess;
import dev.bumper.container.RegistryCredentials;
import dev.bumper.container.RetryPolicy;
import dev.bumper.failure.ExitCode;
import dev.bumper.failure.UsageException;
import dev.bumper.io.JsonWriter;
import dev.bumper.secret.SecretMask;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * What build-image and push share on the command line: registry access made from the options and
 * the environment, progress for the terminal or the log, and the result printed and recorded.
 */
final class ContainerRun {
  private final Console console;
  private final Map<String, String> env;
  private final SecretMask secrets;

  ContainerRun(Console console, Map<String, String> env, SecretMask secrets) {
    this.console = console;
    this.env = env;
    this.secrets = secrets;
  }

  /**
   * Registry access for a command that pushes to {@code pushRegistry}: the environment's
   * credentials go to that registry only.
   */
  RegistryAccess access(RegistryOptions options, String pushRegistry) {
    return access(options, pushRegistry::equals);
  }

  /**
   * Registry access for looking images up ({@code --pin-digest}): the environment's credentials go
   * to every registry asked, since each is one the user named.
   */
  RegistryAccess lookupAccess(RegistryOptions options) {
    return access(options, registry -> true);
  }

  private RegistryAccess access(RegistryOptions options, Predicate<String> takesEnvironmentCredentials) {
    if (options.retries < 0) {
      throw new UsageException("--retries must not be negative");
    }
    RegistryCredentials credentials = new RegistryCredentials(env, takesEnvironmentCredentials, secrets);
    return new RegistryAccess(
        credentials, InsecureRegistries.of(options.insecure, env), RetryPolicy.of(options.retries, this::warn),
        line -> console.verbose("bumper: " + line));
  }

  private Progress progress;

  /**
   * Progress on stderr: a bar on a terminal, plain lines in CI and in logs, nothing with {@code
   * -q}.
   */
  Progress progress(String label) {
    if (progress == null) {
      if (console.isQuiet()) {
        progress = Progress.NONE;
      } else if (isTerminal()) {
        progress = new ProgressBar(console.err(), label, columns());
      } else {
        progress = new ProgressLines(console.err(), label);
      }
    }
    return progress;
  }

  private boolean isTerminal() {
    return System.console() != null
        && !"dumb".equals(env.get("TERM"))
        && !"true".equalsIgnoreCase(env.get("CI"));
  }

  private int columns() {
    try {
      return Integer.parseInt(env.getOrDefault("COLUMNS", "80").strip());
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  /** A retry or other warning: on stderr, through the progress so a bar is not torn. */
  private void warn(String line) {
    String masked = secrets.mask(line);
    if (console.isQuiet()) {
      return;
    }
    if (progress != null) {
      progress.line("warning: " + masked);
    } else {
      console.warn("bumper: warning: " + masked);
    }
  }

  /** Prints the result (the pinned reference, or the JSON object) and writes the metadata file. */
  int finish(ImageMetadata metadata, Path metadataFile) {
    if (metadataFile != null) {
      metadata.writeFile(metadataFile);
    }
    if (console.json()) {
      metadata.write(new JsonWriter(console.out()));
      console.out().println();
    } else {
      console.result(metadata.image());
    }
    return ExitCode.OK;
  }

  SecretMask secrets() {
    return secrets;
  }

  /**
   * The failure with every secret of the run masked; with {@code -v}, with the chain of causes
   * that led to it.
   */
  ContainerException masked(ContainerException e) {
    StringBuilder message = new StringBuilder(e.getMessage());
    if (console.isVerbose()) {
      for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
        message.append("\n  caused by: ").append(cause.getClass().getName());
        if (cause.getMessage() != null) {
          message.append(": ").append(cause.getMessage());
        }
      }
    }
    return new ContainerException(e.kind(), secrets.mask(message.toString()));
  }

  /** bumper's version, as Maven stamped it, for the image history. */
  static String version() {
    Properties properties = new Properties();
    try (InputStream in = ContainerRun.class.getResourceAsStream("/dev/bumper/version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return properties.getProperty("version", "unknown");
  }
}
