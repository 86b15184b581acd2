package dev.bumper.git;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.gpg.keybox.KeyBlob;
import org.bouncycastle.gpg.keybox.PublicKeyRingBlob;
import org.bouncycastle.gpg.keybox.jcajce.JcaKeyBoxBuilder;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * The public keys of a GnuPG home ({@code pubring.kbx}, or {@code pubring.gpg}), to check a
 * signature the way {@code git verify-commit} will: by the key its issuer names, as GnuPG has it.
 */
final class OpenPgpKeyring {
  private final List<PGPPublicKey> keys;

  private OpenPgpKeyring(List<PGPPublicKey> keys) {
    this.keys = keys;
  }

  /** Reads the public keys of {@code home}; none when it has no keyring. */
  static OpenPgpKeyring read(Path home) throws IOException {
    List<PGPPublicKey> keys = new ArrayList<>();
    try {
      Path keybox = home.resolve("pubring.kbx");
      if (Files.isRegularFile(keybox)) {
        for (KeyBlob blob : new JcaKeyBoxBuilder().build(Files.readAllBytes(keybox)).getKeyBlobs()) {
          if (blob instanceof PublicKeyRingBlob ring) {
            ring.getPGPPublicKeyRing().getPublicKeys().forEachRemaining(keys::add);
          }
        }
      }
      Path legacy = home.resolve("pubring.gpg");
      if (Files.isRegularFile(legacy)) {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(legacy))) {
          for (PGPPublicKeyRing ring : new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator())) {
            ring.getPublicKeys().forEachRemaining(keys::add);
          }
        }
      }
    } catch (GeneralSecurityException | PGPException e) {
      throw new IOException("cannot read the OpenPGP keyring in " + home + ": " + e.getMessage(), e);
    }
    return new OpenPgpKeyring(keys);
  }

  /**
   * Whether {@code armored} is a valid signature of {@code data} by a key of this keyring.
   *
   * @throws IOException saying why not
   */
  void verify(byte[] data, byte[] armored) throws IOException {
    PGPSignature signature = signature(armored);
    IssuerFingerprint issuer = signature.getHashedSubPackets() == null
        ? null : signature.getHashedSubPackets().getIssuerFingerprint();
    PGPPublicKey key = null;
    for (PGPPublicKey candidate : keys) {
      boolean match = issuer != null
          ? java.util.Arrays.equals(candidate.getFingerprint(), issuer.getFingerprint())
          : candidate.getKeyID() == signature.getKeyID();
      if (match) {
        key = candidate;
        break;
      }
    }
    String named = issuer != null
        ? org.bouncycastle.util.encoders.Hex.toHexString(issuer.getFingerprint()).toUpperCase(java.util.Locale.ROOT)
        : Long.toHexString(signature.getKeyID()).toUpperCase(java.util.Locale.ROOT);
    if (key == null) {
      throw new IOException("it names the key " + named + ", which is not in GnuPG's keyring");
    }
    try {
      signature.init(new JcaPGPContentVerifierBuilderProvider(), key);
      signature.update(data);
      if (!signature.verify()) {
        throw new IOException("it does not verify with the key " + named);
      }
    } catch (PGPException e) {
      throw new IOException("it cannot be checked with the key " + named + ": " + e.getMessage(), e);
    }
  }

  private static PGPSignature signature(byte[] armored) throws IOException {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      Object object = new JcaPGPObjectFactory(in).nextObject();
      if (object instanceof PGPSignatureList list && !list.isEmpty()) {
        return list.get(0);
      }
    }
    throw new IOException("it is not an OpenPGP signature");
  }
}
