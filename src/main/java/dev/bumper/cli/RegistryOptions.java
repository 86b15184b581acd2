package dev.bumper.cli;

import dev.bumper.container.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How registries are reached: options shared by build-image and push. */
final class RegistryOptions {
  @Option(
      names = "--insecure-registry",
      paramLabel = "HOST[:PORT]",
      description = "Reach this registry over plain HTTP, or over TLS without checking its certificate (repeatable; also BUMPER_INSECURE_REGISTRIES, comma-separated).")
  List<String> insecure = new ArrayList<>();

  @Option(
      names = "--retries",
      paramLabel = "N",
      description = "Retries of a registry request after a connection error, 5xx, 429 or lost upload, with jittered exponential backoff from 0.5 s up to 10 s (default: " + RetryPolicy.DEFAULT_RETRIES + ").")
  int retries = RetryPolicy.DEFAULT_RETRIES;
}
