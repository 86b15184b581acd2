package dev.bumper.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.jgit.api.errors.CanceledException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.api.errors.UnsupportedSigningFormatException;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.lib.Signers;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;

/**
 * Signs the commits bumper makes, as {@code git commit -S} does: with an OpenPGP key from GnuPG's
 * keyring (JGit's BouncyCastle signer, and the gpg program for keys JGit cannot sign with so that
 * GnuPG verifies, such as ed25519 ones), or with an SSH key file.
 *
 * <p>What git's configuration says applies where bumper is not told otherwise: {@code gpg.format}
 * and {@code user.signingKey} of the repository (and the user's global configuration), and for
 * OpenPGP the committer's email to find a key by. A key protected by a passphrase is opened with
 * the one given; none given, signing fails with a message saying so.
 */
public final class CommitSigner {
  /** The formats bumper signs with, by their {@code gpg.format} names. */
  public enum Format {
    OPENPGP(GpgConfig.GpgFormat.OPENPGP),
    SSH(GpgConfig.GpgFormat.SSH);

    private final GpgConfig.GpgFormat jgit;

    Format(GpgConfig.GpgFormat jgit) {
      this.jgit = jgit;
    }

    /** The format named as git's {@code gpg.format} names it. */
    public static Format parse(String name) {
      for (Format format : values()) {
        if (format.jgit.toConfigValue().equalsIgnoreCase(name)) {
          return format;
        }
      }
      throw new IllegalArgumentException("unknown signing format '" + name + "': give openpgp or ssh");
    }
  }

  private final Format format;
  private final String key;
  private final String passphrase;
  private final java.nio.file.Path gnupgHome;

  /**
   * @param format the format, or null for {@code gpg.format} (default openpgp)
   * @param key the key, or null for {@code user.signingKey} (OpenPGP: then the committer's key)
   * @param passphrase the key's passphrase, or null when it has none
   * @param gnupgHome GnuPG's home ({@code GNUPGHOME} or {@code ~/.gnupg}), whose keyring an
   *     OpenPGP signature is checked against; null: not checked
   */
  public CommitSigner(Format format, String key, String passphrase, java.nio.file.Path gnupgHome) {
    this.format = format;
    this.key = key;
    this.passphrase = passphrase;
    this.gnupgHome = gnupgHome;
  }

  /**
   * Signs {@code commit}, whose content (tree, parents, author, committer, message) is final.
   *
   * @throws IOException naming the format and the reason when it cannot be signed
   */
  public void sign(Repository repo, CommitBuilder commit) throws IOException {
    Config config = new Config(repo.getConfig());
    if (format != null) {
      config.setString("gpg", null, "format", format.jgit.toConfigValue());
    }
    GpgConfig gpg = new GpgConfig(config);
    GpgConfig.GpgFormat used = gpg.getKeyFormat();
    String name = used.toConfigValue();
    if (used == GpgConfig.GpgFormat.X509) {
      throw new IOException("cannot sign the commit: gpg.format x509 is not supported; give --signing-format openpgp or ssh");
    }
    if (used == GpgConfig.GpgFormat.OPENPGP && Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      // GnuPG 2.2+ protects secret keys with AES-OCB, a cipher only BouncyCastle's provider has;
      // JGit 7.4's signer reads the key before it registers that provider, and fails.
      Security.addProvider(new BouncyCastleProvider());
    }
    Signer signer = Signers.get(used);
    if (signer == null) {
      throw new IOException("cannot sign the commit: no " + name + " signer available");
    }
    try {
      signer.signObject(repo, gpg, commit, commit.getCommitter(), key, new Passphrase(passphrase));
    } catch (CanceledException e) {
      throw new IOException("cannot sign the commit with the " + name + " key: it needs a passphrase"
          + (passphrase == null ? "; set BUMPER_SIGNING_PASSPHRASE" : ", and the one given does not open it"), e);
    } catch (UnsupportedSigningFormatException | UnsupportedCredentialItem | IOException
        | JGitInternalException | IllegalArgumentException e) {
      throw new IOException("cannot sign the commit with the " + name + " key"
          + (key == null ? "" : " " + key) + ": " + reason(e), e);
    } catch (RuntimeException e) {
      IOException unreadable = new IOException("cannot sign the commit with the " + name + " key"
          + (key == null ? "" : " " + key) + ": " + unreadable(e), e);
      if (used != GpgConfig.GpgFormat.OPENPGP) {
        throw unreadable;
      }
      // a key file BouncyCastle cannot parse is still one GnuPG can use
      signWithGpgProgram(gpg, commit, unreadable);
    }
    if (used == GpgConfig.GpgFormat.OPENPGP && gnupgHome != null) {
      try {
        checkOpenPgp(commit);
      } catch (IOException notVerified) {
        // JGit signs an ed25519 key under a fingerprint GnuPG does not know: gpg signs as git would
        signWithGpgProgram(gpg, commit, notVerified);
        checkOpenPgp(commit);
      }
    }
  }

