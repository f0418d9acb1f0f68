package io.hookflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Creates the data folder before anything opens the embedded database in it: SQLite creates the
 * file but not its parent folders. A new one is its owner's only: the database and the outbox in it
 * hold people's names and addresses, which the default umask would let every local user read.
 */
class DataFolder implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    Path data = Path.of(environment.getProperty("hookflow.data", "./data"));
    try {
      if (!Files.isDirectory(data)) {
        Files.createDirectories(data);
        try {
          Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: its own access rules apply
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data folder " + data.toAbsolutePath(), e);
    }
  }
}
