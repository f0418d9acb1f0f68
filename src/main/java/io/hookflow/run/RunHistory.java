package io.hookflow.run;

import io.hookflow.store.Statements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs for people and scripts to read, filter and retry. */
@Repository
public class RunHistory {

  private static final String COLUMNS =
      "r.id, r.flow, r.event_uuid, r.state, r.attempts, r.last_error, r.created_at, r.updated_at,"
          + " r.next_attempt_at, e.event_type, e.user_login, e.user_name, e.app_id, e.app_name";
  private static final String FROM = " FROM runs r JOIN events e ON e.uuid = r.event_uuid";

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private final RunWorkers workers;
  private final boolean postgres;

  RunHistory(
      JdbcClient jdbc, JsonMapper json, Clock clock, RunWorkers workers, Statements statements) {
    this.jdbc = jdbc;
    this.postgres = statements.postgres();
    this.json = json;
    this.clock = clock;
    this.workers = workers;
  }

  /** One page of the runs the filter lets through, newest first, each with its steps. */
  public RunPage page(RunFilter filter, int page, int size) {
    Map<String, Object> params = new HashMap<>();
    String where = where(filter, params);
    long total =
        jdbc.sql("SELECT COUNT(*)" + FROM + where).params(params).query(Long.class).single();
    params.put("limit", size);
    params.put("offset", (long) (page - 1) * size);
    List<RunView> runs =
        jdbc.sql(
                "SELECT "
                    + COLUMNS
                    + FROM
                    + where
                    + " ORDER BY r.created_at DESC, r.id LIMIT :limit OFFSET :offset")
            .params(params)
            .query(RunHistory::row)
            .list();
    return new RunPage(withSteps(runs), page, size, total);
  }

  public Optional<RunView> find(String id) {
    return jdbc.sql("SELECT " + COLUMNS + FROM + " WHERE r.id = ?")
        .param(id)
        .query(RunHistory::row)
        .optional()
        .map(run -> withSteps(List.of(run)).get(0));
  }

  /**
   * Queues a failed run for one more attempt, now; its history stays and its attempts keep
   * counting. Emails an earlier attempt sent are not sent again. False if the run was not failed.
   *
   * <p>Runs are taken longest due first, so a retry due "now" would wait behind every run already
   * waiting: minutes behind a burst's backlog when the mail server takes a few messages a second,
   * while the console says "now". It is made due just before the longest waiting run instead.
   */
  public boolean retry(String id) {
    long now = clock.millis();
    long due = now;
    for (String state : List.of("pending", "retrying")) {
      // one row, NULL when no run is in that state
      Long first =
          jdbc.sql("SELECT MIN(next_attempt_at) FROM runs WHERE state = ?")
              .param(state)
              .query(Long.class)
              .list()
              .get(0);
      if (first != null && first <= due) {
        due = first - 1;
      }
    }
    int updated =
        jdbc.sql(
                "UPDATE runs SET state = 'pending', next_attempt_at = ?, updated_at = ?"
                    + " WHERE id = ? AND state = 'failed'")
            .params(due, now, id)
            .update();
    if (updated == 1) {
      workers.wake();
    }
    return updated == 1;
  }

  /**
   * Queues every failed run the filter lets through for one more attempt, as {@link #retry} does
   * one: after a mail server or a setting that failed them all is put right. They are due now, in
   * the order of the runs waiting already.
   *
   * @return how many runs were queued
   */
  public int retryFailed(RunFilter filter) {
    Map<String, Object> params = new HashMap<>();
    String where =
        where(
            new RunFilter(
                filter.flow(),
                RunState.FAILED,
                filter.user(),
                filter.application(),
                filter.from(),
                filter.to()),
            params);
    long now = clock.millis();
    params.put("now", now);
    int updated =
        jdbc.sql(
                "UPDATE runs SET state = 'pending', next_attempt_at = :now, updated_at = :now"
                    + " WHERE state = 'failed' AND id IN (SELECT r.id"
                    + FROM
                    + where
                    + ")")
            .params(params)
            .update();
    if (updated > 0) {
      workers.wake();
    }
    return updated;
  }

  private String where(RunFilter filter, Map<String, Object> params) {
    List<String> conditions = new ArrayList<>();
    if (filter.flow() != null) {
      conditions.add("r.flow = :flow");
      params.put("flow", filter.flow());
    }
    if (filter.state() != null) {
      conditions.add("r.state = :state");
      params.put("state", filter.state().code());
    }
    if (filter.user() != null) {
      conditions.add(TextMatch.inEither("e.user_login", "e.user_name", "user", postgres));
      params.put("user", TextMatch.pattern(filter.user(), postgres));
    }
    if (filter.application() != null) {
      conditions.add(TextMatch.inEither("e.app_name", "e.app_id", "app", postgres));
      params.put("app", TextMatch.pattern(filter.application(), postgres));
    }
    if (filter.from() != null) {
      conditions.add("r.created_at >= :from");
      params.put("from", filter.from().toEpochMilli());
    }
    if (filter.to() != null) {
      conditions.add("r.created_at < :to");
      params.put("to", filter.to().toEpochMilli());
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  private List<RunView> withSteps(List<RunView> runs) {
    if (runs.isEmpty()) {
      return runs;
    }
    Map<String, List<StepView>> steps = new HashMap<>();
    jdbc.sql(
            "SELECT run_id, attempt, idx, kind, status, input, output, error, started_at,"
                + " finished_at FROM run_steps WHERE run_id IN (:ids) ORDER BY attempt, idx")
        .param("ids", runs.stream().map(RunView::id).toList())
        .query(
            rs -> {
              steps.computeIfAbsent(rs.getString("run_id"), id -> new ArrayList<>()).add(step(rs));
            });
    return runs.stream()
        .map(run -> run.withSteps(steps.getOrDefault(run.id(), List.of())))
        .toList();
  }

  private StepView step(ResultSet rs) throws SQLException {
    long started = rs.getLong("started_at");
    long finished = rs.getLong("finished_at");
    return new StepView(
        rs.getInt("attempt"),
        rs.getInt("idx"),
        rs.getString("kind"),
        rs.getString("status"),
        parse(rs.getString("input")),
        parse(rs.getString("output")),
        rs.getString("error"),
        Instant.ofEpochMilli(started),
        Instant.ofEpochMilli(finished),
        finished - started);
  }

  private JsonNode parse(String stored) {
    return stored == null ? null : json.readTree(stored);
  }

  private static RunView row(ResultSet rs, int n) throws SQLException {
    String state = rs.getString("state");
    boolean waiting = state.equals("pending") || state.equals("retrying");
    return new RunView(
        rs.getString("id"),
        rs.getString("flow"),
        rs.getString("event_uuid"),
        state,
        rs.getInt("attempts"),
        rs.getString("last_error"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")),
        waiting ? Instant.ofEpochMilli(rs.getLong("next_attempt_at")) : null,
        rs.getString("event_type"),
        rs.getString("user_login") != null ? rs.getString("user_login") : rs.getString("user_name"),
        rs.getString("app_name") != null ? rs.getString("app_name") : rs.getString("app_id"),
        List.of());
  }
}
