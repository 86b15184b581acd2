package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bumper.failure.UsageException;
import dev.bumper.io.IoErrors;
import dev.bumper.secret.SecretMask;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A GitHub App's private key, read from the PEM file GitHub hands out ({@code BEGIN RSA PRIVATE
 * KEY}, PKCS#1) or the same key converted to PKCS#8 ({@code BEGIN PRIVATE KEY}). A key that
 * cannot be used is a usage error whose message says why in general terms: BouncyCastle's own
 * messages are not passed on, since a parser may quote what it could not read.
 */
public final class GitHubAppKey {
  private final RSAPrivateKey key;

  private GitHubAppKey(RSAPrivateKey key) {
    this.key = key;
  }

  /**
   * The key in the PEM file at {@code path}; its base64 lines are added to {@code mask} so that
   * no part of the key is ever printed, whatever quotes it.
   */
  public static GitHubAppKey read(Path path, SecretMask mask) {
    String text;
    try {
      text = Files.readString(path, UTF_8);
    } catch (IOException e) {
      throw new UsageException("the GitHub App's private key " + IoErrors.describe(e));
    }
    return parse(text, "the GitHub App's private key " + path, mask);
  }

  /**
   * The key in {@code pem}, the text of the PEM file (as a CI secret holds it); {@code what}
   * names where it came from in a failure ({@code "GITHUB_APP_PRIVATE_KEY"}), never the text.
   */
  public static GitHubAppKey parse(String pem, String what, SecretMask mask) {
    // A CI secret pasted into one line keeps its line breaks as the two characters \n.
    String text = pem.indexOf('\n') < 0 ? pem.replace("\\n", "\n") : pem;
    maskBody(text, mask);
    Object found;
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      found = firstKey(parser);
    } catch (IOException | RuntimeException e) {
      // RuntimeException: BouncyCastle's ASN.1 decoder throws unchecked exceptions on bad DER.
      throw new UsageException(what + " is not a readable PEM private key: its base64 or its"
          + " ASN.1 structure is damaged");
    }
    if (found == null) {
      throw new UsageException(what + " holds no PEM private key: GitHub's key file begins"
          + " with -----BEGIN RSA PRIVATE KEY-----");
    }
    if (found instanceof PEMEncryptedKeyPair || found instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new UsageException(what + " is encrypted: GitHub's key is not; give the key as GitHub"
          + " generated it (openssl rsa -in KEY -out PLAIN decrypts it)");
    }
    PrivateKey key;
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      key = found instanceof PEMKeyPair pair
          ? converter.getKeyPair(pair).getPrivate()
          : converter.getPrivateKey((PrivateKeyInfo) found);
    } catch (IOException | RuntimeException e) {
      throw new UsageException(what + " is not a usable private key: its structure is damaged or"
          + " its algorithm unknown");
    }
    if (!(key instanceof RSAPrivateKey rsa)) {
      throw new UsageException(what + " is not an RSA key but " + key.getAlgorithm()
          + ": a GitHub App signs with RSA (RS256)");
    }
    return new GitHubAppKey(rsa);
  }

  /** The first private key, encrypted or not, skipping what else a PEM file may hold. */
  private static Object firstKey(PEMParser parser) throws IOException {
    for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
      if (object instanceof PEMKeyPair || object instanceof PrivateKeyInfo
          || object instanceof PEMEncryptedKeyPair
          || object instanceof PKCS8EncryptedPrivateKeyInfo) {
        return object;
      }
    }
    return null;
  }

  /**
   * Adds each line between the PEM markers: a message that quotes the key quotes lines. A short
   * last line is left out, since masking a few characters would garble ordinary words.
   */
  private static void maskBody(String text, SecretMask mask) {
    for (String line : text.split("\\R")) {
      String body = line.strip();
      if (body.length() >= 16 && !body.startsWith("-----") && !body.contains(":")) {
        mask.add(body);
      }
    }
  }

  RSAPrivateKey privateKey() {
    return key;
  }

  /** The size in bits, which says which key this is without showing any of it. */
  public int bits() {
    return key.getModulus().bitLength();
  }

  @Override
  public String toString() {
    return "GitHubAppKey[RSA " + bits() + "]";
  }
}
