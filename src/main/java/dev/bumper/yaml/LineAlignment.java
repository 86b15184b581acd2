package dev.bumper.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Which lines of one edited region stayed and which changed: a minimal line diff (Myers' O(ND)),
 * within bounds. Past them the region is one delete-then-insert block: a minimal alignment of a
 * rewritten file is not worth quadratic time and memory.
 */
final class LineAlignment {
  /** The most differences aligned in one region. */
  private static final int MAX_ALIGNMENT_COST = 1000;

  /** The most differences times lines aligned in one region. */
  private static final long MAX_ALIGNMENT_WORK = 20_000_000L;

  private LineAlignment() {}

  /**
   * Returns the changed blocks {@code {oldFrom, oldTo, newFrom, newTo}} of a minimal line diff
   * between the two (small) line lists, in order.
   */
  static <T> List<int[]> align(List<T> a, List<T> b, BiPredicate<T, T> same) {
    int prefix = 0;
    while (prefix < a.size() && prefix < b.size() && same.test(a.get(prefix), b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < a.size() - prefix
        && suffix < b.size() - prefix
        && same.test(a.get(a.size() - 1 - suffix), b.get(b.size() - 1 - suffix))) {
      suffix++;
    }
    List<T> midA = a.subList(prefix, a.size() - suffix);
    List<T> midB = b.subList(prefix, b.size() - suffix);
    List<int[]> blocks = new ArrayList<>();
    if (midA.isEmpty() && midB.isEmpty()) {
      return blocks;
    }
    boolean[][] matched = midA.isEmpty() || midB.isEmpty() ? null : matches(midA, midB, same);
    if (matched == null) {
      blocks.add(new int[] {prefix, a.size() - suffix, prefix, b.size() - suffix});
      return blocks;
    }
    boolean[] matchedA = matched[0];
    boolean[] matchedB = matched[1];
    int x = 0;
    int y = 0;
    while (x < midA.size() || y < midB.size()) {
      if (x < midA.size() && y < midB.size() && matchedA[x] && matchedB[y]) {
        x++;
        y++;
        continue;
      }
      int fromX = x;
      int fromY = y;
      while (x < midA.size() && !matchedA[x]) {
        x++;
      }
      while (y < midB.size() && !matchedB[y]) {
        y++;
      }
      blocks.add(new int[] {prefix + fromX, prefix + x, prefix + fromY, prefix + y});
    }
    return blocks;
  }

  /**
   * Myers' O(ND) shortest edit script; returns which lines of {@code a} and {@code b} are kept, or
   * null when that would take more than the alignment bounds allow.
   */
  private static <T> boolean[][] matches(List<T> a, List<T> b, BiPredicate<T, T> same) {
    int n = a.size();
    int m = b.size();
    int maxCost = (int) Math.min(Math.min(n + m, MAX_ALIGNMENT_COST), MAX_ALIGNMENT_WORK / (n + m));
    int offset = maxCost + 1;
    int[] v = new int[2 * maxCost + 3];
    List<int[]> trace = new ArrayList<>();
    int cost = -1;
    for (int d = 0; d <= maxCost && cost < 0; d++) {
      trace.add(v.clone());
      for (int k = -d; k <= d; k += 2) {
        int x =
            (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                ? v[offset + k + 1]
                : v[offset + k - 1] + 1;
        int y = x - k;
        while (x < n && y < m && same.test(a.get(x), b.get(y))) {
          x++;
          y++;
        }
        v[offset + k] = x;
        if (x >= n && y >= m) {
          cost = d;
          break;
        }
      }
    }
    if (cost < 0) {
      return null;
    }
    boolean[] keptA = new boolean[n];
    boolean[] keptB = new boolean[m];
    int x = n;
    int y = m;
    for (int d = cost; d > 0; d--) {
      int[] before = trace.get(d);
      int k = x - y;
      int previousK =
          (k == -d || (k != d && before[offset + k - 1] < before[offset + k + 1])) ? k + 1 : k - 1;
      int previousX = before[offset + previousK];
      int previousY = previousX - previousK;
      while (x > previousX && y > previousY) {
        keptA[--x] = true;
        keptB[--y] = true;
      }
      x = previousX;
      y = previousY;
    }
    while (x > 0 && y > 0) {
      keptA[--x] = true;
      keptB[--y] = true;
    }
    return new boolean[][] {keptA, keptB};
  }
}
