package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.UsageException;
import dev.bumper.secret.SecretMask;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GitHub App's private key in both PEM forms it comes in, and every way a key can be unusable:
 * each a usage error that says what is wrong and quotes none of the key.
 */
class GitHubAppKeyTest {
  private final SecretMask mask = new SecretMask();

  @Test
  void readsThePkcs1PemGitHubHandsOut() {
    String pem = GitHubAppKeys.pkcs1(GitHubAppKeys.app());
    assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    GitHubAppKey key = GitHubAppKey.parse(pem, "the key", mask);

    assertThat(key.bits()).isEqualTo(2048);
    assertSameKey(key, GitHubAppKeys.app());
  }

  @Test
  void readsPkcs8Pem() {
    String pem = GitHubAppKeys.pkcs8(GitHubAppKeys.app());
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");

    assertSameKey(GitHubAppKey.parse(pem, "the key", mask), GitHubAppKeys.app());
  }

  @Test
  void readsAKeyFileAndAKeyWhoseLineBreaksACiSecretTurnedIntoBackslashN(@TempDir Path dir)
      throws Exception {
    String pem = GitHubAppKeys.pkcs1(GitHubAppKeys.app());
    Path file = Files.writeString(dir.resolve("app.private-key.pem"), pem, UTF_8);
    assertSameKey(GitHubAppKey.read(file, mask), GitHubAppKeys.app());

    String oneLine = pem.strip().replace("\n", "\\n");
    assertSameKey(GitHubAppKey.parse(oneLine, "GITHUB_APP_PRIVATE_KEY", mask),
        GitHubAppKeys.app());
  }

  @Test
  void everyLineOfTheKeyIsMaskedOnceItIsRead() {
    String pem = GitHubAppKeys.pkcs8(GitHubAppKeys.app());
    GitHubAppKey key = GitHubAppKey.parse(pem, "the key", mask);

    for (String line : bodyLines(pem)) {
      if (line.length() >= 16) {
        assertThat(mask.mask("quoted: " + line + " end")).isEqualTo("quoted: *** end");
      }
    }
    assertThat(key.toString()).isEqualTo("GitHubAppKey[RSA 2048]");
  }

  @Test
  void aMissingFileIsAUsageError(@TempDir Path dir) {
    UsageException failure = catchThrowableOfType(UsageException.class,
        () -> GitHubAppKey.read(dir.resolve("missing.pem"), mask));
    assertThat(failure.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(failure).hasMessageContaining("missing.pem")
        .hasMessageContaining("no such file or directory");
  }

  @Test
  void garbageIsAUsageErrorThatDoesNotQuoteIt() {
    String garbage = "hunter2-this-is-not-a-key-but-a-password-pasted-by-mistake";

    UsageException failure = refused(garbage);

    assertThat(failure).hasMessage("GITHUB_APP_PRIVATE_KEY holds no PEM private key: GitHub's key"
        + " file begins with -----BEGIN RSA PRIVATE KEY-----");
    assertThat(failure.getMessage()).doesNotContain("hunter2");
  }

  @Test
  void aDamagedKeyIsAUsageErrorThatQuotesNoneOfIt() {
    String pem = GitHubAppKeys.pkcs1(GitHubAppKeys.app());
    List<String> lines = bodyLines(pem);
    // the second half of the key gone, as a paste cut short leaves it
    String cut = "-----BEGIN RSA PRIVATE KEY-----\n"
        + String.join("\n", lines.subList(0, lines.size() / 2))
        + "\n-----END RSA PRIVATE KEY-----\n";
    // a character base64 does not have, as a bad copy from a web page leaves it
    String bad = pem.replace(lines.get(3), lines.get(3).substring(0, 10) + "!"
        + lines.get(3).substring(11));

    for (String damaged : List.of(cut, bad)) {
      UsageException failure = refused(damaged);
      assertThat(failure.getMessage()).startsWith("GITHUB_APP_PRIVATE_KEY is not")
          .contains("damaged");
      assertQuotesNone(failure, damaged);
    }
  }

  @Test
  void anEncryptedKeyIsAUsageErrorThatSaysSo() throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(GitHubAppKeys.app().getPrivate(),
          new JcePEMEncryptorBuilder("AES-256-CBC")
              .setProvider(new BouncyCastleProvider()).build("passphrase".toCharArray()));
    }
    assertThat(text.toString()).contains("ENCRYPTED");

    UsageException failure = refused(text.toString());

    assertThat(failure.getMessage()).contains("is encrypted");
    assertQuotesNone(failure, text.toString());
  }

  @Test
  void aKeyOfAnotherAlgorithmIsAUsageError() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    String pem = GitHubAppKeys.pkcs8(generator.generateKeyPair());

    UsageException failure = refused(pem);

    assertThat(failure).hasMessage("GITHUB_APP_PRIVATE_KEY is not an RSA key but EC: a GitHub App"
        + " signs with RSA (RS256)");
  }

  @Test
  void aPublicKeyAloneIsNoPrivateKey() throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(GitHubAppKeys.app().getPublic());
    }
    assertThat(refused(text.toString()).getMessage()).contains("holds no PEM private key");
  }

  private UsageException refused(String pem) {
    UsageException failure = catchThrowableOfType(UsageException.class,
        () -> GitHubAppKey.parse(pem, "GITHUB_APP_PRIVATE_KEY", mask));
    assertThat(failure).as("a usage error").isNotNull();
    assertThat(failure.exitCode()).isEqualTo(ExitCode.USAGE);
    return failure;
  }

  /** No line of the key, nor any 12 characters of one, is in the message or its causes. */
  private static void assertQuotesNone(Throwable failure, String pem) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      for (String line : bodyLines(pem)) {
        for (int i = 0; i + 12 <= line.length(); i += 4) {
          assertThat(message).doesNotContain(line.substring(i, i + 12));
        }
      }
    }
  }

  private static List<String> bodyLines(String pem) {
    return Arrays.stream(pem.split("\\R"))
        .filter(line -> !line.isBlank() && !line.startsWith("-----") && !line.contains(":"))
        .toList();
  }

  private static void assertSameKey(GitHubAppKey key, KeyPair pair) {
    RSAPrivateCrtKey expected = (RSAPrivateCrtKey) pair.getPrivate();
    assertThat(key.privateKey().getModulus()).isEqualTo(expected.getModulus());
    assertThat(key.privateKey().getPrivateExponent()).isEqualTo(expected.getPrivateExponent());
  }
}
