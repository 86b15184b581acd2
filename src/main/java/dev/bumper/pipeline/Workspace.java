package dev.bumper.pipeline;

import dev.bumper.edit.Edit;
import java.io.Closeable;
import java.io.IOException;

/**
 * Where the files an edit reads are: a directory, a clone, a commit fetched into memory. It applies
 * an edit to them and hands the change to the delivery asked for.
 */
public interface Workspace extends Closeable {
  /**
   * Applies {@code edit} and delivers what it changes.
   *
   * @throws dev.bumper.failure.Failure when the edit or the delivery fails for a reason the user
   *     can act on; nothing was written, or the local commit was kept
   */
  Delivered deliver(Edit edit, Delivery delivery) throws IOException;

  @Override
  default void close() throws IOException {}
}
