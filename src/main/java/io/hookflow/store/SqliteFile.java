package io.hookflow.store;

import java.nio.file.Path;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** The database file an SQLite connection URL names. */
public final class SqliteFile {

  private static final String SQLITE = "jdbc:sqlite:";

  private SqliteFile() {}

  /**
   * The file of {@code url} ({@code jdbc:sqlite:PATH?settings}), as given; null if the URL is not
   * SQLite's or names no plain file (in memory, a {@code file:} URI).
   */
  public static Path of(String url) {
    if (url == null || !url.startsWith(SQLITE)) {
      return null;
    }
    int query = url.indexOf('?');
    String path = url.substring(SQLITE.length(), query < 0 ? url.length() : query);
    if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
      return null;
    }
    return Path.of(path);
  }

  /**
   * The file of the SQLite database {@code jdbc} is connected to; null if it has none (in memory).
   */
  public static Path of(JdbcTemplate jdbc) {
    List<String> files =
        jdbc.query(
            "PRAGMA database_list",
            (rs, row) -> "main".equals(rs.getString("name")) ? rs.getString("file") : null);
    return files.stream()
        .filter(file -> file != null && !file.isEmpty())
        .findFirst()
        .map(file -> Path.of(file).toAbsolutePath())
        .orElse(null);
  }
}
