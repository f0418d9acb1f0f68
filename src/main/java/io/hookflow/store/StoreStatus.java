package io.hookflow.store;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether the store takes writes: the {@code store} health indicator, and the same in words for the
 * console's overview. Down while the store refuses writes (a full disk, a lock held elsewhere, a
 * server away: the database may still answer reads, and so the data source's own check, but
 * deliveries are refused), while a commit stalls, and once the SQLite database file is gone ({@link
 * StoreWatch}).
 */
@Component("storeHealthIndicator")
public class StoreStatus implements HealthIndicator {

  private final GroupCommit writer;
  private final StoreWatch watch;

  StoreStatus(GroupCommit writer, StoreWatch watch) {
    this.writer = writer;
    this.watch = watch;
  }

  /** What is wrong with the store now, as its health is down for; null while nothing is. */
  public String problem() {
    GroupCommit.Outage outage = writer.outage();
    if (outage != null) {
      return "refuses writes since " + outage.since() + ": " + outage.cause();
    }
    return watch.problem();
  }

  /**
   * Refuses new events once the SQLite database file is gone: acknowledged, they would be lost when
   * hookflow stops, while refused, Okta's retry or the System Log poller brings them again after
   * the data folder is put right. Called after a commit too, it answers for that commit: the writer
   * looks at the file after each commit, before the callers waiting for it are told.
   *
   * @throws StoreUnavailableException if the file was deleted or replaced under the service
   */
  public void requireTheFile() {
    String gone = watch.fileGone();
    if (gone != null) {
      throw new StoreUnavailableException(gone, null);
    }
  }

  @Override
  public Health health() {
    String problem = problem();
    if (problem == null) {
      return Health.up().build();
    }
    GroupCommit.Outage outage = writer.outage();
    if (outage == null) {
      return Health.down().withDetail("error", problem).build();
    }
    return Health.down()
        .withDetail("writesRefusedSince", outage.since().toString())
        .withDetail("error", outage.cause())
        .build();
  }
}
