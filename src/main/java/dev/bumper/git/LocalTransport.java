package dev.bumper.git;

import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.Transport;

/**
 * How a repository on this machine is served: by git's own upload-pack and receive-pack when the
 * machine has them, as {@code git clone} and {@code git push} would.
 *
 * <p>JGit would otherwise serve both in-process: its upload-pack recomputes deltas for the whole
 * shallow tree in Java, which dominated a bump of a 20,000-file repository, and its receive-pack
 * runs none of the repository's hooks, so a {@code pre-receive} that refuses a push would be
 * silently skipped. Elsewhere the server does both, and nothing changes.
 */
final class LocalTransport {
  private LocalTransport() {}

  static void configure(Transport transport, TransportConfigCallback others) {
    if (others != null) {
      others.configure(transport);
    }
    String scheme = transport.getURI().getScheme();
    if ((scheme == null || scheme.equals("file")) && transport.getURI().getHost() == null) {
      String uploadPack = GitExecutables.find("git-upload-pack");
      if (uploadPack != null) {
        transport.setOptionUploadPack(uploadPack);
      }
      String receivePack = GitExecutables.find("git-receive-pack");
      if (receivePack != null) {
        transport.setOptionReceivePack(receivePack);
      }
    }
  }
}
