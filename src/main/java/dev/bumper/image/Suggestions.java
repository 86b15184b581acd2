package dev.bumper.image;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The repositories most like one that was asked for and not found, for a "did you mean" hint: a
 * typo (a few letters apart), another registry or organisation with the same image name, or the
 * same name spelled with and without Docker Hub's defaults.
 */
public final class Suggestions {
  /** At most this many suggestions: more would be a list, not a hint. */
  private static final int MAX = 3;

  private Suggestions() {}

  /**
   * The names of {@code seen} (as files spell them) close to the repository {@code wanted}, closest
   * first, each repository once; none when none is.
   */
  public static List<String> closest(String wanted, Collection<String> seen) {
    String wantedName = lastComponent(wanted);
    List<Candidate> candidates = new ArrayList<>();
    Set<String> repositories = new HashSet<>();
    for (String spelling : seen) {
      String repository = ImageReference.tryParse(spelling).map(ImageReference::repository).orElse(spelling);
      if (repository.equals(wanted) || !repositories.add(repository)) {
        continue;
      }
      int whole = distance(wanted, repository);
      int name = distance(wantedName, lastComponent(repository));
      // a typo anywhere, or the same image name in another place (registry, organisation)
      int budget = Math.max(2, wanted.length() / 5);
      if (whole <= budget || name <= Math.max(1, wantedName.length() / 5)) {
        candidates.add(new Candidate(spelling, Math.min(whole, name + 1)));
      }
    }
    candidates.sort(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::repository));
    return candidates.stream().limit(MAX).map(Candidate::repository).toList();
  }

  private record Candidate(String repository, int distance) {}

  private static String lastComponent(String repository) {
    return repository.substring(repository.lastIndexOf('/') + 1);
  }

  /** Levenshtein distance: inserts, deletes and substitutions. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
