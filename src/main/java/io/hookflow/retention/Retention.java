package io.hookflow.retention;

import io.hookflow.HookflowProperties;
import io.hookflow.lease.Leases;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Prunes events older than {@code hookflow.retention} together with their runs and steps. An event
 * is kept while any of its runs is unfinished or changed (say, retried) within the retention:
 * nothing newer than the retention is ever pruned.
 *
 * <p>Of several instances sharing a database, the one holding the {@value #LEASE} lease prunes; it
 * keeps the lease by pruning again within two intervals, so when it dies another takes over.
 */
@Component
class Retention {

  static final String LEASE = "retention";

  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  private static final int BATCH = 500;
  private static final String PRUNABLE =
      "SELECT e.uuid FROM events e WHERE e.received_at < :cutoff AND NOT EXISTS ("
          + "SELECT 1 FROM runs r WHERE r.event_uuid = e.uuid AND (r.updated_at >= :cutoff"
          + " OR r.created_at >= :cutoff OR r.state NOT IN ('succeeded', 'failed')))"
          + " ORDER BY e.received_at LIMIT "
          + BATCH;

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final Duration retention;
  private final Leases leases;
  private final Duration lease;

  Retention(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Clock clock,
      HookflowProperties properties,
      Leases leases,
      @Value("${hookflow.retention-interval:PT1H}") Duration interval) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
    this.retention = properties.retention();
    this.leases = leases;
    this.lease = interval.multipliedBy(2);
  }

  @Scheduled(
      initialDelayString = "${hookflow.retention-initial-delay:PT1M}",
      fixedDelayString = "${hookflow.retention-interval:PT1H}")
  void scheduled() {
    OptionalInt pruned = pruneUnderLease();
    if (pruned.isEmpty()) {
      log.debug("Another instance holds the {} lease; not pruning", LEASE);
    } else if (pruned.getAsInt() > 0) {
      log.info("Pruned {} event(s) older than {} with their runs", pruned.getAsInt(), retention);
    }
  }

  /**
   * Prunes if this instance holds, or can take, the lease, which is renewed before each further
   * batch; empty when another instance holds it.
   */
  OptionalInt pruneUnderLease() {
    BooleanSupplier held = () -> leases.take(LEASE, lease);
    return held.getAsBoolean() ? OptionalInt.of(prune(held)) : OptionalInt.empty();
  }

  /** Prunes what is older than the retention, now; the number of events pruned. */
  int prune() {
    return prune(() -> true);
  }

  /** As {@link #prune()}, stopping between batches once {@code goOn} says no. */
  private int prune(BooleanSupplier goOn) {
    if (retention.isZero() || retention.isNegative()) {
      return 0;
    }
    long cutoff = clock.millis() - retention.toMillis();
    int total = 0;
    while (true) {
      Integer pruned = transactions.execute(tx -> pruneBatch(cutoff));
      total += pruned;
      if (pruned < BATCH || !goOn.getAsBoolean()) {
        return total;
      }
    }
  }

  private int pruneBatch(long cutoff) {
    List<String> events = jdbc.sql(PRUNABLE).param("cutoff", cutoff).query(String.class).list();
    return events.isEmpty() ? 0 : delete(events, cutoff);
  }

  /**
   * Deletes the events found prunable, with their runs and steps, checking each run again as it
   * goes: on PostgreSQL another instance may have retried one since (SQLite's writers take turns).
   * The no-op update locks the runs still finished and old, so none of them changes from here to
   * the commit (a retry waits for it, then finds the run gone); a run that changed is kept, and so
   * is its event. Returns the number of events deleted.
   */
  int delete(List<String> events, long cutoff) {
    String old =
        " WHERE event_uuid IN (:events) AND state IN ('succeeded', 'failed')"
            + " AND updated_at < :cutoff AND created_at < :cutoff";
    jdbc.sql("UPDATE runs SET updated_at = updated_at" + old)
        .param("events", events)
        .param("cutoff", cutoff)
        .update();
    jdbc.sql("DELETE FROM run_steps WHERE run_id IN (SELECT id FROM runs" + old + ")")
        .param("events", events)
        .param("cutoff", cutoff)
        .update();
    jdbc.sql("DELETE FROM runs" + old).param("events", events).param("cutoff", cutoff).update();
    return jdbc.sql(
            "DELETE FROM events WHERE uuid IN (:events)"
                + " AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.event_uuid = events.uuid)")
        .param("events", events)
        .update();
  }
}
