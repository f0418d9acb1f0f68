package io.hookflow.retention;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.MutableClock;
import io.hookflow.Postgres;
import io.hookflow.TestInstance;
import io.hookflow.lease.Leases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two instances on one PostgreSQL: one prunes, and another once that one is gone. */
class RetentionOnSeveralInstancesTest {

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  /** Long enough for events to grow older than the retention within one lease. */
  static final Duration INTERVAL = Duration.ofDays(50);

  @TempDir Path dir;
  final MutableClock clock = MutableClock.Source.CLOCK;
  TestInstance a;
  TestInstance b;

  @BeforeEach
  void start() {
    String database = Postgres.newDatabase();
    a = start(database, "a");
    b = start(database, "b");
  }

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    b.close();
  }

  @Test
  void onlyTheInstanceHoldingTheLeasePrunes() {
    assertThat(retention(a).pruneUnderLease()).hasValue(0);
    deliverAndRun(b);
    clock.advance(Duration.ofDays(40));

    assertThat(retention(b).pruneUnderLease()).isEmpty();
    assertThat(b.count("events")).as("b pruned nothing").isOne();
    assertThat(retention(a).pruneUnderLease()).hasValue(1);

    assertThat(b.bean(Leases.class).holder(Retention.LEASE)).contains(owner(a));
  }

  @Test
  void whenTheInstanceThatPrunesStopsAnotherTakesOverAtOnce() {
    assertThat(retention(a).pruneUnderLease()).hasValue(0);
    deliverAndRun(b);
    clock.advance(Duration.ofDays(40));
    assertThat(retention(b).pruneUnderLease()).isEmpty();

    a.close();
    a = null;

    assertThat(retention(b).pruneUnderLease()).hasValue(1);
    assertThat(b.count("events")).isZero();
  }

  @Test
  void whenTheInstanceThatPrunesDiesAnotherTakesOverOnceItsLeaseRunsOut() {
    assertThat(retention(a).pruneUnderLease()).hasValue(0);
    deliverAndRun(b);
    // a does not prune again, as if dead; its lease lasts two intervals.
    clock.advance(INTERVAL.multipliedBy(2));
    assertThat(retention(b).pruneUnderLease()).isEmpty();

    clock.advance(Duration.ofMillis(1));

    assertThat(retention(b).pruneUnderLease()).hasValue(1);
    assertThat(retention(a).pruneUnderLease()).isEmpty();
    assertThat(b.bean(Leases.class).holder(Retention.LEASE)).contains(owner(b));
  }

  private TestInstance start(String database, String name) {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve(name));
    properties.put("spring.datasource.url", database);
    properties.put("spring.datasource.username", Postgres.user());
    TestInstance.mailTo(properties, smtp.getSmtp().getPort());
    properties.put("hookflow.retention", "30d");
    properties.put("hookflow.retention-interval", INTERVAL.toString());
    properties.put("hookflow.retention-initial-delay", INTERVAL.toString());
    return TestInstance.start(properties, MutableClock.Source.class);
  }

  private static Retention retention(TestInstance instance) {
    return instance.bean(Retention.class);
  }

  private static String owner(TestInstance instance) {
    return instance.bean(Leases.class).owner();
  }

  private static void deliverAndRun(TestInstance instance) {
    var event = salesforceUnassignment();
    instance.deliver(delivery(event));
    await()
        .until(
            () ->
                instance.unfinishedRuns() == 0
                    && instance
                            .jdbc()
                            .sql("SELECT COUNT(*) FROM events WHERE uuid = ?")
                            .param(Fixtures.uuid(event))
                            .query(Long.class)
                            .single()
                        == 1);
  }
}
