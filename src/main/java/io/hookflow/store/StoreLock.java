package io.hookflow.store;

import io.hookflow.HookflowProperties;
import io.hookflow.OwnerOnly;
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
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
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
 * <p>The lock is taken before the service starts anything else ({@link Early}): the second one
 * stops with one message instead of a web server and a pool of connections started and torn down.
 *
 * <p>Commands that share the database with a running service ({@code okta status}) run no workers
 * and take no lock. On PostgreSQL, instances share the database by design and nothing is locked.
 */
@Component
public class StoreLock implements InitializingBean, DisposableBean {

  private static final String EARLY = "hookflow.storeLock.early";

  private final JdbcTemplate jdbc;
  private final Statements statements;
  private final boolean service;
  private final ObjectProvider<Held> early;
  private Held held;

  StoreLock(
      JdbcTemplate jdbc,
      Statements statements,
      HookflowProperties properties,
      ObjectProvider<Held> early) {
    this.jdbc = jdbc;
    this.statements = statements;
    this.service = properties.runs().workers() > 0;
    this.early = early;
  }

  @Override
  public void afterPropertiesSet() {
    held = early.getIfAvailable();
    if (held != null || !service || statements.postgres()) {
      return;
    }
    Path database = SqliteFile.of(jdbc);
    if (database == null) {
      return; // in memory: nobody else can open it
    }
    held = Held.take(database);
  }

  /**
   * Whether this process has the database to itself: what the database says is running or leased
   * was left by a process that no longer runs.
   */
  public boolean exclusive() {
    return held != null;
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
    if (held != null) {
      held.destroy();
      held = null;
    }
  }

  /** The lock on a database's lock file, held until destroyed. */
  static final class Held implements DisposableBean {

    private final FileChannel channel;

    private Held(FileChannel channel) {
      this.channel = channel;
    }

    /**
     * Takes the lock on {@code database}'s lock file and writes this process's id into it.
     *
     * @throws StoreInUseException if another hookflow holds it
     */
    static Held take(Path database) {
      Path file = database.resolveSibling(database.getFileName() + ".lock");
      try {
        OwnerOnly.createFileIfMissing(file);
        FileChannel channel =
            FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null; // held by another hookflow in this very JVM (tests start several)
        }
        if (lock == null) {
          String holder = holder(file);
          channel.close();
          throw new StoreInUseException(database, file, holder);
        }
        channel.truncate(0);
        channel.write(
            ByteBuffer.wrap(
                (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
            0);
        return new Held(channel);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + file, e);
      }
    }

    @Override
    public void destroy() throws IOException {
      // Released by closing; the file stays, empty of meaning until the next holder writes to it.
      channel.close();
    }
  }

  /**
   * Takes the lock of a service on SQLite before its context is refreshed, so before the web
   * server, the connection pool or any other part of it starts; {@link StoreLock} then holds it. It
   * is released with the context's beans, also when the start fails later on.
   */
  static final class Early
      implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
      ConfigurableEnvironment environment = context.getEnvironment();
      Integer workers;
      try {
        workers = environment.getProperty("hookflow.runs.workers", Integer.class);
      } catch (RuntimeException e) {
        return; // not a number: the settings' own check says so
      }
      Path database = SqliteFile.of(environment.getProperty("spring.datasource.url"));
      if ((workers != null && workers <= 0)
          || database == null
          || !Files.isDirectory(database.toAbsolutePath().getParent())) {
        return; // a command, another database, or none yet: the bean decides as it starts
      }
      Held held = Held.take(database.toAbsolutePath().normalize());
      ConfigurableListableBeanFactory beans = context.getBeanFactory();
      beans.registerSingleton(EARLY, held);
      if (beans instanceof DefaultSingletonBeanRegistry registry) {
        registry.registerDisposableBean(EARLY, held);
      }
    }
  }
}
