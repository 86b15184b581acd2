package dev.bumper.provider;

import dev.bumper.failure.UsageException;
import dev.bumper.secret.SecretMask;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A GitHub App's installation token, for the API and for git alike: the app signs a JWT with its
 * private key, finds its installation on the repository (unless it was given), and exchanges the
 * JWT for an installation token, which GitHub lets live one hour. As a {@code Supplier} it is
 * the {@code Authorization} value an {@link ApiClient} asks for on each request, and it renews
 * the token when fewer than five minutes of it are left, so that a long run (a push that waits
 * for a lock, a pull request waiting for checks) never sends a token that expires on the way.
 *
 * <p>Git over HTTPS takes the same token as the password of the user {@value #GIT_USER}, as
 * GitHub documents for installation tokens. Every JWT and token is added to the run's {@link
 * SecretMask} before it is sent or handed out, so nothing bumper prints can show one.
 */
public final class GitHubAppToken implements Supplier<String> {
  /** The user name git sends with an installation token as its password. */
  public static final String GIT_USER = "x-access-token";

  /** Renewed this long before it expires: longer than any one request or push should take. */
  static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

  private final String appId;
  private final Clock clock;
  private final SecretMask mask;
  private final ApiClient app;
  private final String owner;
  private final String repo;
  private final boolean onlyThisRepository;
  private Long installation;
  private String token;
  private Instant expiresAt;

  private GitHubAppToken(Builder builder, Function<Supplier<String>, ApiClient> api,
      SecretMask mask) {
    this.appId = builder.appId;
    this.clock = builder.clock;
    this.mask = Objects.requireNonNull(mask, "mask");
    this.owner = builder.owner;
    this.repo = builder.repo;
    this.onlyThisRepository = builder.onlyThisRepository;
    this.installation = builder.installation;
    GitHubAppJwt jwt = new GitHubAppJwt(builder.appId, builder.key, builder.clock);
    // A JWT for each request: it is masked before the client can send (or print) it.
    this.app = api.apply(() -> {
      String signed = jwt.sign();
      mask.add(signed);
      return "Bearer " + signed;
    });
  }

  /**
   * Starts a token source for the app {@code appId} (its client ID, or its numeric app ID) with
   * its private key; then name the installation, or the repository to find it on.
   */
  public static Builder builder(String appId, GitHubAppKey key) {
    return new Builder(appId, key);
  }

  /** How to find the installation and what the token may reach. */
  public static final class Builder {
    private final String appId;
    private final GitHubAppKey key;
    private Long installation;
    private String owner;
    private String repo;
    private boolean onlyThisRepository;
    private Clock clock = Clock.systemUTC();

    private Builder(String appId, GitHubAppKey key) {
      if (appId == null || appId.isBlank() || !appId.strip().matches("[A-Za-z0-9._-]+")) {
        // not quoted: a key or secret pasted into the wrong place must not be printed
        throw new UsageException("a GitHub App ID is a number or a client ID such as Iv23li...;"
            + " the one given is neither");
      }
      this.appId = appId.strip();
      this.key = Objects.requireNonNull(key, "key");
    }

    /** The installation's ID, as its settings page URL shows it: no look-up is needed then. */
    public Builder installation(long id) {
      if (id <= 0) {
        throw new UsageException("a GitHub App installation ID is a positive number, not " + id);
      }
      this.installation = id;
      return this;
    }

    /** The repository ({@code owner/repo}) the app is installed on, to find its installation. */
    public Builder repository(String ownerRepo) {
      String[] parts = ownerRepo == null ? new String[0] : ownerRepo.split("/", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new UsageException("a GitHub repository is OWNER/REPO, not '" + ownerRepo + "'");
      }
      this.owner = parts[0];
      this.repo = parts[1];
      return this;
    }

    /**
     * Asks for a token that reaches {@link #repository} alone, even when the app is installed on
     * more: a token that leaks can then do no harm elsewhere.
     */
    public Builder onlyThisRepository() {
      this.onlyThisRepository = true;
      return this;
    }

