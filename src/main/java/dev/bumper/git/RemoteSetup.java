package dev.bumper.git;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.Failure;
import dev.bumper.secret.SecretMask;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jgit.api.errors.JGitInternalException;

/**
 * How a run talks to config repos' remotes, gathered once from its options and environment and
 * applied to each command that clones, fetches or pushes, as JGit's {@code TransportCommand}
 * configures the commands it runs: credentials for the URL's own origin only, SSH settings and
 * host keys, the timeout and the deadline, the run's secret mask, retries of lost races, signing,
 * the clock that stamps commits, the log.
 *
 * <p>What goes wrong comes out typed: a refused or lost push as {@link PushFailedException}, any
 * other failure on the way as a {@link Failure} that names the URL without its credentials and
 * explains a refusal of the credentials or the host key.
 */
public final class RemoteSetup {
  private final Map<String, String> env;
  private final Function<RemoteUrl, SecretMask> secrets;
  private final Consumer<String> onDeadline;
  private final int timeoutSeconds;
  private final boolean acceptNewHostKeys;
  private int attempts = 10;
  private CommitSigner signer;
  private Clock clock = Clock.systemDefaultZone();
  private Consumer<String> log = line -> {};

  /**
   * @param secrets the run's mask, with the credentials of a URL added
   * @param onDeadline ends the run when a network operation outlives {@code timeoutSeconds}
   */
  public RemoteSetup(
      Map<String, String> env, Function<RemoteUrl, SecretMask> secrets, Consumer<String> onDeadline,
      int timeoutSeconds, boolean acceptNewHostKeys) {
    this.env = Map.copyOf(env);
    this.secrets = secrets;
    this.onDeadline = onDeadline;
    this.timeoutSeconds = timeoutSeconds;
    this.acceptNewHostKeys = acceptNewHostKeys;
  }

  public RemoteSetup setAttempts(int attempts) {
    this.attempts = attempts;
    return this;
  }

  public RemoteSetup setSigner(CommitSigner signer) {
    this.signer = signer;
    return this;
  }

  public RemoteSetup setClock(Clock clock) {
    this.clock = clock;
    return this;
  }

  public RemoteSetup setLog(Consumer<String> log) {
    this.log = log;
    return this;
  }

  public Map<String, String> env() {
    return env;
  }

  public Clock clock() {
    return clock;
  }

  /** What is done with a command once it is set up. */
  public interface Operation<C, T> {
    T run(C command) throws IOException;
  }

  /** Sets up {@code command} for its URL and runs {@code operation} on it. */
  public <C extends RemoteCommand<C>, T> T run(C command, Operation<C, T> operation) {
    return run(command, "", operation);
  }

  /**
   * Sets up {@code command} for its URL and runs {@code operation} on it; {@code failing} ("clone
   * of URL failed: ") comes before the reason of a failure.
   */
  public <C extends RemoteCommand<C>, T> T run(C command, String failing, Operation<C, T> operation) {
    RemoteUrl url = command.url;
    SshSettings ssh = SshSettings.forEnvironment(env, acceptNewHostKeys);
    try (ssh) {
      command
          .setCredentials(GitCredentials.forUrl(url, env))
          .setTransportConfigCallback(new NetworkTimeout(timeoutSeconds, ssh))
          .setDeadline(timeoutSeconds, onDeadline)
          .setSecrets(secrets.apply(url))
          .setAttempts(attempts)
          .setSigner(signer)
          .setClock(clock)
          .setLog(log);
      return operation.run(command);
    } catch (IncompleteCloneException e) {
      throw new Failure(ExitCode.FAILURE, e.getMessage());
    } catch (IOException | JGitInternalException e) {
      String refused = ssh.refusal().map(SshSettings.Refusal::message).orElse(null);
      throw new Failure(ExitCode.FAILURE,
          refused != null ? refused : failing + GitCredentials.explain(e.getMessage(), url, env), e);
    }
  }
}
