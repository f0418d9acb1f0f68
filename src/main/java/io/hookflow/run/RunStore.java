package io.hookflow.run;

import io.hookflow.store.Statements;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs and their step history. The same SQL serves SQLite and PostgreSQL; PostgreSQL adds {@code
 * FOR UPDATE SKIP LOCKED} so that instances sharing it claim different runs without waiting.
 */
@Repository
public class RunStore {

  /** Run ids named in one statement: well within what either database binds at once. */
  private static final int IDS_AT_ONCE = 500;

  /**
   * Takes a run for one attempt if it is still due: waiting and its time has come, or running under
   * a lease that expired.
   */
  private static final String TAKE =
      """
      UPDATE runs SET state = 'running', attempts = ?, lease_owner = ?, lease_until = ?,
        updated_at = ?
      WHERE id = ? AND attempts = ?
        AND ((state IN ('pending', 'retrying') AND next_attempt_at <= ?)
          OR (state = 'running' AND lease_until < ?))
      """;

  private static final String INSERT_RUN =
      """
      INSERT INTO runs (id, event_uuid, flow, state, attempts, next_attempt_at,
        lease_owner, lease_until, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (event_uuid, flow) DO NOTHING
      """;
  private static final String FINISH =
      """
      UPDATE runs SET state = ?, next_attempt_at = ?, last_error = ?,
        lease_owner = NULL, lease_until = NULL, updated_at = ?
      WHERE id = ? AND lease_owner = ? AND attempts = ?
      """;
  private static final String INSERT_STEP =
      """
      INSERT INTO run_steps (run_id, attempt, idx, kind, step_key, status, input, output, error,
        started_at, finished_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (run_id, attempt, idx) DO NOTHING
      """;

  /**
   * {@link #INSERT_RUN} for a whole list on PostgreSQL, in one execution (so is {@link
   * #INSERT_STEPS}): a batch runs a statement once per row, and with the events' statement that
   * cost a quarter to a third of the server's time per event. Which runs were inserted is told by
   * the ids returned.
   *
   * <p>The updates ({@link #TAKE}, {@link #FINISH}) stay one execution per row: as a join with
   * {@code unnest(...)} PostgreSQL plans them once for good (a generic plan), and a plan made while
   * the table was small hashes the whole table on every execution once it is not.
   */
  private static final String INSERT_RUNS =
      """
      INSERT INTO runs (id, event_uuid, flow, state, attempts, next_attempt_at,
        lease_owner, lease_until, created_at, updated_at)
      SELECT r.id, r.event_uuid, r.flow, r.state, r.attempts, ?, r.lease_owner, r.lease_until, ?, ?
      FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::integer[],
          ?::varchar[], ?::bigint[])
        AS r (id, event_uuid, flow, state, attempts, lease_owner, lease_until)
      ON CONFLICT (event_uuid, flow) DO NOTHING
      RETURNING id
      """;

  private static final String INSERT_STEPS =
      """
      INSERT INTO run_steps (run_id, attempt, idx, kind, step_key, status, input, output, error,
        started_at, finished_at)
      SELECT * FROM unnest(?::varchar[], ?::integer[], ?::integer[], ?::varchar[], ?::varchar[],
        ?::varchar[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
      ON CONFLICT (run_id, attempt, idx) DO NOTHING
      """;

  /** Due runs of one state (1), due at (2), at most (3); read by column number in {@link #due}. */
  private static final String DUE_COLUMNS =
      "SELECT r.id, r.event_uuid, r.flow, r.attempts, e.payload, %s AS due_at FROM runs r"
          + " LEFT JOIN events e ON e.uuid = r.event_uuid WHERE r.state = ? AND %s"
          + " ORDER BY %s LIMIT ?";

  private static final String WAITING =
      DUE_COLUMNS.formatted("r.next_attempt_at", "r.next_attempt_at <= ?", "r.next_attempt_at");
  private static final String EXPIRED =
      DUE_COLUMNS.formatted("r.lease_until", "r.lease_until < ?", "r.lease_until");

