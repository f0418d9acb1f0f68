package io.hookflow.store;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Down while the store refuses writes (a full disk, a lock held elsewhere, a server away): the
 * database may still answer reads, and so the data source's own check, but deliveries are refused.
 * Down too while a commit stalls, or once the SQLite database file is gone ({@link StoreWatch}).
 */
@Component("storeHealthIndicator")
class StoreHealth implements HealthIndicator {

  private final GroupCommit writer;
  private final StoreWatch watch;

  StoreHealth(GroupCommit writer, StoreWatch watch) {
    this.writer = writer;
    this.watch = watch;
  }

  @Override
  public Health health() {
    GroupCommit.Outage outage = writer.outage();
    if (outage == null) {
      String problem = watch.problem();
      return problem == null
          ? Health.up().build()
          : Health.down().withDetail("error", problem).build();
    }
    return Health.down()
        .withDetail("writesRefusedSince", outage.since().toString())
        .withDetail("error", outage.cause())
        .build();
  }
}
