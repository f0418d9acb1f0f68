package io.hookflow.store;

import java.nio.file.Path;

/** Another hookflow holds the lock on the database this one was to use ({@link StoreLock}). */
public class StoreInUseException extends RuntimeException {

  private final Path database;
  private final Path lockFile;
  private final String holder;

  StoreInUseException(Path database, Path lockFile, String holder) {
    super(
        "another hookflow"
            + (holder != null ? " (process " + holder + ")" : "")
            + " is running on the database "
            + database
            + ": it holds "
            + lockFile);
    this.database = database;
    this.lockFile = lockFile;
    this.holder = holder;
  }

  public Path database() {
    return database;
  }

  public Path lockFile() {
    return lockFile;
  }

  /** The holder's process id, or null if it could not be read. */
  public String holder() {
    return holder;
  }
}
