package dev.bumper.pipelines;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example app's pipelines for every CI hold together: they read as YAML, and every script
 * they run exists, is executable and is valid shell.
 */
class ExampleAppTest {
  private static final Path APP =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("examples/app");
  private static final Pattern SCRIPT = Pattern.compile("\\bci/[a-z-]+\\.sh\\b");

  private static List<Path> pipelineFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir : List.of(".semaphore", ".github/workflows")) {
      try (Stream<Path> list = Files.list(APP.resolve(dir))) {
        list.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(files::add);
      }
    }
    files.add(APP.resolve(".gitlab-ci.yml"));
    return files;
  }

  @Test
  void everyCisPipelinesAreThere() throws IOException {
    assertThat(pipelineFiles())
        .extracting(p -> APP.relativize(p).toString())
        .contains(
            ".semaphore/semaphore.yml",
            ".github/workflows/ci.yml",
            ".github/workflows/terraform.yml",
            ".gitlab-ci.yml");
  }

  @Test
  void everyPipelineReadsAsYamlWithoutDuplicateKeys() throws IOException {
    for (Path file : pipelineFiles()) {
      assertThat(SemaphoreSchema.yaml(file)).as(file.toString()).isInstanceOf(java.util.Map.class);
    }
  }

  @Test
  void everyScriptAPipelineRunsExistsAndIsExecutable() throws IOException {
    List<String> referenced = new ArrayList<>();
    for (Path file : pipelineFiles()) {
      Matcher m = SCRIPT.matcher(Files.readString(file, UTF_8));
      while (m.find()) {
        referenced.add(m.group());
      }
    }
    assertThat(referenced)
        .contains("ci/install-bumper.sh", "ci/build-image.sh", "ci/deploy-staging.sh", "ci/promote-production.sh");
    for (String script : referenced) {
      Path path = APP.resolve(script);
      assertThat(path).as(script).isRegularFile();
      assertThat(Files.isExecutable(path)).as(script + " is executable").isTrue();
    }
  }

  @Test
  void everyScriptIsValidPosixShell() throws IOException, InterruptedException {
    try (Stream<Path> scripts = Files.list(APP.resolve("ci"))) {
      for (Path script : scripts.filter(p -> p.toString().endsWith(".sh")).toList()) {
        assertThat(Files.readString(script, UTF_8)).as(script.toString()).startsWith("#!/bin/sh\n");
        Process sh = new ProcessBuilder("sh", "-n", script.toString()).redirectErrorStream(true).start();
        String output = new String(sh.getInputStream().readAllBytes(), UTF_8);
        assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sh.exitValue()).as(script + ": " + output).isZero();
      }
    }
  }
}
