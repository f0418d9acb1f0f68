package io.hookflow.event;

import io.hookflow.store.Statements;
import java.sql.Types;
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
