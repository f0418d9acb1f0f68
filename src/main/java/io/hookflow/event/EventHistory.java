package io.hookflow.event;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Stored events for people to read: newest first, counted, by source. */
@Repository
public class EventHistory {

  private static final String COLUMNS =
      "uuid, event_type, published, received_at, source, matched_flows, user_login, user_name,"
          + " app_id, app_name";

  private final JdbcClient jdbc;

  EventHistory(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A page of events, newest first; {@code eventType} narrows them when not null. */
  public List<EventRow> newest(String eventType, int offset, int limit) {
    // Conditions are left out rather than bound to NULL: PostgreSQL cannot type a NULL parameter.
    JdbcClient.StatementSpec query =
        jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM events"
                + (eventType == null ? "" : " WHERE event_type = :type")
                + " ORDER BY received_at DESC, uuid LIMIT :limit OFFSET :offset");
    if (eventType != null) {
      query = query.param("type", eventType);
    }
    return query.param("limit", limit).param("offset", offset).query(EventHistory::row).list();
  }

  public long count(String eventType) {
    if (eventType == null) {
      return jdbc.sql("SELECT COUNT(*) FROM events").query(Long.class).single();
    }
    return jdbc.sql("SELECT COUNT(*) FROM events WHERE event_type = ?")
        .param(eventType)
        .query(Long.class)
        .single();
  }

  public Optional<EventRow> find(String uuid) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM events WHERE uuid = ?")
        .param(uuid)
        .query(EventHistory::row)
        .optional();
  }

  /** Events received at or after the given time. */
  public long receivedSince(Instant since) {
    return jdbc.sql("SELECT COUNT(*) FROM events WHERE received_at >= ?")
        .param(since.toEpochMilli())
        .query(Long.class)
        .single();
  }

  /** When the newest event from a source ({@code hook}, {@code poll}) arrived, if ever. */
  public Optional<Instant> lastReceived(String source) {
    Long last =
        jdbc.sql("SELECT MAX(received_at) FROM events WHERE source = ?")
            .param(source)
            .query(Long.class)
            .optional()
            .orElse(null);
    return Optional.ofNullable(last).map(Instant::ofEpochMilli);
  }

  private static EventRow row(ResultSet rs, int n) throws SQLException {
    long published = rs.getLong("published");
    boolean hasPublished = !rs.wasNull();
    return new EventRow(
        rs.getString("uuid"),
        rs.getString("event_type"),
        hasPublished ? Instant.ofEpochMilli(published) : null,
        Instant.ofEpochMilli(rs.getLong("received_at")),
        rs.getString("source"),
        rs.getInt("matched_flows"),
        either(rs.getString("user_login"), rs.getString("user_name")),
        either(rs.getString("app_name"), rs.getString("app_id")));
  }

  private static String either(String first, String second) {
    return first != null ? first : second;
  }
}
