package io.hookflow.cli;

import io.hookflow.OwnerOnly;
import io.hookflow.store.SqliteFile;
import io.hookflow.store.Statements;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code backup FILE}: a consistent copy of the embedded SQLite database, also while the service
 * runs on it. SQLite's {@code VACUUM INTO} reads the database in one read transaction, which the
 * service's writes go on beside (a copy of the file itself, taken while it is written, may be torn,
 * and leaves out what is still in its write-ahead log).
 */
class BackupCommand implements Command {

  @Override
  public String usage() {
    return "backup FILE   copy the embedded database (SQLite), also while hookflow runs";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    String file = null;
    List<String> properties = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--") && arg.contains("=")) {
        properties.add(arg);
      } else if (file == null && !arg.startsWith("-")) {
        file = arg;
      } else {
        throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
    }
    if (file == null) {
      throw new IllegalArgumentException("backup needs the file to write, e.g. backup hookflow.db");
    }
    Path target = Path.of(file).toAbsolutePath().normalize();
    if (Files.exists(target)) {
      err.println(target + " exists; name a new file (a backup never overwrites one)");
      return 1;
    }
    if (!Files.isDirectory(target.getParent())) {
      err.println(target.getParent() + ": no such folder");
      return 1;
    }
    // The hook's secret is not needed for a copy, and a service given its own (an environment
    // variable of its service manager) need not be given it again for one.
    properties.add("--hookflow.hook.secret=" + UUID.randomUUID() + UUID.randomUUID());
    ConfigurableApplicationContext context;
    try {
      context = CommandContext.start(properties);
    } catch (RuntimeException e) {
      err.println("cannot start: " + CommandContext.rootMessage(e));
      return 1;
    }
    try (context) {
      if (context.getBean(Statements.class).postgres()) {
        err.println("hookflow's database is PostgreSQL here: back it up with pg_dump");
        return 2;
      }
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      Path source = SqliteFile.of(jdbc);
      try {
        // VACUUM INTO takes an empty file: made owner-only first, as the database is (it holds
        // people's names and addresses).
        OwnerOnly.createFile(target);
        jdbc.update("VACUUM INTO ?", target.toString());
        out.println("backed up " + source + " to " + target + ": " + contents(target));
      } catch (IOException | RuntimeException | SQLException e) {
        deleteQuietly(target);
        err.println(
            "cannot back up " + source + " to " + target + ": " + CommandContext.rootMessage(e));
        return 1;
      }
      out.println(
          "restore: stop hookflow, put the copy in place of "
              + source
              + " (with no "
              + source.getFileName()
              + "-wal or -shm file beside it), start hookflow");
      return 0;
    }
  }

  /** What the copy holds, read from the copy. */
  private static String contents(Path copy) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + copy);
        Statement sql = db.createStatement()) {
      return count(sql, "events")
          + " events, "
          + count(sql, "runs")
          + " runs, "
          + Math.max(1, copy.toFile().length() / 1024)
          + " KiB";
    }
  }

  private static long count(Statement sql, String table) throws SQLException {
    try (ResultSet rows = sql.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the error that stopped the backup is the one to tell
    }
  }
}
