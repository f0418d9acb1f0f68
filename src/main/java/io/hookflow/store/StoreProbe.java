package io.hookflow.store;

import org.springframework.stereotype.Component;

/**
 * A write that needs what a delivery needs (room for a new event, the lock, the server), undone in
 * the same transaction: while the store refuses writes, the writer tries it now and then to learn,
 * without waiting for a delivery, when it takes them again.
 */
@Component
class StoreProbe {

  private static final String UUID = "hookflow-store-probe";

  /** Larger than a page, so that storing it needs room the database may not have. */
  private static final String PAYLOAD = "{\"probe\":\"" + "x".repeat(16 * 1024) + "\"}";

  private final Statements statements;

  StoreProbe(Statements statements) {
    this.statements = statements;
  }

  /**
   * Stores and deletes a stand-in event; to be run inside a transaction that commits. (Through
   * {@link Statements}, as a delivery's events are.)
   */
  void write(long now) {
    statements.update(
        "INSERT INTO events (uuid, event_type, received_at, source, matched_flows, payload)"
            + " VALUES (?, 'hookflow.store.probe', ?, 'probe', 0, ?)",
        statement -> {
          statement.setString(1, UUID);
          statement.setLong(2, now);
          statement.setString(3, PAYLOAD);
        });
    statements.update(
        "DELETE FROM events WHERE uuid = ?", statement -> statement.setString(1, UUID));
  }
}
