package io.hookflow.retention;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.MutableClock;
import io.hookflow.TestInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class RetentionTest {

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  TestInstance hookflow;
  Map<String, String> properties;
  MutableClock clock = MutableClock.Source.CLOCK;

  @BeforeEach
  void start() {
    properties = TestInstance.defaultsWithMail(dir, smtp.getSmtp().getPort(), "salesforce.yaml");
    properties.put("hookflow.retention", "30");
    hookflow = TestInstance.start(properties, MutableClock.Source.class);
  }

  @AfterEach
  void stop() {
    hookflow.close();
  }

  @Test
  void aRetentionUnderADayIsRefusedAtStart() {
    // Beside the instance already running: on its database the store's lock would refuse first.
    properties =
        TestInstance.defaultsWithMail(
            dir.resolve("other"), smtp.getSmtp().getPort(), "salesforce.yaml");
    properties.put("hookflow.retention", "2h");

    assertThatThrownBy(() -> TestInstance.start(properties))
        .rootCause()
        .hasMessageContaining("hookflow.retention is PT2H; keep events at least a day");
  }

  @Test
  void eventsAndRunsOlderThanTheRetentionArePrunedAndNothingNewer() {
    ObjectNode old = deliverAndRun();
    clock.advance(Duration.ofDays(10));
    ObjectNode recent = deliverAndRun();
    Retention retention = hookflow.bean(Retention.class);

    clock.advance(Duration.ofDays(29));
    assertThat(retention.prune()).as("the old event is 39 days old").isEqualTo(1);

    assertThat(hookflow.count("events")).isOne();
    assertThat(hookflow.count("runs")).isOne();
    assertThat(hookflow.count("run_steps")).isEqualTo(3);
    assertThat(stored(old)).isZero();
    assertThat(stored(recent)).isOne();

    clock.advance(Duration.ofDays(1));
    assertThat(retention.prune()).as("the recent event is exactly 30 days old").isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(retention.prune()).isOne();
    assertThat(hookflow.count("events")).isZero();
    assertThat(hookflow.count("run_steps")).isZero();
  }

  @Test
  void theLeaseOfAProcessThatDiedIsDroppedAtTheNextStart() {
    hookflow
        .jdbc()
        .sql(
            "INSERT INTO leases (name, owner, expires_at, taken_at)"
                + " VALUES ('retention', 'gone/1/0', 9999999999999, 0)")
        .update();
    assertThat(hookflow.bean(Retention.class).pruneUnderLease()).as("held by the other").isEmpty();
    hookflow.close();

    hookflow = TestInstance.start(properties, MutableClock.Source.class);

    assertThat(hookflow.bean(Retention.class).pruneUnderLease()).isPresent();
  }

  @Test
  void anOldEventWhoseRunChangedRecentlyIsKept() {
    ObjectNode event = deliverAndRun();
    clock.advance(Duration.ofDays(40));
    hookflow
        .jdbc()
        .sql("UPDATE runs SET updated_at = ? WHERE event_uuid = ?")
        .params(clock.millis(), Fixtures.uuid(event))
        .update();

    assertThat(hookflow.bean(Retention.class).prune()).isZero();
    assertThat(stored(event)).isOne();
  }

  @Test
  void aRunRetriedAfterItsEventWasFoundPrunableIsKeptWithItsEvent() {
    ObjectNode retried = deliverAndRun();
    ObjectNode done = deliverAndRun();
    clock.advance(Duration.ofDays(40));
    long cutoff = clock.millis() - Duration.ofDays(30).toMillis();
    List<String> prunable = List.of(Fixtures.uuid(retried), Fixtures.uuid(done));
    // As another instance's retry would, between finding the events and deleting them: under its
    // lease, so that this instance's workers leave it alone (a pending run they would take up and
    // record steps for before the counts below).
    hookflow
        .jdbc()
        .sql(
            "UPDATE runs SET state = 'running', lease_owner = 'another', lease_until = ?,"
                + " updated_at = ? WHERE event_uuid = ?")
        .params(Long.MAX_VALUE, clock.millis(), Fixtures.uuid(retried))
        .update();

    assertThat(hookflow.bean(Retention.class).delete(prunable, cutoff)).isOne();

    assertThat(stored(retried)).isOne();
    assertThat(stored(done)).isZero();
    assertThat(hookflow.count("runs")).isOne();
    assertThat(hookflow.count("run_steps")).isEqualTo(3);
  }

  private ObjectNode deliverAndRun() {
    ObjectNode event = salesforceUnassignment();
    hookflow.deliver(delivery(event));
    await().until(() -> hookflow.unfinishedRuns() == 0 && stored(event) == 1);
    return event;
  }

  private long stored(ObjectNode event) {
    return hookflow
        .jdbc()
        .sql("SELECT COUNT(*) FROM events WHERE uuid = ?")
        .param(Fixtures.uuid(event))
        .query(Long.class)
        .single();
  }
}
