package dev.bumper.cli;

import dev.bumper.RequiresTools;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that handles credentials, through success and every kind of failure, with
 * {@code -v}: no form of a secret in stdout or stderr, nor in the files the runs left (see
 * {@link SecretCases}).
 */
@RequiresTools({"docker-registry", "htpasswd", "openssl"})
class SecretsTest {
  @TempDir Path tmp;

  @Test
  void noSecretInAnyOutput() throws Exception {
    try (SecretCases fixture = new SecretCases(tmp)) {
      int runs = 0;
      for (SecretCases.Case c : fixture.cases()) {
        Map<String, String> env = new HashMap<>(fixture.env());
        env.putAll(c.env());
        Run run = Run.runWith(env, c.args().toArray(new String[0]));
        SecretCases.check(c, run.code(), run.out(), run.err());
        runs++;
      }
      fixture.checkFiles();
      System.out.printf("[SecretsTest] %d command lines, %d secret forms looked for in each: none found%n",
          runs, SecretCases.forbidden().size());
    }
  }
}
