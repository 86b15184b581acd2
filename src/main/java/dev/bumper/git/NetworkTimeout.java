package dev.bumper.git;

import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.Transport;

/**
 * A bound on how long a git connection may wait for the other side, set on every transport
 * before the settings it wraps. JGit waits forever by default: a server that accepts the
 * connection and never answers (a TLS port that speaks plain HTTP, a hung proxy) would hold a CI
 * job until the CI system kills it, with no message.
 */
public final class NetworkTimeout implements TransportConfigCallback {
  private final int seconds;
  private final TransportConfigCallback next;

  /** @param seconds the timeout; 0 waits forever, as git does */
  public NetworkTimeout(int seconds, TransportConfigCallback next) {
    this.seconds = seconds;
    this.next = next;
  }

  @Override
  public void configure(Transport transport) {
    if (seconds > 0) {
      transport.setTimeout(seconds);
    }
    if (next != null) {
      next.configure(transport);
    }
  }
}
