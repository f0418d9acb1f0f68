package io.hookflow.run;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Runs counted: by state over a period, and per day for a chart. */
@Repository
public class RunStats {

  private static final long DAY = 86_400_000L;

  private final JdbcClient jdbc;
  private final Clock clock;

  RunStats(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** How many runs created at or after the given time are in each state, by state code. */
  public Map<String, Long> countsSince(Instant since) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (RunState state : RunState.values()) {
      counts.put(state.code(), 0L);
    }
    jdbc.sql("SELECT state, COUNT(*) AS n FROM runs WHERE created_at >= ? GROUP BY state")
        .param(since.toEpochMilli())
        .query(
            rs -> {
              counts.put(rs.getString("state"), rs.getLong("n"));
            });
    return counts;
  }

  /** Runs created per UTC day (oldest first, {@code days} of them up to today), by state. */
  public List<Day> daily(int days) {
    long today = clock.millis() / DAY;
    Map<Long, Map<String, Long>> counts = new HashMap<>();
    jdbc.sql(
            "SELECT created_at / 86400000 AS day, state, COUNT(*) AS n FROM runs"
                + " WHERE created_at >= ? GROUP BY created_at / 86400000, state")
        .param((today - days + 1) * DAY)
        .query(
            rs -> {
              counts
                  .computeIfAbsent(rs.getLong("day"), d -> new HashMap<>())
                  .merge(rs.getString("state"), rs.getLong("n"), Long::sum);
            });
    List<Day> result = new ArrayList<>();
    for (long day = today - days + 1; day <= today; day++) {
      Map<String, Long> of = counts.getOrDefault(day, Map.of());
      long succeeded = of.getOrDefault("succeeded", 0L);
      long failed = of.getOrDefault("failed", 0L);
      long total = of.values().stream().mapToLong(Long::longValue).sum();
      result.add(new Day(LocalDate.ofEpochDay(day), succeeded, failed, total - succeeded - failed));
    }
    return result;
  }

  /** Runs created on one UTC day: succeeded, failed, and still under way. */
  public record Day(LocalDate date, long succeeded, long failed, long open) {

    public long total() {
      return succeeded + failed + open;
    }
  }
}
