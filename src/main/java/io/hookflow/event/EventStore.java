package io.hookflow.event;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

/** Stored events, one row per Okta event uuid. */
@Repository
public class EventStore {

  private final JdbcClient jdbc;

  EventStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores an event unless its uuid is known; true if it was new. */
  boolean insertIfNew(OktaEvent event, String payload, String source, long now, int matched) {
    return jdbc.sql(
                """
                INSERT INTO events (uuid, event_type, published, received_at, source, matched_flows,
                  payload, user_login, user_name, app_id, app_name)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (uuid) DO NOTHING
                """)
            .params(
                event.uuid(),
                event.eventType(),
                event.published().map(p -> p.toEpochMilli()).orElse(null),
                now,
                source,
                matched,
                payload,
                event.subjectUser().map(u -> text(u, "alternateId")).orElse(null),
                event.subjectUser().map(u -> text(u, "displayName")).orElse(null),
                event.target("AppInstance").map(a -> text(a, "id")).orElse(null),
                event.target("AppInstance").map(a -> text(a, "alternateId")).orElse(null))
            .update()
        == 1;
  }

  private static String text(JsonNode node, String field) {
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
