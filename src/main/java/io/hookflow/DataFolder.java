package io.hookflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Creates the data folder before anything opens the embedded database in it: SQLite creates the
 * file but not its parent folders.
 */
class DataFolder implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    Path data = Path.of(environment.getProperty("hookflow.data", "./data"));
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data folder " + data.toAbsolutePath(), e);
    }
  }
}
