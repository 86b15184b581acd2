package dev.bumper.git;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.internal.transport.sshd.OpenSshServerKeyDatabase;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * SSH for one command: JGit's Apache MINA SSH transport with the keys, {@code ~/.ssh/config} and
 * {@code ~/.ssh/known_hosts} of the home directory the command runs in, set on each
 * {@link SshTransport} through {@link TransportConfigCallback} (no global session factory).
 *
 * <p>Host keys are always checked against known_hosts, whatever {@code StrictHostKeyChecking}
 * says in the SSH config (a CI job has nobody to ask): a host not in known_hosts is refused,
 * unless {@code acceptNewHostKeys} is set, which accepts its key and records it in known_hosts
 * (OpenSSH's {@code accept-new}). A host whose key differs from the recorded one is always
 * refused, as is a key marked {@code @revoked}. Why a key was refused is kept, for a clear
 * message: {@link #refusal()}.
 *
 * <p>The session factory is built when the first SSH transport needs it and closed by
 * {@link #close()}.
 */
public final class SshSettings implements TransportConfigCallback, AutoCloseable {
  /** Why a server's host key was refused. */
  public enum Reason {
    UNKNOWN,
    CHANGED,
    REVOKED
  }

  /** A refused host key: the host as connected to, and why. */
  public record Refusal(Reason reason, String host, int port) {
    /** A message for the user; it names the host and port only. */
    public String message() {
      String where = host + ":" + port;
      return switch (reason) {
        case UNKNOWN ->
            "host key for " + where + " is unknown; add it to ~/.ssh/known_hosts or pass --accept-new-host-keys";
        case CHANGED ->
            "host key for " + where + " has CHANGED: it does not match the key in ~/.ssh/known_hosts"
                + " (possibly a man-in-the-middle attack); refused. If the server's key was really"
                + " replaced, remove the old entry (ssh-keygen -R) and add the new one";
        case REVOKED -> "host key for " + where + " is marked @revoked in ~/.ssh/known_hosts; refused";
      };
    }
  }

  private final File home;
  private final File sshDirectory;
  private final boolean acceptNewHostKeys;
  private volatile Refusal refusal;
  private SshdSessionFactory factory;

  public SshSettings(Path home, boolean acceptNewHostKeys) {
    this.home = home.toAbsolutePath().toFile();
    this.sshDirectory = new File(this.home, ".ssh");
    this.acceptNewHostKeys = acceptNewHostKeys;
  }

  /** Settings for the home directory of an environment: {@code HOME}, else {@code user.home}. */
  public static SshSettings forEnvironment(Map<String, String> env, boolean acceptNewHostKeys) {
    return new SshSettings(home(env), acceptNewHostKeys);
  }

  /** The home directory: {@code HOME} from the environment when set, else {@code user.home}. */
  public static Path home(Map<String, String> env) {
    String home = env.get("HOME");
    if (home == null || home.isBlank()) {
      home = System.getProperty("user.home");
    }
    return Path.of(home);
  }

  public File homeDirectory() {
    return home;
  }

  public File sshDirectory() {
    return sshDirectory;
  }

  public boolean acceptNewHostKeys() {
    return acceptNewHostKeys;
  }

  /** The last host key refused, if any. */
  public Optional<Refusal> refusal() {
    return Optional.ofNullable(refusal);
  }

  @Override
  public synchronized void configure(Transport transport) {
    if (transport instanceof SshTransport ssh) {
      if (factory == null) {
        factory = buildFactory();
      }
      ssh.setSshSessionFactory(factory);
    }
  }

  private SshdSessionFactory buildFactory() {
    return new SshdSessionFactoryBuilder()
        .setHomeDirectory(home)
        .setSshDirectory(sshDirectory)
        .setServerKeyDatabase((homeDir, sshDir) -> serverKeyDatabase(sshDir))
        .build(new JGitKeyCache());
  }

  /** The host key policy over known_hosts files in {@code sshDir}; package-private for tests. */
  ServerKeyDatabase serverKeyDatabase(File sshDir) {
    List<Path> files = List.of(sshDir.toPath().resolve("known_hosts"), sshDir.toPath().resolve("known_hosts2"));
    return new HostKeyPolicy(new OpenSshServerKeyDatabase(false, files), sshDir.toPath());
  }

  @Override
  public synchronized void close() {
    if (factory != null) {
      factory.close();
      factory = null;
    }
  }

  /**
   * OpenSSH's known_hosts handling (JGit's {@link OpenSshServerKeyDatabase}) with the check forced
   * to {@code yes}, or {@code accept-new} when new keys are accepted, and no one asked.
   */
  private final class HostKeyPolicy implements ServerKeyDatabase {
    private final ServerKeyDatabase delegate;
    private final Path sshDir;

    HostKeyPolicy(ServerKeyDatabase delegate, Path sshDir) {
      this.delegate = delegate;
      this.sshDir = sshDir;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
      return delegate.lookup(connectAddress, remoteAddress, forced(config));
    }

    @Override
    public boolean accept(
        String connectAddress,
        InetSocketAddress remoteAddress,
        PublicKey serverKey,
        Configuration config,
        CredentialsProvider provider) {
      Configuration forced = forced(config);
      if (acceptNewHostKeys) {
        ensureSshDirectory();
      }
      // No provider: nobody is asked anything, and nothing is shown through it.
      if (delegate.accept(connectAddress, remoteAddress, serverKey, forced, null)) {
        return true;
      }
      // lookup() leaves out @revoked entries: those are looked for separately
      Reason reason =
          revoked(connectAddress, remoteAddress, serverKey, forced)
              ? Reason.REVOKED
              : delegate.lookup(connectAddress, remoteAddress, forced).isEmpty() ? Reason.UNKNOWN : Reason.CHANGED;
      refusal = new Refusal(reason, remoteAddress.getHostString(), remoteAddress.getPort());
      return false;
    }

    /** Whether a known_hosts file marks this very key {@code @revoked} for the host. */
    private boolean revoked(
        String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey, Configuration config) {
      List<String> userFiles = config.getUserKnownHostsFiles();
      List<Path> files =
          userFiles == null || userFiles.isEmpty()
              ? List.of(sshDir.resolve("known_hosts"), sshDir.resolve("known_hosts2"))
              : userFiles.stream().map(Path::of).toList();
      for (Path file : files) {
        if (!Files.isRegularFile(file)) {
          continue;
        }
        List<KnownHostEntry> entries;
        try {
          entries = KnownHostEntry.readKnownHostEntries(file);
        } catch (IOException | RuntimeException e) {
          continue;
        }
        for (KnownHostEntry entry : entries) {
          if (!"revoked".equals(entry.getMarker()) || entry.getKeyEntry() == null) {
            continue;
          }
          boolean hostMatches =
              entry.isHostMatch(remoteAddress.getHostString(), remoteAddress.getPort())
                  || matchesConnectAddress(entry, connectAddress);
          if (!hostMatches) {
            continue;
          }
          try {
            PublicKey key = entry.getKeyEntry().resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
            if (key != null && KeyUtils.compareKeys(key, serverKey)) {
              return true;
            }
          } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // an unreadable line revokes nothing
          }
        }
      }
      return false;
    }

    /** {@code [host]:port} or {@code host}, as JGit gives the address it connected to. */
    private static boolean matchesConnectAddress(KnownHostEntry entry, String connectAddress) {
      if (connectAddress == null || connectAddress.isEmpty()) {
        return false;
      }
      String host = connectAddress;
      int port = 22;
      if (connectAddress.startsWith("[")) {
        int end = connectAddress.indexOf(']');
        if (end <= 1) {
          return false;
        }
        host = connectAddress.substring(1, end);
        if (connectAddress.startsWith("]:", end)) {
          try {
            port = Integer.parseInt(connectAddress.substring(end + 2));
          } catch (NumberFormatException e) {
            return false;
          }
        }
      }
      return entry.isHostMatch(host, port);
    }

    private Configuration forced(Configuration config) {
      Configuration.StrictHostKeyChecking mode =
          acceptNewHostKeys
              ? Configuration.StrictHostKeyChecking.ACCEPT_NEW
              : Configuration.StrictHostKeyChecking.REQUIRE_MATCH;
      return new Configuration() {
        @Override
        public List<String> getUserKnownHostsFiles() {
          return config.getUserKnownHostsFiles();
        }

        @Override
        public List<String> getGlobalKnownHostsFiles() {
          return config.getGlobalKnownHostsFiles();
        }

        @Override
        public Configuration.StrictHostKeyChecking getStrictHostKeyChecking() {
          return mode;
        }

        @Override
        public boolean getHashKnownHosts() {
          return config.getHashKnownHosts();
        }

        @Override
        public String getUsername() {
          return config.getUsername();
        }
      };
    }

    /** known_hosts can only be written in an existing directory; ssh(1) creates ~/.ssh too. */
    private void ensureSshDirectory() {
      if (Files.isDirectory(sshDir)) {
        return;
      }
      try {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
          Files.createDirectories(
              sshDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(sshDir);
        }
      } catch (IOException e) {
        // the key is then accepted for this connection only
      }
    }
  }
}
