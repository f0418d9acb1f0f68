package io.hookflow.store;

import java.nio.file.Path;

/** Another hookflow holds the lock on the database this one was to use ({@link StoreLock}). */
public class StoreInUseException extends RuntimeException {

  /**
   * @param holder the holder's process id, or null if it could not be read
   */
  StoreInUseException(Path database, Path lockFile, String holder) {
    super(
        "Another hookflow"
            + (holder != null ? " (process " + holder + ")" : "")
            + " is running on the database "
            + database
            + " (it holds "
            + lockFile
            + ")");
  }
}
