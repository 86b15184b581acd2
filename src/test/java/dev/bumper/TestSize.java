package dev.bumper;

/**
 * How large the long tests run: at a size that proves the point within {@code ./mvnw verify}, or
 * at full size under the {@code full} profile ({@code ./test.sh -Pfull}), which CI runs on a
 * schedule (.semaphore/full.yml).
 */
public final class TestSize {
  private TestSize() {}

  /** Whether this is the full-size run ({@code -Dbumper.full=true}, set by {@code -Pfull}). */
  public static boolean full() {
    return Boolean.getBoolean("bumper.full");
  }

  /** {@code quick} in verify, {@code full} in the full-size run. */
  public static int pick(int quick, int full) {
    return full() ? full : quick;
  }
}
