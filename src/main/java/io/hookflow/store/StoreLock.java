package io.hookflow.store;

import io.hookflow.HookflowProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One SQLite database, one running service. A second hookflow on the same database file (started
 * twice on one data folder, say) would take the first one's running runs for abandoned and run them
 * again: mail sent twice. So a service on SQLite holds an exclusive lock on a file beside the
 * database ({@code hookflow.db.lock}) while it runs, and does not start while another process holds
 * it.
 *
 * <p>The operating system drops the lock when its process ends, however it ends. Holding it, this
 * process knows that whatever the database says is running or leased was left by one that is gone,
 * and takes it up at once rather than waiting for leases to run out ({@link #exclusive}).
 *
 * <p>Commands that share the database with a running service ({@code okta status}) run no workers
 * and take no lock. On PostgreSQL, instances share the database by design and nothing is locked.
 */
@Component
public class StoreLock implements InitializingBean, DisposableBean {

  private final JdbcTemplate jdbc;
  private final Statements statements;
  private final boolean service;
  private FileChannel channel;
  private FileLock lock;

  StoreLock(JdbcTemplate jdbc, Statements statements, HookflowProperties properties) {
    this.jdbc = jdbc;
    this.statements = statements;
    this.service = properties.runs().workers() > 0;
  }

  @Override
  public void afterPropertiesSet() {
    if (!service || statements.postgres()) {
      return;
    }
    Path database = databaseFile();
    if (database == null) {
      return; // in memory: nobody else can open it
    }
    Path file = database.resolveSibling(database.getFileName() + ".lock");
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by another hookflow in this very JVM (tests start several)
      }
      if (lock == null) {
        String holder = holder(file);
        channel.close();
        channel = null;
        throw new StoreInUseException(database, file, holder);
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }

  /**
   * Whether this process has the database to itself: what the database says is running or leased
   * was left by a process that no longer runs.
   */
  public boolean exclusive() {
    return lock != null;
  }

  /** The main database's file; null if it has none (in memory). */
  private Path databaseFile() {
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

  /** The process id the holder wrote into the lock file, if it can be read. */
  private static String holder(Path file) {
    try {
      String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return pid.matches("[0-9]+") ? pid : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void destroy() throws IOException {
    if (channel != null) {
      // Released by closing; the file stays, empty of meaning until the next holder writes to it.
      channel.close();
      channel = null;
      lock = null;
    }
  }
}
