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
    if (statements.postgres()) {
      return insertAllIfNew(incoming, now);
    }
    int[] inserted =
        statements.batch(
            INSERT,
            incoming,
            (statement, in) -> {
              OktaEvent event = in.event();
              JsonNode user = event.subjectUser().orElse(null);
              JsonNode app = event.target("AppInstance").orElse(null);
              statement.setString(1, event.uuid());
              statement.setString(2, event.eventType());
              if (event.published().isPresent()) {
                statement.setLong(3, event.published().get().toEpochMilli());
              } else {
                statement.setNull(3, Types.BIGINT);
              }
              statement.setLong(4, now);
              statement.setString(5, in.source());
              statement.setInt(6, in.matched());
              statement.setString(7, in.payload());
              statement.setString(8, text(user, "alternateId"));
              statement.setString(9, text(user, "displayName"));
              statement.setString(10, text(app, "id"));
              statement.setString(11, text(app, "alternateId"));
            });
    boolean[] isNew = new boolean[inserted.length];
    for (int i = 0; i < inserted.length; i++) {
      isNew[i] = inserted[i] == 1;
    }
    return isNew;
  }

  private boolean[] insertAllIfNew(List<NewEvent> incoming, long now) {
    int n = incoming.size();
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
      NewEvent in = incoming.get(i);
      OktaEvent event = in.event();
      JsonNode user = event.subjectUser().orElse(null);
      JsonNode app = event.target("AppInstance").orElse(null);
      uuids[i] = event.uuid();
      types[i] = event.eventType();
      published[i] = event.published().map(Instant::toEpochMilli).orElse(null);
      sources[i] = in.source();
      matched[i] = in.matched();
      payloads[i] = in.payload();
      userLogins[i] = text(user, "alternateId");
      userNames[i] = text(user, "displayName");
      appIds[i] = text(app, "id");
      appNames[i] = text(app, "alternateId");
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
    return value == null ? null : value.substring(0, Math.min(255, value.length()));
  }

  public Optional<String> payload(String uuid) {
    return jdbc.sql("SELECT payload FROM events WHERE uuid = ?")
        .param(uuid)
        .query(String.class)
        .optional();
  }
}