  private final JdbcClient jdbc;
  private final Statements statements;
  private final TransactionTemplate transactions;
  private final boolean postgres;
  private final String waiting;
  private final String expired;

  /**
   * The statements every run passes through bind their values by hand through {@code statements}:
   * Spring's generic binding looks up each value's SQL type, a tenth of a run's cost; and each is
   * prepared once per database connection. So are the claims' queries, which read their columns by
   * number.
   */
  RunStore(JdbcClient jdbc, Statements statements, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.statements = statements;
    this.transactions = transactions;
    this.postgres = statements.postgres();
    String lock = postgres ? " FOR UPDATE OF r SKIP LOCKED" : "";
    this.waiting = WAITING + lock;
    this.expired = EXPIRED + lock;
  }

  /** A run to add for an event and a flow; claimed by {@code owner} when not null. */
  public record NewRun(String eventUuid, String flow, String owner) {

    boolean claimed() {
      return owner != null;
    }

    /** The state it is stored in: running under its owner's lease, or pending. */
    String state() {
      return claimed() ? "running" : "pending";
    }

    /** Attempts started: its first, if it is claimed. */
    int attempts() {
      return claimed() ? 1 : 0;
    }
  }

  /**
   * Adds the runs as {@link #create} does, in one batch; the new runs' ids in order, null for each
   * run that existed.
   */
  public List<String> createAll(List<NewRun> runs, long now, long leaseUntil) {
    List<Row> rows = runs.stream().map(run -> new Row(RunIds.next(now), run)).toList();
    if (rows.isEmpty()) {
      return List.of();
    }
    if (postgres) {
      return insertAll(rows, now, leaseUntil);
    }
    int[] created =
        statements.batch(
            INSERT_RUN,
            rows,
            (statement, row) -> {
              NewRun run = row.run();
              statement.setString(1, row.id());
              statement.setString(2, run.eventUuid());
              statement.setString(3, run.flow());
              statement.setString(4, run.state());
              statement.setInt(5, run.attempts());
              statement.setLong(6, now);
              statement.setString(7, run.owner());
              if (run.claimed()) {
                statement.setLong(8, leaseUntil);
              } else {
                statement.setNull(8, Types.BIGINT);
              }
              statement.setLong(9, now);
              statement.setLong(10, now);
            });
    List<String> ids = new ArrayList<>(rows.size());
    for (int i = 0; i < created.length; i++) {
      ids.add(created[i] == 1 ? rows.get(i).id() : null);
    }
    return ids;
  }

