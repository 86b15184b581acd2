package dev.bumper.provider;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * RSA keys as a GitHub App's are: 2048 bits, made in the test rather than checked in, written as
 * the PKCS#1 PEM GitHub hands out and as the PKCS#8 PEM {@code openssl pkcs8 -topk8} makes of it.
 */
public final class GitHubAppKeys {
  private static KeyPair app;
  private static KeyPair other;

  private GitHubAppKeys() {}

  /** The app's key pair, one for the JVM: making one takes a noticeable fraction of a second. */
  public static synchronized KeyPair app() {
    if (app == null) {
      app = generate();
    }
    return app;
  }

  /** Another key pair: a key that is not the app's. */
  static synchronized KeyPair other() {
    if (other == null) {
      other = generate();
    }
    return other;
  }

  static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code -----BEGIN RSA PRIVATE KEY-----}, as GitHub's download is. */
  public static String pkcs1(KeyPair pair) {
    return pem(pair.getPrivate());
  }

  /** {@code -----BEGIN PRIVATE KEY-----}. */
  public static String pkcs8(KeyPair pair) {
    try {
      return pem(new JcaPKCS8Generator(pair.getPrivate(), null));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