    /** The clock the JWT is dated by and expiry is judged by; the system's by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The token source; nothing is sent until a token is first asked for.
     *
     * @param api makes the client for the app's own requests from the {@code Authorization}
     *     supplier it must use (see {@link Providers#gitHubApi})
     */
    public GitHubAppToken build(Function<Supplier<String>, ApiClient> api, SecretMask mask) {
      if (installation == null && owner == null) {
        throw new UsageException("a GitHub App needs its installation ID or the repository it is"
            + " installed on");
      }
      if (onlyThisRepository && owner == null) {
        throw new UsageException("a GitHub App token for one repository needs the repository");
      }
      return new GitHubAppToken(this, api, mask);
    }
  }

  /** {@code Bearer TOKEN}, renewed first when it is close to expiring. */
  @Override
  public String get() {
    return "Bearer " + token();
  }

  /** The installation token itself (git's password for {@value #GIT_USER}), renewed as needed. */
  public synchronized String token() {
    if (token == null || !clock.instant().isBefore(expiresAt.minus(RENEW_BEFORE))) {
      renew();
    }
    return token;
  }

  /** When the current token expires; null before the first one was asked for. */
  public synchronized Instant expiresAt() {
    return expiresAt;
  }

  /** The installation the tokens are for, looked up on the repository the first time. */
  public synchronized long installationId() {
    if (installation == null) {
      String path = "repos/" + encode(owner) + "/" + encode(repo) + "/installation";
      ApiClient.Answer answer = app.get(path);
      if (answer.status() != 200) {
        throw refused("GET", path, answer, answer.status() == 404
            ? "the GitHub App " + appId + " is not installed on " + owner + "/" + repo
                + " (or the repository does not exist)"
            : null);
      }
      if (!(answer.object().get("id") instanceof Long id)) {
        throw new ProviderException("GET " + app.base() + path + ": the answer has no"
            + " installation id");
      }
      installation = id;
    }
    return installation;
  }

  private void renew() {
    long id = installationId();
    String path = "app/installations/" + id + "/access_tokens";
    Map<String, Object> body = new LinkedHashMap<>();
    if (onlyThisRepository) {
      body.put("repositories", List.of(repo));
    }
    ApiClient.Answer answer = app.send("POST", path, body);
    if (answer.status() != 201) {
      throw refused("POST", path, answer, answer.status() == 404
          ? "the GitHub App " + appId + " has no installation " + id
          : null);
    }
    Object issued = answer.object().get("token");
    Object expires = answer.object().get("expires_at");
    if (!(issued instanceof String text) || text.isBlank() || !(expires instanceof String when)) {
      throw new ProviderException("POST " + app.base() + path + ": the answer has no token or no"
          + " expires_at");
    }
    // masked before anyone gets it, including the message of a failure just below
    mask.add(text);
    Instant expiry;
    try {
      expiry = Instant.parse(when);
    } catch (DateTimeParseException e) {
      throw new ProviderException("POST " + app.base() + path + ": expires_at is not a time: "
          + mask.mask(when));
    }
    token = text;
    expiresAt = expiry;
  }

  /** GitHub's refusal, with what it most likely means for a GitHub App. */
  private ProviderException refused(String method, String path, ApiClient.Answer answer,
      String meaning) {
    ProviderException refusal = app.refused(method, path, answer);
    String hint = meaning != null ? meaning
        : answer.status() == 401 ? "GitHub did not take the app's JWT: check the app ID "
            + appId + ", that the private key is this app's, and this machine's clock"
        : null;
    return hint == null ? refusal
        : new ProviderException(refusal.getMessage() + " (" + hint + ")", refusal.status());
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    // no token here: a debugger or a log line that prints this shows which app it is
    return "GitHubAppToken[app " + appId + (installation == null ? "" : ", installation "
        + installation) + "]";
  }
}
