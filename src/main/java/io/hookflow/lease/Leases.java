package io.hookflow.lease;

import io.hookflow.store.StoreLock;
import jakarta.annotation.PreDestroy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Named leases in the database, so that a job runs on one instance of several at a time and moves
 * to another when that one dies: whoever takes a lease holds it until it runs out, and renews it by
 * taking it again before then. The same two statements serve SQLite and PostgreSQL; each is atomic
 * on its own, so two instances never both take a lease. Times come from the instances' clocks,
 * which must agree to well within a lease.
 */
@Component
public class Leases {

  private static final Logger log = LoggerFactory.getLogger(Leases.class);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final String owner;
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  /**
   * On a database locked for this process ({@link StoreLock}), the leases other owners hold were
   * left by processes that are gone: they are dropped at once rather than waited out.
   */
  @Autowired
  Leases(JdbcClient jdbc, Clock clock, StoreLock lock) {
    this(jdbc, clock, newOwner());
    if (lock.exclusive()) {
      jdbc.sql("DELETE FROM leases WHERE owner <> ?").params(owner).update();
    }
  }

  Leases(JdbcClient jdbc, Clock clock, String owner) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.owner = owner;
  }

  /**
   * This process, as named in the leases it holds: one per process, so that two instances on one
   * host never take each other for themselves; the host and process id say which one it is. At most
   * 64 characters.
   */
  public String owner() {
    return owner;
  }

  /**
   * Takes the lease, or renews it when this instance holds it, until {@code duration} from now.
   *
   * @return false while another instance holds it
   */
  public boolean take(String name, Duration duration) {
    long now = clock.millis();
    long until = now + duration.toMillis();
    boolean taken = renewOrTakeOver(name, now, until) || takeFirst(name, now, until);
    if (taken) {
      held.add(name);
    } else {
      held.remove(name);
    }
    return taken;
  }

  /** Renews the lease if it is ours, or takes it if it ran out. */
  private boolean renewOrTakeOver(String name, long now, long until) {
    return jdbc.sql(
                """
                UPDATE leases
                SET owner = :owner, expires_at = :until,
                    taken_at = CASE WHEN owner = :owner THEN taken_at ELSE :now END
                WHERE name = :name AND (owner = :owner OR expires_at < :now)
                """)
            .param("owner", owner)
            .param("until", until)
            .param("now", now)
            .param("name", name)
            .update()
        == 1;
  }

  /** Takes a lease nobody has held yet, or that was released. */
  private boolean takeFirst(String name, long now, long until) {
    return jdbc.sql(
                """
                INSERT INTO leases (name, owner, expires_at, taken_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO NOTHING
                """)
            .params(name, owner, until, now)
            .update()
        == 1;
  }

  /** Who holds the lease now, if anyone. */
  public Optional<String> holder(String name) {
    return jdbc.sql("SELECT owner FROM leases WHERE name = ? AND expires_at >= ?")
        .params(name, clock.millis())
        .query(String.class)
        .optional();
  }

  /** Gives the lease up, if this instance holds it, so another may take it at once. */
  public void release(String name) {
    held.remove(name);
    jdbc.sql("DELETE FROM leases WHERE name = ? AND owner = ?").params(name, owner).update();
  }

  /** A stopping instance hands its leases on rather than let them run out. */
  @PreDestroy
  void releaseAll() {
    for (String name : Set.copyOf(held)) {
      try {
        release(name);
      } catch (RuntimeException e) {
        log.debug("could not release the {} lease; it runs out by itself", name, e);
      }
    }
  }

  private static String newOwner() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    // At most 64 characters, as the System Log cursor's lease column takes.
    String process =
        "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    return host.substring(0, Math.min(host.length(), 64 - process.length())) + process;
  }
}
