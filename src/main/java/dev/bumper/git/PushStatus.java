package dev.bumper.git;

import java.util.Locale;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * Reads a push's outcome. JGit's PushCommand does not throw when the remote refuses an update;
 * the verdict is in each {@link RemoteRefUpdate}'s status, so every one is checked here.
 */
final class PushStatus {
  enum Verdict {
    /** The update landed (or the remote already had it). */
    OK,
    /** Someone else pushed first: fetch the new tip and try again. */
    RETRY,
    /** Refused for a reason retrying cannot fix: a hook, a protected branch, permissions. */
    FATAL
  }

  private final Verdict verdict;
  private final String message;

  private PushStatus(Verdict verdict, String message) {
    this.verdict = verdict;
    this.message = message;
  }

  static PushStatus of(Iterable<PushResult> results) {
    PushStatus worst = new PushStatus(Verdict.OK, "");
    boolean any = false;
    for (PushResult result : results) {
      for (RemoteRefUpdate update : result.getRemoteUpdates()) {
        any = true;
        PushStatus status = of(update, result.getMessages());
        if (status.verdict.ordinal() > worst.verdict.ordinal()) {
          worst = status;
        }
      }
    }
    return any ? worst : new PushStatus(Verdict.FATAL, "the remote reported no ref update");
  }

  static PushStatus of(RemoteRefUpdate update, String serverMessages) {
    String detail = update.getMessage() == null ? "" : update.getMessage();
    String text = (detail + " " + (serverMessages == null ? "" : serverMessages)).trim();
    switch (update.getStatus()) {
      case OK:
      case UP_TO_DATE:
        return new PushStatus(Verdict.OK, "");
      case REJECTED_NONFASTFORWARD:
      case REJECTED_REMOTE_CHANGED:
        return new PushStatus(Verdict.RETRY, "the remote branch moved");
      case REJECTED_OTHER_REASON:
        return new PushStatus(raced(detail) ? Verdict.RETRY : Verdict.FATAL, text);
      default:
        return new PushStatus(Verdict.FATAL, update.getStatus() + (text.isEmpty() ? "" : ": " + text));
    }
  }

  /** Server texts for "someone updated the ref between our read and our write". */
  private static boolean raced(String detail) {
    String d = detail.toLowerCase(Locale.ROOT);
    if (d.contains("hook")) {
      return false;
    }
    return d.contains("lock")
        || d.contains("fetch first")
        || d.contains("incorrect old value")
        || d.contains("non-fast-forward")
        || d.contains("failed to update ref")
        || d.contains("stale info")
        || d.contains("cannot lock ref");
  }

  Verdict verdict() {
    return verdict;
  }

  String message() {
    return message;
  }
}
