package io.hookflow.store;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Down while the store refuses writes (a full disk, a lock held elsewhere, a server away): the
 * database may still answer reads, and so the data source's own check, but deliveries are refused.
 */
@Component("storeHealthIndicator")
class StoreHealth implements HealthIndicator {

  private final GroupCommit writer;

  StoreHealth(GroupCommit writer) {
    this.writer = writer;
  }

  @Override
  public Health health() {
    GroupCommit.Outage outage = writer.outage();
    if (outage == null) {
      return Health.up().build();
    }
    return Health.down()
        .withDetail("writesRefusedSince", outage.since().toString())
        .withDetail("error", outage.cause())
        .build();
  }
}