  /**
   * Signs {@code commit} again with the gpg program, as git does, after JGit's signer failed as
   * {@code failure} says; when gpg cannot either, both reasons are given.
   */
  private void signWithGpgProgram(GpgConfig gpg, CommitBuilder commit, IOException failure) throws IOException {
    commit.setGpgSignature(null);
    byte[] payload = commit.build();
    String user = key != null ? key : "<" + commit.getCommitter().getEmailAddress() + ">";
    try {
      commit.setGpgSignature(new GpgSignature(new GpgProgram(gpg.getProgram()).sign(payload, user, passphrase)));
    } catch (IOException e) {
      throw new IOException(failure.getMessage() + "; signing with " + (gpg.getProgram() == null ? "gpg" : gpg.getProgram())
          + " instead failed too: " + e.getMessage(), e);
    }
  }

  /**
   * Checks an OpenPGP signature as {@code git verify-commit} will, against GnuPG's own keyring.
   * JGit 7.4 signs with an Ed25519 key under a fingerprint that GnuPG does not know (it rebuilds
   * the key without its creation time), so that signature never verifies, and the gpg program
   * signs instead; a commit that claims a signature it does not have must not be pushed.
   */
  private void checkOpenPgp(CommitBuilder commit) throws IOException {
    GpgSignature signature = commit.getGpgSignature();
    commit.setGpgSignature(null);
    byte[] signed = commit.build();
    commit.setGpgSignature(signature);
    try {
      OpenPgpKeyring.read(gnupgHome).verify(signed, signature.toExternalString().getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new IOException("cannot sign the commit: the OpenPGP signature is not one GnuPG verifies: " + e.getMessage(), e);
    }
  }

  /**
   * Why a key could not be read. GnuPG writes a value of a protected key as quoted text when its
   * bytes happen to be mostly printable (the cipher's random IV, for about one key in twenty);
   * BouncyCastle's parser expects bytes there and fails with a ClassCastException.
   */
  private static String unreadable(RuntimeException e) {
    StackTraceElement[] at = e.getStackTrace();
    if (e instanceof ClassCastException && at.length > 0 && at[0].getClassName().startsWith("org.bouncycastle.gpg.")) {
      return "BouncyCastle cannot read the key file GnuPG wrote (a value in it is written as text);"
          + " set the passphrase again (gpg --passwd KEY) to have it written anew";
    }
    return "the key cannot be read (" + reason(e) + ")";
  }

  private static String reason(Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getMessage() != null
        && cause.getMessage().equals(cause.getCause().getMessage())) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  /** Answers a signer's passphrase prompt with the passphrase given, and nothing else. */
  private static final class Passphrase extends CredentialsProvider {
    private final String passphrase;

    Passphrase(String passphrase) {
      this.passphrase = passphrase;
    }

    @Override
    public boolean isInteractive() {
      return false;
    }

    @Override
    public boolean supports(CredentialItem... items) {
      for (CredentialItem item : items) {
        if (!(item instanceof CredentialItem.Password) && !(item instanceof CredentialItem.InformationalMessage)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean get(URIish uri, CredentialItem... items) {
      if (passphrase == null) {
        return false;
      }
      for (CredentialItem item : items) {
        if (item instanceof CredentialItem.Password password) {
          password.setValue(passphrase.toCharArray());
        } else if (!(item instanceof CredentialItem.InformationalMessage)) {
          return false;
        }
      }
      return true;
    }
  }
}
