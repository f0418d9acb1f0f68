package io.hookflow.store;

import io.hookflow.HookflowProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Looks at the store once a second for what no error tells, and reports it in health and once in
 * the log:
 *
 * <ul>
 *   <li>a commit that does not end (a lock held by another session on PostgreSQL, which has no
 *       statement timeout by default; a stalled disk or server): deliveries wait for it, with no
 *       error and nothing else to see;
 *   <li>on SQLite, the database file deleted or replaced under the running service ({@code rm -rf
 *       data}, a cleaner of old files): SQLite goes on writing to the file it has open, which no
 *       one can open again, so what the service stores from then on is lost when it stops.
 * </ul>
 */
@Component
class StoreWatch implements InitializingBean, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(StoreWatch.class);

  private final GroupCommit writer;
  private final JdbcTemplate jdbc;
  private final Statements statements;
  private final Clock clock;
  private final long stallAfterMillis;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "hookflow-store-watch");
            thread.setDaemon(true);
            return thread;
          });

  private Path file;
  private Object fileKey;

  /** Since when the commit under way has been stalled, as logged; 0 while none is. */
  private volatile long stalledSince;

  /** What became of the database file, once it did; null while it is where it was. */
  private volatile String fileGone;

  StoreWatch(
      GroupCommit writer,
      JdbcTemplate jdbc,
      Statements statements,
      HookflowProperties properties,
      Clock clock) {
    this.writer = writer;
    this.jdbc = jdbc;
    this.statements = statements;
    this.clock = clock;
    this.stallAfterMillis = properties.store().stallAfter().toMillis();
  }

  @Override
  public void afterPropertiesSet() {
    if (!statements.postgres()) {
      file = SqliteFile.of(jdbc);
      fileKey = file == null ? null : key(file);
      if (file != null) {
        writer.afterEachCommit(this::lookAfterCommit);
      }
    }
    long every = Math.min(1_000, Math.max(100, stallAfterMillis / 2));
    timer.scheduleWithFixedDelay(this::look, every, every, TimeUnit.MILLISECONDS);
  }

  /** What became of the SQLite database file, if it was deleted or replaced; else null. */
  String fileGone() {
    return fileGone;
  }

  /**
   * One look at the file, by the writer after each commit and before the callers waiting for it are
   * told: so {@link #fileGone} stands for their commit, and a delivery committed into a file
   * deleted since the watch's last look is refused, not acknowledged.
   */
  private void lookAfterCommit() {
    try {
      lookAtTheFile();
    } catch (UncheckedIOException e) {
      // Not told either way (the folder unreadable for a moment): the commit stands, and the
      // watch's own looks go on.
      log.debug("Could not look at the database file", e);
    }
  }

  /** Why the store is to be seen as down now; null while nothing is wrong that this sees. */
  String problem() {
    if (fileGone != null) {
      return fileGone;
    }
    long since = stalledSince;
    if (since != 0) {
      return "one commit has been under way since "
          + Instant.ofEpochMilli(since)
          + "; deliveries wait for it";
    }
    return null;
  }

  private void look() {
    try {
      lookAtTheWriter();
      lookAtTheFile();
    } catch (RuntimeException e) {
      log.debug("Could not look at the store", e);
    }
  }

  private void lookAtTheWriter() {
    long since = writer.committingSince();
    long now = clock.millis();
    if (since != 0 && now - since >= stallAfterMillis) {
      if (stalledSince != since) {
        stalledSince = since;
        log.warn(
            "The store has been committing one piece of work for {} (more than"
                + " hookflow.store.stall-after): deliveries wait for it, and Okta gives each 3 s."
                + " A lock held by another session, or a stalled disk or database server? Health is"
                + " down until it ends",
            Duration.ofMillis(now - since).withNanos(0));
      }
    } else if (stalledSince != 0 && since != stalledSince) {
      log.warn(
          "The store's stalled commit ended after {}",
          Duration.ofMillis(now - stalledSince).withNanos(0));
      stalledSince = 0;
    }
  }

  private synchronized void lookAtTheFile() {
    if (fileKey == null || fileGone != null) {
      return;
    }
    Object now = key(file);
    if (Objects.equals(now, fileKey)) {
      return;
    }
    // Deleted, it is soon made again, empty, by the next connection the pool opens: "deleted or
    // replaced" either way.
    fileGone =
        "the database file "
            + file
            + " was deleted or replaced while hookflow runs on it ("
            + (now == null ? "it is gone" : "it is not the file hookflow opened")
            + ")";
    log.error(
        "{}. SQLite goes on writing to the file it had open, which nothing can open again: what"
            + " is stored from now on, and everything before, is lost when hookflow stops. Restore"
            + " the data folder from a backup, or accept the loss and restart hookflow; health is"
            + " down until then",
        Character.toUpperCase(fileGone.charAt(0)) + fileGone.substring(1));
  }

  /** What tells this file from another at the same path (device and inode); null if it is gone. */
  private static Object key(Path file) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      Object key = attributes.fileKey();
      return key != null ? key : attributes.creationTime();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void destroy() {
    timer.shutdownNow();
  }
}
