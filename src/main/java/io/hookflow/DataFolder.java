package io.hookflow;

import io.hookflow.store.SqliteFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
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
    if (application.getWebApplicationType() == WebApplicationType.NONE) {
      requireDatabase(environment.getProperty("spring.datasource.url", ""));
      return;
    }
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

  /**
   * A command ({@code okta status}) works on the service's database, so an embedded one must be
   * there already: run elsewhere, it would otherwise make an empty one and report from that.
   */
  private static void requireDatabase(String url) {
    Path database = SqliteFile.of(url);
    if (database != null && !Files.exists(database)) {
      throw new IllegalStateException(
          "no hookflow database at "
              + database.toAbsolutePath().normalize()
              + "; run the command where the service runs, or with its settings (hookflow.data,"
              + " or spring.datasource.url for PostgreSQL)");
    }
  }
}
