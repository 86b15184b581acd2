package dev.bumper.pipeline;

/** Where the pipeline tells the user what happens, apart from the result itself. */
public interface Reporter {
  /** A detail for {@code -v}. */
  void verbose(String line);

  /** What a user should know even without {@code -v}. */
  void warn(String line);

  /** Why something failed. */
  void error(String line);
}