  private List<String> insertAll(List<Row> rows, long now, long leaseUntil) {
    int n = rows.size();
    String[] ids = new String[n];
    String[] events = new String[n];
    String[] flows = new String[n];
    String[] states = new String[n];
    int[] attempts = new int[n];
    String[] owners = new String[n];
    Long[] leases = new Long[n];
    for (int i = 0; i < n; i++) {
      NewRun run = rows.get(i).run();
      ids[i] = rows.get(i).id();
      events[i] = run.eventUuid();
      flows[i] = run.flow();
      states[i] = run.state();
      attempts[i] = run.attempts();
      owners[i] = run.owner();
      leases[i] = run.claimed() ? leaseUntil : null;
    }
    boolean[] created =
        statements.returning(
            INSERT_RUNS,
            ids,
            statement -> {
              statement.setLong(1, now);
              statement.setLong(2, now);
              statement.setLong(3, now);
              statement.setObject(4, ids);
              statement.setObject(5, events);
              statement.setObject(6, flows);
              statement.setObject(7, states);
              statement.setObject(8, attempts);
              statement.setObject(9, owners);
              statement.setObject(10, leases);
            });
    List<String> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      result.add(created[i] ? ids[i] : null);
    }
    return result;
  }

  /** A run to insert, with the id it gets. */
  private record Row(String id, NewRun run) {}

  /** Takes the run that is due first, if any, for one attempt under a lease. */
  Optional<Claim> claim(String owner, long now, long leaseUntil) {
    return claim(owner, now, leaseUntil, 1).stream().findFirst();
  }

  /**
   * Takes up to {@code limit} due runs, the longest due first, each for one attempt, with their
   * stored events.
   *
   * <p>Each kind of due run is read by its own query, which walks the {@code runs_due} index in
   * order and stops after {@code limit} rows: one query for all of them (an {@code OR} of the
   * three) would sort every due run on each claim, and a backlog of 100,000 pending runs made each
   * claim cost tens of milliseconds on the store's single writer.
   */
  List<Claim> claim(String owner, long now, long leaseUntil, int limit) {
    return claim(owner, now, leaseUntil, limit, true, Set.of());
  }

  /**
   * As {@link #claim(String, long, long, int)}; runs whose lease expired are among them only if
   * {@code expiredToo}. Looking for those walks every running run (the index orders them by when
   * they were due, not by their lease), so workers claiming many times a second look for them only
   * now and then. Runs in {@code held} are not taken however long their lease expired: the caller
   * still has them (their end waits to be recorded while the store refused writes, and their lease
   * ran out meanwhile), and taking one would run it again.
   */
  List<Claim> claim(
      String owner, long now, long leaseUntil, int limit, boolean expiredToo, Set<String> held) {
    return transactions.execute(
        tx -> {
          List<Due> candidates = new ArrayList<>();
          candidates.addAll(due(waiting, "pending", owner, now, limit));
          candidates.addAll(due(waiting, "retrying", owner, now, limit));
          if (expiredToo) {
            candidates.addAll(due(expired, "running", owner, now, limit));
          }
          candidates.sort(Comparator.comparingLong(Due::at));
          List<Claim> due =
              candidates.stream()
                  .map(Due::claim)
                  .filter(claim -> !held.contains(claim.runId()))
                  .limit(limit)
                  .toList();
          int[] updated =
              statements.batch(
                  TAKE,
                  due,
                  (statement, claim) -> {
                    statement.setInt(1, claim.attempt());
                    statement.setString(2, owner);
                    statement.setLong(3, leaseUntil);
                    statement.setLong(4, now);
                    statement.setString(5, claim.runId());
                    statement.setInt(6, claim.attempt() - 1);
                    statement.setLong(7, now);
                    statement.setLong(8, now);
                  });
          List<Claim> taken = new ArrayList<>(due.size());
          for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 1) {
              taken.add(due.get(i));
            }
          }
          return taken;
        });
  }

  /** A run that is due, and since when. */
  private record Due(Claim claim, long at) {}

  private List<Due> due(String query, String state, String owner, long now, int limit) {
    return statements.query(
        query,
        statement -> {
          statement.setString(1, state);
          statement.setLong(2, now);
          statement.setInt(3, limit);
        },
        (rs, n) ->
            new Due(
                new Claim(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getInt(4) + 1,
                    owner,
                    null,
                    rs.getBytes(5)),
                rs.getLong(6)));
  }

  /**
   * Records the end of an attempt and its steps; false, and nothing recorded, if the lease was lost
   * to another worker meanwhile.
   */
  boolean finish(Claim claim, Outcome outcome, long now) {
    return finishAll(List.of(new Finished(claim, outcome)), now)[0];
  }

  /** An attempt as it ended, to record. */
  record Finished(Claim claim, Outcome outcome) {}

  /**
   * Records the ends of many attempts as {@link #finish} does, with one batch of run updates and
   * one of step records: on PostgreSQL a round trip each instead of three per run.
   *
   * @return for each attempt in order, whether it was recorded
   */
  boolean[] finishAll(List<Finished> finished, long now) {
    return transactions.execute(
        tx -> {
          int[] updated =
              statements.batch(
                  FINISH,
                  finished,
                  (statement, end) -> {
                    Outcome outcome = end.outcome();
                    Claim claim = end.claim();
                    statement.setString(1, outcome.state().code());
                    statement.setLong(
                        2,
                        outcome.nextAttempt() == null ? now : outcome.nextAttempt().toEpochMilli());
                    statement.setString(3, outcome.error());
                    statement.setLong(4, now);
                    statement.setString(5, claim.runId());
                    statement.setString(6, claim.owner());
                    statement.setInt(7, claim.attempt());
                  });
          boolean[] recorded = new boolean[finished.size()];
          List<StepRow> steps = new ArrayList<>();
          for (int i = 0; i < recorded.length; i++) {
            recorded[i] = updated[i] == 1;
            if (recorded[i]) {
              Claim claim = finished.get(i).claim();
              finished
                  .get(i)
                  .outcome()
                  .steps()
                  .forEach(step -> steps.add(new StepRow(claim, step)));
            }
          }
          insertSteps(steps);
          return recorded;
        });
  }

  /**
   * Records one step of an attempt under way (a sent message, with more steps to come), so that an
   * attempt cut off later does not repeat it; the attempt's end records it again, which is then
   * nothing.
   */
  void recordStep(Claim claim, StepRecord step) {
    insertSteps(List.of(new StepRow(claim, step)));
  }

  /** Inserts the step records: on SQLite one execution each in a batch. */
  private void insertSteps(List<StepRow> steps) {
    if (steps.isEmpty()) {
      return;
    }
    if (postgres) {
      insertAllSteps(steps);
      return;
    }
    statements.batch(
        INSERT_STEP,
        steps,
        (statement, row) -> {
          StepRecord step = row.step();
          statement.setString(1, row.claim().runId());
          statement.setInt(2, row.claim().attempt());
          statement.setInt(3, step.index());
          statement.setString(4, step.kind());
          statement.setString(5, step.key());
          statement.setString(6, step.status());
          statement.setString(7, step.input());
          statement.setString(8, step.output());
          statement.setString(9, step.error());
          statement.setLong(10, step.startedAt());
          statement.setLong(11, step.finishedAt());
        });
  }

  /** Inserts the step records in one execution (PostgreSQL). */
  private void insertAllSteps(List<StepRow> steps) {
    int n = steps.size();
    String[] runIds = new String[n];
    int[] attempts = new int[n];
    int[] indexes = new int[n];
    String[] kinds = new String[n];
    String[] keys = new String[n];
    String[] statuses = new String[n];
    String[] inputs = new String[n];
    String[] outputs = new String[n];
    String[] errors = new String[n];
    long[] started = new long[n];
    long[] ended = new long[n];
    for (int i = 0; i < n; i++) {
      StepRecord step = steps.get(i).step();
      runIds[i] = steps.get(i).claim().runId();
      attempts[i] = steps.get(i).claim().attempt();
      indexes[i] = step.index();
      kinds[i] = step.kind();
      keys[i] = step.key();
      statuses[i] = step.status();
      inputs[i] = step.input();
      outputs[i] = step.output();
      errors[i] = step.error();
      started[i] = step.startedAt();
      ended[i] = step.finishedAt();
    }
    statements.update(
        INSERT_STEPS,
        statement -> {
          statement.setObject(1, runIds);
          statement.setObject(2, attempts);
          statement.setObject(3, indexes);
          statement.setObject(4, kinds);
          statement.setObject(5, keys);
          statement.setObject(6, statuses);
          statement.setObject(7, inputs);
          statement.setObject(8, outputs);
          statement.setObject(9, errors);
          statement.setObject(10, started);
          statement.setObject(11, ended);
        });
  }

  /** A step record and the attempt it belongs to. */
  private record StepRow(Claim claim, StepRecord step) {}

  /** The steps with effects outside that succeeded in earlier attempts of a run. */
  DoneEffects doneEffects(String runId) {
    Map<String, String> byKey = new HashMap<>();
    Map<Integer, String> byIndex = new HashMap<>();
    jdbc.sql(
            "SELECT idx, step_key, output FROM run_steps WHERE run_id = ? AND status = 'done'"
                + " AND (step_key IS NOT NULL OR kind = 'email')")
        .param(runId)
        .query(
            rs -> {
              String key = rs.getString("step_key");
              if (key != null) {
                byKey.put(key, rs.getString("output"));
              } else {
                byIndex.put(rs.getInt("idx"), rs.getString("output"));
              }
            });
    return new DoneEffects(byKey, byIndex);
  }

  /**
   * Extends the leases of the runs an owner still holds: an instance that is alive keeps its runs,
   * however long an attempt takes; one that died stops renewing and loses them, and so does a run
   * the instance let go of (not among {@code runIds}).
   */
  int renewLeases(String owner, long until, List<String> runIds) {
    return inSlices(
        runIds,
        some ->
            jdbc.sql(
                    "UPDATE runs SET lease_until = :until WHERE lease_owner = :owner"
                        + " AND state = 'running' AND id IN (:ids)")
                .param("until", until)
                .param("owner", owner)
                .param("ids", some)
                .update());
  }

  /**
   * Gives runs an owner claimed but never started back to the store, due now and as not attempted
   * (the claim counted an attempt); returns how many it gave back.
   */
  int giveBack(String owner, List<String> runIds, long now) {
    return inSlices(
        runIds,
        some ->
            jdbc.sql(
                    "UPDATE runs SET state = 'pending', attempts = attempts - 1,"
                        + " lease_owner = NULL, lease_until = NULL, next_attempt_at = :now,"
                        + " updated_at = :now"
                        + " WHERE lease_owner = :owner AND state = 'running' AND id IN (:ids)")
                .param("now", now)
                .param("owner", owner)
                .param("ids", some)
                .update());
  }

  /** Runs an update for the ids a slice at a time, as many as a statement binds; rows changed. */
  private static int inSlices(List<String> runIds, ToIntFunction<List<String>> update) {
    int changed = 0;
    for (int from = 0; from < runIds.size(); from += IDS_AT_ONCE) {
      changed +=
          update.applyAsInt(runIds.subList(from, Math.min(runIds.size(), from + IDS_AT_ONCE)));
    }
    return changed;
  }

  /** Frees every leased run at once: on a store locked for this process, none can be another's. */
  int releaseAll(long now) {
    return jdbc.sql(
            "UPDATE runs SET state = 'pending', lease_owner = NULL, lease_until = NULL,"
                + " next_attempt_at = ?, updated_at = ? WHERE state = 'running'")
        .params(now, now)
        .update();
  }

  /** How many runs are in each state. */
  public Map<RunState, Long> countByState() {
    Map<RunState, Long> counts = new HashMap<>();
    for (RunState state : RunState.values()) {
      counts.put(state, 0L);
    }
    jdbc.sql("SELECT state, COUNT(*) AS n FROM runs GROUP BY state")
        .query(
            rs -> {
              counts.put(RunState.of(rs.getString("state")), rs.getLong("n"));
            });
    return counts;
  }

  /** The runs of an event, oldest first: id, flow, state, attempts, last error. */
  public List<RunSummary> runsOf(String eventUuid) {
    return jdbc.sql(
            "SELECT id, event_uuid, flow, state, attempts, last_error FROM runs"
                + " WHERE event_uuid = ? ORDER BY created_at, flow")
        .param(eventUuid)
        .query(
            (rs, n) ->
                new RunSummary(
                    rs.getString("id"),
                    rs.getString("event_uuid"),
                    rs.getString("flow"),
                    RunState.of(rs.getString("state")),
                    rs.getInt("attempts"),
                    rs.getString("last_error")))
        .list();
  }
}
