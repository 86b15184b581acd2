package dev.bumper.cli;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** TLS for servers on loopback: self-signed certificates made with openssl, as a test's own CA. */
final class LoopbackTls {
  private static final char[] STORE_PASSWORD = "changeit".toCharArray();

  private LoopbackTls() {}

  /** Makes an RSA key and a certificate for {@code cn}, signed by itself, at {@code key} and {@code cert}. */
  static void selfSigned(Path dir, Path key, Path cert, String cn) throws Exception {
    TestProcesses.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
        "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + cn);
  }

  /** An HTTPS server on a free loopback port, serving with {@code key} and {@code cert}; not started. */
  static HttpsServer server(Path dir, Path key, Path cert) throws Exception {
    Path keystore = dir.resolve(cert.getFileName() + ".p12");
    TestProcesses.run(dir, "openssl", "pkcs12", "-export", "-inkey", key.toString(), "-in", cert.toString(),
        "-out", keystore.toString(), "-passout", "pass:" + new String(STORE_PASSWORD), "-name", "server");
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, STORE_PASSWORD);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, STORE_PASSWORD);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(tls));
    return https;
  }
}
