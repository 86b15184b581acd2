package dev.bumper.image;

import java.util.Objects;

/**
 * What an {@link ImageUpdate} does to one part (tag or digest) of a reference found in a file.
 *
 * <p>Three cases rather than a nullable string, because "the spec has no tag" (remove it) and "the
 * spec says {@code *}" (keep whatever the file has) must not be confused: conflating them would
 * either leave a stale tag next to a new digest or wipe a tag the user wanted to keep.
 */
public sealed interface PartChange permits PartChange.Keep, PartChange.Remove, PartChange.Set {

  /** The part as it should be after the update, given its current value (either may be null). */
  String applyTo(String current);

  /** Keeps the current value, whatever it is; written {@code *} in a spec. */
  static PartChange keep() {
    return new Keep();
  }

  /** Removes the part; what a spec means by leaving the part out. */
  static PartChange remove() {
    return new Remove();
  }

  /** Sets the part to {@code value}, whether or not it was present. */
  static PartChange set(String value) {
    return new Set(value);
  }

  /** See {@link PartChange#keep()}. */
  record Keep() implements PartChange {
    @Override
    public String applyTo(String current) {
      return current;
    }

    @Override
    public String toString() {
      return "keep";
    }
  }

  /** See {@link PartChange#remove()}. */
  record Remove() implements PartChange {
    @Override
    public String applyTo(String current) {
      return null;
    }

    @Override
    public String toString() {
      return "remove";
    }
  }

  /**
   * See {@link PartChange#set(String)}.
   *
   * @param value the new tag or digest, never null
   */
  record Set(String value) implements PartChange {
    public Set {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String applyTo(String current) {
      return value;
    }

    @Override
    public String toString() {
      return "set " + value;
    }
  }
}
