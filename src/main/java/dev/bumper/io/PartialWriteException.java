package dev.bumper.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A batch of writes stopped at {@link #failedFile()}: the {@link #writtenFiles()} already have
 * their new content, the failed file and the ones after it are unchanged.
 */
public final class PartialWriteException extends IOException {

  private final Path failedFile;
  private final List<Path> writtenFiles;

  public PartialWriteException(Path failedFile, List<Path> writtenFiles, IOException cause) {
    super(message(failedFile, writtenFiles, cause), cause);
    this.failedFile = failedFile;
    this.writtenFiles = List.copyOf(writtenFiles);
  }

  public Path failedFile() {
    return failedFile;
  }

  /** The files replaced before the failure, in write order. */
  public List<Path> writtenFiles() {
    return writtenFiles;
  }

  private static String message(Path failedFile, List<Path> written, IOException cause) {
    String already =
        written.isEmpty() ? "no file was written" : written.size() + " already written: " + written;
    return failedFile + ": cannot write: " + IoErrors.reason(cause) + " (" + already + ")";
  }
}
