package dev.bumper.io;

/**
 * A manifest the walk found but bumper may not write, such as a symlink out of the root. It is a
 * source like the others, so that it fails the run with its reason, in order among the other
 * files' failures, and nothing is written.
 */
public record RefusedFile(String display, OutsideRootException reason) implements ManifestSource {
  @Override
  public byte[] read() throws OutsideRootException {
    throw reason;
  }
}
