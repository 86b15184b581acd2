package dev.bumper.secret;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskTest {
  private static final String TOKEN = "ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1";

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
  }

  @Test
  void aTextShownAsAnotherReadsAsItAndItsSecretsAreStillMasked() {
    SecretMask mask = new SecretMask();
    mask.add("s3cr3t-t0ken-value");
    mask.show("https://ci:s3cr3t-t0ken-value@git.example.com/config.git", "https://ci:***@git.example.com/config.git");

    assertThat(mask.mask("fetch from https://ci:s3cr3t-t0ken-value@git.example.com/config.git failed"))
        .isEqualTo("fetch from https://ci:***@git.example.com/config.git failed");
    assertThat(mask.mask("token s3cr3t-t0ken-value elsewhere")).isEqualTo("token *** elsewhere");
    assertThat(mask.mask(null)).isNull();
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
  void anyNameHoldingASecretWordInAnyCaseAndAUrlAfterAnotherAreMasked() {
    SecretMask mask =
        SecretMask.of(
            Map.of("deploy_api_key", "k3y-0123456789",
                "Registry_Passphrase", "correct-horse-battery",
                "MIRRORS", "see https://mirror.example.com then"
                    + " https://bot:b0t-s3cret@git.example.com/c.git"),
            new String[0]);

    assertThat(mask.mask("k3y-0123456789 correct-horse-battery b0t-s3cret"))
        .isEqualTo("*** *** ***");
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

  /** A secret with characters every encoding treats differently: / + = " space ~ * and non-ASCII. */
  private static final String ODD = "s3cr3t/T0k+en= \"Z9~yX*8ü";

  private static SecretMask oddMask() {
    return SecretMask.of(Map.of("GIT_TOKEN", ODD, "GIT_USERNAME", "deployer"), new String[0]);
  }

  @Test
  void masksEveryEncodingOfASecret() {
    SecretMask mask = oddMask();
    String rfc3986 = "s3cr3t%2FT0k%2Ben%3D%20%22Z9~yX%2A8%C3%BC";
    String form = "s3cr3t%2FT0k%2Ben%3D+%22Z9%7EyX*8%C3%BC";
    for (String printed : new String[] {
        ODD, rfc3986, "s3cr3t%2fT0k%2ben%3d%20%22Z9~yX%2a8%c3%bc", form, "s3cr3t%2fT0k%2ben%3d+%22Z9%7eyX*8%c3%bc",
        "s3cr3t/T0k+en= \\\"Z9~yX*8ü", "s3cr3t\\/T0k+en= \\\"Z9~yX*8\\u00fc",
        b64(ODD), b64("deployer:" + ODD), b64("x-access-token:" + ODD)}) {
      assertThat(mask.mask("refused: " + printed + " (policy)")).as(printed).isEqualTo("refused: *** (policy)");
    }
  }

  @Test
  void masksAPartOfEightOrMoreAtALineBreakOrAtTheEndOfTheText() {
    SecretMask mask = SecretMask.of(Map.of("GIT_TOKEN", TOKEN), new String[0]);

    assertThat(mask.mask("remote: token " + TOKEN.substring(0, 12) + "\nremote: " + TOKEN.substring(12) + " refused\n"))
        .isEqualTo("remote: token ***\nremote: *** refused\n");
    assertThat(mask.mask("error: \"" + TOKEN.substring(0, 9) + "\"\n  " + TOKEN.substring(9) + ".\n"))
        .isEqualTo("error: \"***\"\n  ***.\n");
    assertThat(mask.mask("DENIED: bad password " + TOKEN.substring(0, 20) + "..."))
        .isEqualTo("DENIED: bad password ***...");
    // shorter parts, and parts that are not at a line break, are ordinary text
    assertThat(mask.mask("id " + TOKEN.substring(0, 7) + "\n" + TOKEN.substring(0, 10) + " is not at the end"))
        .isEqualTo("id " + TOKEN.substring(0, 7) + "\n" + TOKEN.substring(0, 10) + " is not at the end");
    assertThat(mask.mask("password: correct horse battery staple\n")).isEqualTo("password: correct horse battery staple\n");
  }

  @Test
  void thePasswordOfAUrlIsMaskedAsItIsSentDecodedInABasicHeader() {
    SecretMask mask =
        SecretMask.of(Map.of(), new String[] {"--repo", "https://deploy%2Bbot:p%40ss%2Fw0rd@git.example.com/c.git"});

    assertThat(mask.mask("Basic " + b64("deploy+bot:p@ss/w0rd"))).isEqualTo("Basic ***");
    assertThat(mask.mask("echo p@ss/w0rd")).isEqualTo("echo ***");
    assertThat(mask.mask("echo p%40ss%2Fw0rd")).isEqualTo("echo ***");
  }

  @Test
  void secretsAndUsersLearnedAtRunTimeAreMaskedFromThenOn() {
    SecretMask mask = new SecretMask();
    assertThat(mask.isEmpty()).isTrue();
    assertThat(mask.mask("nothing to mask")).isEqualTo("nothing to mask");

    mask.add("token");
    mask.add("token-and-more");
    mask.add("abc"); // too short to mask safely
    mask.add(null);
    mask.addUser("robot");
    assertThat(mask.mask("a token-and-more, a token, abc")).isEqualTo("a ***, a ***, abc");
    assertThat(mask.mask("Basic " + b64("robot:token-and-more"))).isEqualTo("Basic ***");
    assertThat(mask.mask(null)).isNull();
  }

  @Test
  void aLongOutputWithoutSecretsIsPassedOnAsItIs() {
    SecretMask mask = SecretMask.of(Map.of("GIT_TOKEN", TOKEN), new String[0]);
    String diff = "+        image: ghcr.io/acme/web:1.4.2\n".repeat(10_000);

    assertThat(mask.mask(diff)).isSameAs(diff);
  }
}
