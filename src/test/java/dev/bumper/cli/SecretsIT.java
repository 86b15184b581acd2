package dev.bumper.cli;

import dev.bumper.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Some of {@link SecretsTest}'s command lines through the packaged jar: what libraries or the JVM
 * print by themselves, outside bumper's own output, shows only when bumper is its own process.
 */
@RequiresTools({"docker-registry", "htpasswd", "openssl"})
class SecretsIT {
  private static final List<String> CASES =
      List.of(
          "in memory, GIT_TOKEN",
          "clone mode, token in the URL, JSON",
          "unreachable, in memory",
          "refused GIT_TOKEN, in memory",
          "refused password in the URL, clone mode",
          "no such repository",
          "bad option value");

  @TempDir Path tmp;

  @Test
  void noSecretInTheOutputOfTheJar() throws Exception {
    try (SecretCases fixture = new SecretCases(tmp)) {
      Map<String, SecretCases.Case> byName = fixture.byName();
      Path out = Files.createDirectories(tmp.resolve("out"));
      for (String name : CASES) {
        SecretCases.Case c = byName.get(name);
        JarProcess.Result run = new JarProcess(out).env(fixture.env()).env(c.env()).run(tmp, c.args());
        SecretCases.check(c, run.code(), run.out(), run.err());
      }
      fixture.checkFiles();
    }
  }
}
