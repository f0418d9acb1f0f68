package io.hookflow;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests, started once per test run from the binaries that come as
 * a Maven artifact (or one already running, named by {@code -Dhookflow.test.postgres=HOST:PORT},
 * that trusts the user postgres); each caller gets a database of its own.
 */
public final class Postgres {

  private static EmbeddedPostgres server;
  private static final AtomicInteger databases = new AtomicInteger();

  private Postgres() {}

  /** The JDBC URL of a new, empty database. */
  public static synchronized String newDatabase() {
    String name = "hookflow_" + databases.incrementAndGet();
    String other = System.getProperty("hookflow.test.postgres", "");
    if (!other.isBlank()) {
      // A server already running, e.g. another PostgreSQL version:
      // -Dhookflow.test.postgres=HOST:PORT
      String base = "jdbc:postgresql://" + other + "/";
      name += "_" + ProcessHandle.current().pid();
      try (Connection c = DriverManager.getConnection(base + "postgres", user(), "");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name);
        return base + name;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    try {
      if (server == null) {
        server = EmbeddedPostgres.builder().start();
        Runtime.getRuntime().addShutdownHook(new Thread(Postgres::stop));
      }
      try (Connection c = server.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name);
      }
      return server.getJdbcUrl("postgres", name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The settings that point hookflow at a new, empty database. */
  public static Map<String, String> newDatabaseSettings() {
    return Map.of("spring.datasource.url", newDatabase(), "spring.datasource.username", user());
  }

  public static String user() {
    return "postgres";
  }

  private static void stop() {
    try {
      server.close();
    } catch (IOException e) {
      // the JVM is going away anyway
    }
  }
}
