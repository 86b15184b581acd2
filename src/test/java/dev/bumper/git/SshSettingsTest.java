package dev.bumper.git;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase.Configuration.StrictHostKeyChecking;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshSettingsTest {
  private static final String CONNECT = "[127.0.0.1]:2222";

  @TempDir Path home;
  private Path ssh;
  private InetSocketAddress remote;
  private PublicKey serverKey;
  private PublicKey otherKey;

  @BeforeEach
  void setUp() throws Exception {
    ssh = home.resolve(".ssh");
    remote = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 2222);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    serverKey = generator.generateKeyPair().getPublic();
    otherKey = generator.generateKeyPair().getPublic();
  }

  /** What the SSH config says: the most permissive setting, which bumper must not follow. */
  private static ServerKeyDatabase.Configuration config(StrictHostKeyChecking mode) {
    return new ServerKeyDatabase.Configuration() {
      @Override
      public List<String> getUserKnownHostsFiles() {
        return List.of();
      }

      @Override
      public List<String> getGlobalKnownHostsFiles() {
        return List.of();
      }

      @Override
      public StrictHostKeyChecking getStrictHostKeyChecking() {
        return mode;
      }

      @Override
      public boolean getHashKnownHosts() {
        return false;
      }

      @Override
      public String getUsername() {
        return "git";
      }
    };
  }

  private boolean accept(SshSettings settings, PublicKey key, StrictHostKeyChecking configured) {
    ServerKeyDatabase db = settings.serverKeyDatabase(ssh.toFile());
    return db.accept(CONNECT, remote, key, config(configured), null);
  }

  private void knownHosts(String text) throws Exception {
    Files.createDirectories(ssh);
    Files.writeString(ssh.resolve("known_hosts"), text, UTF_8);
  }

  private static String line(PublicKey key) {
    return CONNECT + " " + PublicKeyEntry.toString(key) + "\n";
  }

  @Test
  void unknownHostIsRefusedByDefaultWhateverTheSshConfigSays() {
    for (StrictHostKeyChecking configured : StrictHostKeyChecking.values()) {
      SshSettings settings = new SshSettings(home, false);
      assertThat(accept(settings, serverKey, configured)).as("%s", configured).isFalse();
      assertThat(settings.refusal()).contains(new SshSettings.Refusal(SshSettings.Reason.UNKNOWN, "127.0.0.1", 2222));
    }
    assertThat(ssh.resolve("known_hosts")).doesNotExist();
  }

  @Test
  void refusalMessages() {
    assertThat(new SshSettings.Refusal(SshSettings.Reason.UNKNOWN, "127.0.0.1", 2222).message())
        .isEqualTo("host key for 127.0.0.1:2222 is unknown; add it to ~/.ssh/known_hosts or pass --accept-new-host-keys");
    assertThat(new SshSettings.Refusal(SshSettings.Reason.CHANGED, "example.com", 22).message())
        .startsWith("host key for example.com:22 has CHANGED");
    assertThat(new SshSettings.Refusal(SshSettings.Reason.REVOKED, "example.com", 22).message())
        .startsWith("host key for example.com:22 is marked @revoked");
  }

  @Test
  void acceptNewRecordsTheKeyCreatingSshDirectory() throws Exception {
    SshSettings settings = new SshSettings(home, true);
    assertThat(accept(settings, serverKey, StrictHostKeyChecking.REQUIRE_MATCH)).isTrue();
    assertThat(settings.refusal()).isEmpty();
    String recorded = Files.readString(ssh.resolve("known_hosts"));
    assertThat(recorded).contains(CONNECT + " " + PublicKeyEntry.toString(serverKey));

    // later runs know the host without the flag
    assertThat(accept(new SshSettings(home, false), serverKey, StrictHostKeyChecking.ASK)).isTrue();
  }

  @Test
  void knownKeyIsAccepted() throws Exception {
    knownHosts(line(serverKey));
    SshSettings settings = new SshSettings(home, false);
    assertThat(accept(settings, serverKey, StrictHostKeyChecking.REQUIRE_MATCH)).isTrue();
    assertThat(settings.refusal()).isEmpty();
    assertThat(Files.readString(ssh.resolve("known_hosts"))).isEqualTo(line(serverKey));
  }

  @Test
  void changedKeyIsRefusedEvenWithAcceptNewOrAcceptAny() throws Exception {
    knownHosts(line(otherKey));
    for (StrictHostKeyChecking configured : StrictHostKeyChecking.values()) {
      for (boolean acceptNew : new boolean[] {false, true}) {
        SshSettings settings = new SshSettings(home, acceptNew);
        assertThat(accept(settings, serverKey, configured)).as("%s %s", configured, acceptNew).isFalse();
        assertThat(settings.refusal()).contains(new SshSettings.Refusal(SshSettings.Reason.CHANGED, "127.0.0.1", 2222));
      }
    }
    assertThat(Files.readString(ssh.resolve("known_hosts"))).isEqualTo(line(otherKey));
  }

  @Test
  void revokedKeyIsRefused() throws Exception {
    knownHosts("@revoked " + line(serverKey));
    SshSettings settings = new SshSettings(home, true);
    assertThat(accept(settings, serverKey, StrictHostKeyChecking.ACCEPT_ANY)).isFalse();
    assertThat(settings.refusal()).contains(new SshSettings.Refusal(SshSettings.Reason.REVOKED, "127.0.0.1", 2222));
  }

  @Test
  void homeComesFromTheEnvironmentThenUserHome() {
    assertThat(SshSettings.home(Map.of("HOME", home.toString()))).isEqualTo(home);
    assertThat(SshSettings.home(Map.of())).isEqualTo(Path.of(System.getProperty("user.home")));
    assertThat(SshSettings.home(Map.of("HOME", " "))).isEqualTo(Path.of(System.getProperty("user.home")));
    SshSettings settings = SshSettings.forEnvironment(Map.of("HOME", home.toString()), true);
    assertThat(settings.homeDirectory()).isEqualTo(home.toAbsolutePath().toFile());
    assertThat(settings.sshDirectory()).isEqualTo(new File(home.toAbsolutePath().toFile(), ".ssh"));
    assertThat(settings.acceptNewHostKeys()).isTrue();
  }

  @Test
  void configureSetsOneSessionFactoryOnSshTransportsOnly() throws Exception {
    try (InMemoryRepository repo = new InMemoryRepository(new DfsRepositoryDescription("t"));
        SshSettings settings = new SshSettings(home, false)) {
      try (Transport first = Transport.open(repo, new URIish("ssh://git@127.0.0.1:2222/repo.git"));
          Transport second = Transport.open(repo, new URIish("git@example.com:org/repo.git"))) {
        settings.configure(first);
        settings.configure(second);
        SshdSessionFactory factory = (SshdSessionFactory) ((SshTransport) first).getSshSessionFactory();
        assertThat(((SshTransport) second).getSshSessionFactory()).isSameAs(factory);
        assertThat(factory.getHomeDirectory()).isEqualTo(home.toAbsolutePath().toFile());
        assertThat(factory.getSshDirectory()).isEqualTo(ssh.toAbsolutePath().toFile());
      }
      try (Transport local = Transport.open(repo, new URIish("git://127.0.0.1/repo.git"))) {
        settings.configure(local); // not SSH: left alone
        assertThat(local).isNotInstanceOf(SshTransport.class);
      }
    }
  }
}
