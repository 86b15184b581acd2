package dev.bumper.git;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.Failure;
import dev.bumper.retry.Backoff;
import dev.bumper.secret.SecretMask;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.Transport;

/**
 * What every command that talks to a config repo's remote is told, as JGit's
 * {@code TransportCommand} is: credentials, transport configuration, secrets to mask, a log; and
 * for the ones that push, how often and how patiently to retry a lost race.
 *
 * @param <C> the command, so that the setters chain
 */
public abstract class RemoteCommand<C extends RemoteCommand<C>> {
  protected final RemoteUrl url;
  protected CredentialsProvider credentials;
  protected TransportConfigCallback transportConfig;
  protected Consumer<String> log = message -> {};
  protected SecretMask secrets = new SecretMask();
  /** The widest window a wait between two pushes is drawn from, when attempts are quick. */
  private static final Duration MAX_DELAY = Duration.ofSeconds(5);
  /** The widest window in attempts' lengths, when they are slow (see {@link #backOff}). */
  private static final int MAX_SLOTS = 16;

  protected int attempts = 10;
  protected long baseDelayMillis = 100;
  protected Random random = new Random();
  protected CommitSigner signer;
  protected Clock clock = Clock.systemDefaultZone();
  private int deadlineSeconds;
  private Consumer<String> onDeadline;

  RemoteCommand(RemoteUrl url) {
    this.url = url;
    // every command that talks to a remote uses JGit: let it find the system config that
    // JGitEnvironment is finding, not find it a second time
    JGitEnvironment.awaitPrepared();
  }

  @SuppressWarnings("unchecked")
  private C self() {
    return (C) this;
  }

  public C setCredentials(CredentialsProvider credentials) {
    this.credentials = credentials;
    return self();
  }

  /** Configures each transport (SSH session factory, host key checking); may be null. */
  public C setTransportConfigCallback(TransportConfigCallback transportConfig) {
    this.transportConfig = transportConfig;
    return self();
  }

  /** Told about retries and other details, for verbose output. */
  public C setLog(Consumer<String> log) {
    this.log = log;
    return self();
  }

  /** The run's mask, for any message from the server or JGit (tokens, passwords). */
  public C setSecrets(SecretMask secrets) {
    this.secrets = secrets;
    return self();
  }

  /** Pushes to try when other pipelines keep pushing first (default 10). */
  public C setAttempts(int attempts) {
    this.attempts = Math.max(1, attempts);
    return self();
  }

  /** The first backoff window; it doubles with each lost race, up to 5 s (default 100 ms). */
  public C setBaseDelayMillis(long baseDelayMillis) {
    this.baseDelayMillis = baseDelayMillis;
    return self();
  }

  /**
   * A bound on each whole network operation (a clone, a fetch, a push): a read timeout alone
   * never fires against a server that trickles a byte now and then. When an operation outlives
   * it, {@code onExpired} is told why; it must end the run, since a blocked read cannot be
   * interrupted. 0 seconds: no bound.
   */
  public C setDeadline(int seconds, Consumer<String> onExpired) {
    this.deadlineSeconds = seconds;
    this.onDeadline = onExpired;
    return self();
  }

  /** Signs each commit the command makes; null: none. */
  public C setSigner(CommitSigner signer) {
    this.signer = signer;
    return self();
  }

  /** Stamps the commits the command makes: their author and committer time and zone. */
  public C setClock(Clock clock) {
    this.clock = clock;
    return self();
  }

  /** An identity stamped now, by the clock. */
  protected PersonIdent now(PersonIdent who) {
    return new PersonIdent(who, clock.instant(), clock.getZone());
  }

  public C setRandom(Random random) {
    this.random = random;
    return self();
  }

  /** The transport set up as given, a repository on this machine served by git's own programs. */
  protected void configure(Transport transport) {
    LocalTransport.configure(transport, transportConfig);
  }

  /** A network operation of JGit's. */
  protected interface NetworkOperation<T> {
    T run() throws GitAPIException, IOException;
  }

  /** Runs {@code operation}, {@code what} it does to the URL ("fetch from"), within the deadline. */
  protected <T> T network(String what, NetworkOperation<T> operation) throws GitAPIException, IOException {
    if (deadlineSeconds <= 0 || onDeadline == null) {
      return operation.run();
    }
    String message = what + " " + url.redacted() + " did not finish within --timeout " + deadlineSeconds
        + " s: the server answers too slowly or not at all";
    ScheduledFuture<?> timer = TIMER.schedule(() -> onDeadline.accept(message), deadlineSeconds, TimeUnit.SECONDS);
    try {
      return operation.run();
    } finally {
      timer.cancel(false);
    }
  }

  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "bumper-network-deadline");
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /**
   * A message from JGit or a server as it may be printed: the URL, in every form it may appear
   * in, shown redacted, and every form of every secret of the run masked.
   */
  protected String mask(String message) {
    if (message == null) {
      return "";
    }
    url.printedForms().forEach(secrets::show);
    return secrets.mask(message);
  }

  /** The waits after a lost race whose attempt took {@code slot} (see {@link #backOff}). */
  Backoff backoffAfter(Duration slot) {
    Duration initial = Duration.ofMillis(Math.max(baseDelayMillis, slot.toMillis() * 2));
    Duration widest = Duration.ofMillis(slot.toMillis() * MAX_SLOTS);
    Duration max = widest.compareTo(MAX_DELAY) > 0 ? widest : MAX_DELAY;
    return new Backoff(initial, max, Backoff.Jitter.FULL, random);
  }

  /**
   * Waits before the attempt after {@code attempt}, which lost its race after {@code slot}: the
   * time from reading the tip to the push's answer, in which a rival's push can land. The window
   * the wait is drawn from starts at two slots (at least the base delay) and doubles, up to
   * sixteen slots or 5 s, whichever is longer, so pipelines whose attempts take seconds (32 JVMs
   * on 2 cores) spread over more than one attempt's length instead of meeting again; with a fixed
   * window shorter than an attempt, a quarter of 32 such pipelines ran out of attempts.
   */
  protected void backOff(int attempt, Duration slot, String reason) {
    long delay = backoffAfter(slot).delay(attempt).toMillis();
    log.accept(reason + " in " + delay + " ms (attempt " + (attempt + 1) + " of " + attempts
        + "; the lost one took " + slot.toMillis() + " ms)");
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(ExitCode.FAILURE, "interrupted while waiting to push again");
    }
  }
}
