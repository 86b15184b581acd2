package dev.bumper.cli;

import dev.bumper.container.ExecForm;
import dev.bumper.container.PortSpec;
import dev.bumper.failure.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** How the image runs, as Docker's config has it: options of {@code build-image}, parsed. */
final class ImageConfigOptions {
  @Option(
      names = "--entrypoint",
      paramLabel = "CMD",
      description = "The entrypoint: a JSON array, [\"/app\", \"serve\"], or words split at spaces (quotes keep spaces). \"\" clears the base's.")
  String entrypoint;

  @Option(
      names = "--cmd",
      paramLabel = "ARGS",
      description = "The default arguments (Docker's CMD), written like --entrypoint; use --cmd='--flag' for a value starting with -.")
  String cmd;

  @Option(names = "--env", paramLabel = "KEY=VALUE", description = "An environment variable (repeatable); added to the base's.")
  List<String> envs = new ArrayList<>();

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label (repeatable); wins over the base's and the CI labels.")
  List<String> labels = new ArrayList<>();

  @Option(names = "--port", paramLabel = "N[/tcp|/udp]", description = "A port to expose (repeatable).")
  List<String> ports = new ArrayList<>();

  @Option(names = "--user", paramLabel = "USER[:GROUP]", description = "The user the image runs as, by name or id.")
  String user;

  @Option(names = "--working-directory", paramLabel = "DIR", description = "The working directory (absolute).")
  String workingDirectory;

  @Option(names = "--volume", paramLabel = "DIR", description = "A volume mount point (repeatable, absolute).")
  List<String> volumes = new ArrayList<>();

  List<String> entrypoint() {
    return entrypoint == null ? null : ExecForm.parse(entrypoint, "--entrypoint");
  }

  List<String> cmd() {
    return cmd == null ? null : ExecForm.parse(cmd, "--cmd");
  }

  Map<String, String> env() {
    return keyValues(envs, "--env");
  }

  Map<String, String> labels() {
    return keyValues(labels, "--label");
  }

  List<PortSpec> ports() {
    List<PortSpec> specs = new ArrayList<>();
    for (String port : ports) {
      specs.add(PortSpec.parse(port));
    }
    return specs;
  }

  private static Map<String, String> keyValues(List<String> pairs, String option) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : pairs) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new UsageException(option + " " + pair + ": expected KEY=VALUE");
      }
      map.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    return map;
  }
}
