package io.hookflow;

import io.hookflow.store.SqliteFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Creates the data folder before anything opens the embedded database in it: SQLite creates the
 * file but not its parent folders. A new folder, and a new database file, are their owner's only
 * ({@link OwnerOnly}): the database and the outbox hold people's names and addresses.
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
      OwnerOnly.createFolder(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data folder " + data.toAbsolutePath(), e);
    }
    Path database = SqliteFile.of(environment.getProperty("spring.datasource.url", ""));
    if (database != null) {
      try {
        // SQLite takes an empty file for a new database, and gives its journal files the
        // database file's permissions.
        OwnerOnly.createFileIfMissing(database);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create database " + database.toAbsolutePath(), e);
      }
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
