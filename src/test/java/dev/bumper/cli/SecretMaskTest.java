package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskTest {
  private static final String TOKEN = "ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1";

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
  }

  @Test
  void masksCredentialVariablesInEveryPrintedForm() {
    SecretMask mask = SecretMask.of(Map.of("GIT_TOKEN", TOKEN, "GIT_USERNAME", "deployer"), new String[0]);

    assertThat(mask.mask("token " + TOKEN + " refused")).isEqualTo("token *** refused");
    assertThat(mask.mask("Authorization: Basic " + b64("deployer:" + TOKEN))).isEqualTo("Authorization: Basic ***");
    assertThat(mask.mask(b64("x-access-token:" + TOKEN))).isEqualTo("***");
    assertThat(mask.mask(b64(TOKEN))).isEqualTo("***");
    assertThat(mask.mask("deployer pushed to main")).isEqualTo("deployer pushed to main");
  }

  @Test
  void masksCredentialsInUrlsOfArgumentsAndEnvironment() {
    SecretMask mask =
        SecretMask.of(
            Map.of("SEMAPHORE_GIT_URL", "https://ci:s3cr3t-pass@git.example.com/acme/app.git"),
            new String[] {"--repo=https://oauth2:p%40ss-w0rd@gitlab.example.com/c.git", "https://" + TOKEN + "@github.com/a/b"});

    assertThat(mask.mask("https://ci:s3cr3t-pass@git.example.com")).isEqualTo("https://ci:***@git.example.com");
    assertThat(mask.mask("fatal: p%40ss-w0rd")).isEqualTo("fatal: ***");
    assertThat(mask.mask("https://" + TOKEN + "@github.com/a/b")).isEqualTo("https://***@github.com/a/b");
    assertThat(mask.mask(b64("oauth2:p%40ss-w0rd"))).isEqualTo("***");
  }

  @Test
  void variablesNamedLikeSecretsAreSecretsAndShortOrdinaryValuesAreNot() {
    SecretMask mask =
        SecretMask.of(
            Map.of("NPM_TOKEN", "npm_0123456789", "AWS_SECRET_ACCESS_KEY", "abc", "HOME", "/home/runner",
                "GIT_PASSWORD", "hunter2"),
            new String[] {"ssh://git@github.com/acme/config.git"});

    assertThat(mask.mask("npm_0123456789 /home/runner abc hunter2 git@github.com"))
        .isEqualTo("*** /home/runner abc *** git@github.com");
  }

  @Test
  void theWriterMasksASecretWrittenInPieces() {
    SecretMask mask = SecretMask.of(Map.of("GIT_TOKEN", TOKEN), new String[0]);
    StringWriter sink = new StringWriter();
    PrintWriter out = new PrintWriter(new MaskingWriter(sink, mask), true);

    out.print("remote: ");
    out.print(TOKEN.substring(0, 10));
    out.print(TOKEN.substring(10));
    out.println(" is not valid");
    out.print("no newline " + TOKEN);
    out.flush();

    assertThat(sink.toString()).isEqualTo("remote: *** is not valid" + System.lineSeparator() + "no newline ***");
  }

  @Test
  void aRunMasksWhatPicocliEchoes() {
    Run run = Run.run("commit-push", "--attempts=https://user:" + TOKEN + "@example.com/x.git");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Invalid value for option '--attempts'").contains("https://user:***@example.com")
        .doesNotContain(TOKEN);
  }
}
