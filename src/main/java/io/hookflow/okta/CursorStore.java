package io.hookflow.okta;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Where the System Log poller keeps its place, and which instance may poll. */
@Repository
class CursorStore {

  static final String SYSTEM_LOG = "system-log";

  private final JdbcClient jdbc;

  CursorStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The poller's place.
   *
   * @param nextUrl the link to request next, exactly as Okta gave it (or the first query)
   * @param filter the event type filter the link was made for
   * @param newestPublished the newest event seen, epoch millis
   * @param polledAt the last poll that Okta answered, epoch millis
   * @param readToEndAt the last poll that found no more events, epoch millis
   */
  record Cursor(
      String nextUrl, String filter, Long newestPublished, Long polledAt, Long readToEndAt) {

    /** Whether the last poll Okta answered read the log to its end (a page without events). */
    boolean caughtUp() {
      return polledAt == null || (readToEndAt != null && readToEndAt >= polledAt);
    }
  }

  Optional<Cursor> find(String name) {
    return jdbc.sql(
            "SELECT next_url, filter, newest_published, polled_at, read_to_end_at"
                + " FROM okta_cursor WHERE name = ?")
        .param(name)
        .query(
            (rs, i) ->
                new Cursor(
                    rs.getString(1),
                    rs.getString(2),
                    nullableLong(rs, 3),
                    nullableLong(rs, 4),
                    nullableLong(rs, 5)))
        .optional();
  }

  /** Makes the cursor at its first query, unless it exists (another instance may make it too). */
  void create(String name, String firstUrl, String filter, long now) {
    jdbc.sql(
            """
            INSERT INTO okta_cursor (name, next_url, filter, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (name) DO NOTHING
            """)
        .params(name, firstUrl, filter, now, now)
        .update();
  }

  /**
   * Restarts the cursor at a new first query, for a new filter; keeps the newest event seen. Only
   * the holder of the lease may: two instances with different flows would otherwise reset each
   * other's query.
   */
  void restart(String name, String owner, String firstUrl, String filter, long now) {
    int updated =
        jdbc.sql(
                "UPDATE okta_cursor SET next_url = ?, filter = ?, updated_at = ?"
                    + " WHERE name = ? AND lease_owner = ?")
            .params(firstUrl, filter, now, name, owner)
            .update();
    if (updated != 1) {
      throw new IllegalStateException("lost the lease on the " + name + " cursor");
    }
  }

  /**
   * Takes or renews the lease to poll; false while another instance holds an unexpired one. Needs
   * the row to exist.
   */
  boolean lease(String name, String owner, long now, long until) {
    return jdbc.sql(
                """
                UPDATE okta_cursor SET lease_owner = ?, lease_until = ?
                WHERE name = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)
                """)
            .params(owner, until, name, owner, now)
            .update()
        == 1;
  }

  /** Keeps the lease until {@code until}, if this instance holds it. */
  void hold(String name, String owner, long until) {
    jdbc.sql("UPDATE okta_cursor SET lease_until = ? WHERE name = ? AND lease_owner = ?")
        .params(until, name, owner)
        .update();
  }

  /**
   * Moves the cursor on; run in the transaction that stores the events fetched. Fails, and so rolls
   * the events back too, if this instance lost its lease meanwhile.
   */
  void advance(
      String name,
      String owner,
      String nextUrl,
      Long newestPublished,
      boolean readToEnd,
      long now) {
    int updated =
        jdbc.sql(
                """
                UPDATE okta_cursor
                SET next_url = ?, newest_published = ?,
                    polled_at = ?, updated_at = ?,
                    read_to_end_at = CASE WHEN ? THEN ? ELSE read_to_end_at END
                WHERE name = ? AND lease_owner = ?
                """)
            .params(nextUrl, newestPublished, now, now, readToEnd, now, name, owner)
            .update();
    if (updated != 1) {
      throw new IllegalStateException("lost the lease on the " + name + " cursor");
    }
  }

  private static Long nullableLong(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  /** Frees the lease whoever holds it: for a holder known to be gone. */
  void releaseLeftBehind(String name) {
    jdbc.sql("UPDATE okta_cursor SET lease_owner = NULL, lease_until = NULL WHERE name = ?")
        .params(name)
        .update();
  }

  void release(String name, String owner) {
    jdbc.sql(
            "UPDATE okta_cursor SET lease_owner = NULL, lease_until = NULL"
                + " WHERE name = ? AND lease_owner = ?")
        .params(name, owner)
        .update();
  }
}
