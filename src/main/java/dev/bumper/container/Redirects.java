package dev.bumper.container;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * Follows a registry's redirects of a GET or HEAD, as Docker does: a registry behind a proxy or CDN
 * may redirect a manifest request, and most send blob downloads to storage. Whether a hop carries
 * credentials is the hop's to decide ({@link CredentialScope#ownOrigin}).
 */
final class Redirects {
  /** As Docker, whose Go client stops after 10: enough for any proxy and CDN, and no loop. */
  private static final int MAX_REDIRECTS = 10;

  private static final Set<Integer> STATUSES = Set.of(301, 302, 303, 307, 308);

  private Redirects() {}

  /** One request to one URL, as {@link #follow} makes them. */
  interface Hop<A extends HttpTransport.Answer> {
    A send(URI uri) throws TransientException;
  }

  /**
   * Sends {@code hop} to {@code uri} and to where each answer redirects it: at most {@value
   * #MAX_REDIRECTS} hops, and only to http and https URLs.
   *
   * @param registry the registry that redirects, for messages
   * @return the first answer that is no redirect
   */
  static <A extends HttpTransport.Answer> A follow(
      String registry, String method, URI uri, Hop<A> hop) throws TransientException {
    URI target = uri;
    for (int redirects = 0; ; redirects++) {
      A answer = hop.send(target);
      Optional<String> location = answer.header("Location");
      if (!STATUSES.contains(answer.status()) || location.isEmpty()) {
        return answer;
      }
      answer.discard();
      String what = registry + " redirected " + method + " " + uri.getPath();
      if (redirects == MAX_REDIRECTS) {
        throw ContainerException.failure(what + " more than " + MAX_REDIRECTS + " times");
      }
      // the Location itself is not printed: a redirect to storage is often a signed URL
      String unfollowed = what + " to something that is not an http or https URL; not followed";
      target = HttpTransport.httpUri(target, location.get())
          .orElseThrow(() -> ContainerException.failure(unfollowed));
    }
  }
}
