package io.hookflow.event;

import io.hookflow.store.Statements;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

/** Stored events, one row per Okta event uuid. */
@Repository
public class EventStore {

  private static final String INSERT =
      """
      INSERT INTO events (uuid, event_type, published, received_at, source, matched_flows,
        payload, user_login, user_name, app_id, app_name)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (uuid) DO NOTHING
      """;

  /**
   * The same for a whole list on PostgreSQL, in one execution: a batch of {@link #INSERT} runs the
   * statement once per row, and with the runs' statements that cost a quarter to a third of the
   * server's time per event. Which events were new is told by the uuids returned.
   */
  private static final String INSERT_ALL =
      """
      INSERT INTO events (uuid, event_type, published, received_at, source, matched_flows,
        payload, user_login, user_name, app_id, app_name)
      SELECT e.uuid, e.event_type, e.published, ?, e.source, e.matched_flows,
        e.payload, e.user_login, e.user_name, e.app_id, e.app_name
      FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[], ?::integer[],
          ?::text[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[])
        AS e (uuid, event_type, published, source, matched_flows,
          payload, user_login, user_name, app_id, app_name)
      ON CONFLICT (uuid) DO NOTHING
      RETURNING uuid
      """;

  private final JdbcClient jdbc;
  private final Statements statements;

  EventStore(JdbcClient jdbc, Statements statements) {
    this.jdbc = jdbc;
    this.statements = statements;
  }

  /** An event to store, as it arrived, with how many flows it matched and where it came from. */
  record NewEvent(OktaEvent event, String payload, int matched, String source) {}

  /**
   * Stores each event unless its uuid is known (also earlier in the same list), in one batch;
   * whether each was new, in order. (Bound by hand, as the other statements of the hot path:
   * Spring's generic binding looks up each value's SQL type.)
   */
  boolean[] insertIfNew(List<NewEvent> incoming, long now) {
    if (incoming.isEmpty()) {
      return new boolean[0];
    }
    List<Columns> rows = incoming.stream().map(Columns::of).toList();
    if (statements.postgres()) {
      return insertAllIfNew(rows, now);
    }
    int[] inserted =
        statements.batch(
            INSERT,
            rows,
            (statement, row) -> {
              statement.setString(1, row.uuid());
              statement.setString(2, row.eventType());
              if (row.published() != null) {
                statement.setLong(3, row.published());
              } else {
                statement.setNull(3, Types.BIGINT);
              }
              statement.setLong(4, now);
              statement.setString(5, row.source());
              statement.setInt(6, row.matched());
              statement.setString(7, row.payload());
              statement.setString(8, row.userLogin());
              statement.setString(9, row.userName());
              statement.setString(10, row.appId());
              statement.setString(11, row.appName());
            });
    boolean[] isNew = new boolean[inserted.length];
    for (int i = 0; i < inserted.length; i++) {
      isNew[i] = inserted[i] == 1;
    }
    return isNew;
  }

  /** What is stored of an event, column by column, but its time of arrival. */
  private record Columns(
      String uuid,
      String eventType,
      Long published,
      String source,
      int matched,
      String payload,
      String userLogin,
      String userName,
      String appId,
      String appName) {

    static Columns of(NewEvent in) {
      OktaEvent event = in.event();
      JsonNode user = event.subjectUser().orElse(null);
      JsonNode app = event.target("AppInstance").orElse(null);
      return new Columns(
          event.uuid(),
          event.eventType(),
          event.published().map(Instant::toEpochMilli).orElse(null),
          in.source(),
          in.matched(),
          in.payload(),
          text(user, "alternateId"),
          text(user, "displayName"),
          text(app, "id"),
          text(app, "alternateId"));
    }
  }

  private boolean[] insertAllIfNew(List<Columns> rows, long now) {
    int n = rows.size();
    String[] uuids = new String[n];
    String[] types = new String[n];
    Long[] published = new Long[n];
    String[] sources = new String[n];
    int[] matched = new int[n];
    String[] payloads = new String[n];
    String[] userLogins = new String[n];
    String[] userNames = new String[n];
    String[] appIds = new String[n];
    String[] appNames = new String[n];
    for (int i = 0; i < n; i++) {
      Columns row = rows.get(i);
      uuids[i] = row.uuid();
      types[i] = row.eventType();
      published[i] = row.published();
      sources[i] = row.source();
      matched[i] = row.matched();
      payloads[i] = row.payload();
      userLogins[i] = row.userLogin();
      userNames[i] = row.userName();
      appIds[i] = row.appId();
      appNames[i] = row.appName();
    }
    return statements.returning(
        INSERT_ALL,
        uuids,
        statement -> {
          statement.setLong(1, now);
          statement.setObject(2, uuids);
          statement.setObject(3, types);
          statement.setObject(4, published);
          statement.setObject(5, sources);
          statement.setObject(6, matched);
          statement.setObject(7, payloads);
          statement.setObject(8, userLogins);
          statement.setObject(9, userNames);
          statement.setObject(10, appIds);
          statement.setObject(11, appNames);
        });
  }

  private static String text(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    String value = node.path(field).asString(null);
    if (value == null) {
      return null;
    }
    // Shown and searched in the console only; PostgreSQL's text holds no NUL.
    String kept = value.indexOf('\0') < 0 ? value : value.replace("\0", "");
    return kept.substring(0, Math.min(255, kept.length()));
  }

  public Optional<String> payload(String uuid) {
    return jdbc.sql("SELECT payload FROM events WHERE uuid = ?")
        .param(uuid)
        .query(String.class)
        .optional();
  }
}
