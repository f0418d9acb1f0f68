package io.hookflow;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files and folders hookflow makes that only their owner may read: they hold people's names and
 * addresses, or secrets, which the default umask would let every local user read, also inside a
 * data folder made readable to all by someone else (a service manager's state directory).
 */
public final class OwnerOnly {

  private OwnerOnly() {}

  /** Creates the folder (and its missing parents) unless it is there; a new one is owner-only. */
  public static void createFolder(Path folder) throws IOException {
    if (Files.isDirectory(folder)) {
      return;
    }
    Files.createDirectories(folder);
    try {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its own access rules apply
    }
  }

  /** Creates an empty owner-only file; fails if it exists. */
  public static void createFile(Path file) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
  }

  /**
   * Creates an empty owner-only file beside {@code target}, named as it with {@code .part} added,
   * for content to be written to and then moved into place; one left there by a write that was cut
   * off is replaced. Returns it.
   */
  public static Path createPartFor(Path target) throws IOException {
    Path part = target.resolveSibling(target.getFileName() + ".part");
    Files.deleteIfExists(part);
    createFile(part);
    return part;
  }

  /** Creates an empty owner-only file unless one is there already. */
  public static void createFileIfMissing(Path file) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    try {
      createFile(file);
    } catch (FileAlreadyExistsException e) {
      // made meanwhile by another: theirs stands
    }
  }
}
