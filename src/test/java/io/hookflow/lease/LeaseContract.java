package io.hookflow.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookflow.Fixtures;
import io.hookflow.MutableClock;
import io.hookflow.TestInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What leases must do on every store, SQLite and PostgreSQL alike. */
abstract class LeaseContract {

  static final String JOB = "job";
  static final Duration MINUTE = Duration.ofMinutes(1);

  @TempDir Path dir;
  TestInstance hookflow;
  final MutableClock clock = new MutableClock();
  Leases a;
  Leases b;

  /** Settings that point the service at the store under test. */
  abstract Map<String, String> database(Path dir);

  @BeforeEach
  void start() {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve("data"));
    properties.put("hookflow.runs.workers", "0");
    properties.putAll(database(dir));
    hookflow = TestInstance.start(properties);
    a = leases("a");
    b = leases("b");
  }

  @AfterEach
  void stop() {
    hookflow.close();
  }

  @Test
  void aFreeLeaseIsTaken() {
    assertThat(a.take(JOB, MINUTE)).isTrue();

    assertThat(b.holder(JOB)).contains("a");
  }

  @Test
  void theHolderRenewsItsLease() {
    a.take(JOB, MINUTE);
    clock.advance(Duration.ofSeconds(50));

    assertThat(a.take(JOB, MINUTE)).isTrue();
    clock.advance(Duration.ofSeconds(50));

    assertThat(b.take(JOB, MINUTE)).as("renewed 50s ago for a minute").isFalse();
    assertThat(b.holder(JOB)).contains("a");
  }

  @Test
  void aHeldLeaseIsRefusedToOthers() {
    a.take(JOB, MINUTE);

    assertThat(b.take(JOB, MINUTE)).isFalse();
    clock.advance(MINUTE);
    assertThat(b.take(JOB, MINUTE)).as("until the very end").isFalse();
    assertThat(b.holder(JOB)).contains("a");
  }

  @Test
  void aLeaseNotRenewedInTimeIsTakenOver() {
    a.take(JOB, MINUTE);
    clock.advance(MINUTE.plusMillis(1));

    assertThat(a.holder(JOB)).isEmpty();
    assertThat(b.take(JOB, MINUTE)).isTrue();
    assertThat(a.take(JOB, MINUTE)).as("the old holder has lost it").isFalse();
    assertThat(a.holder(JOB)).contains("b");
  }

  @Test
  void aReleasedLeaseIsFreeAtOnceAndOnlyItsHolderReleasesIt() {
    a.take(JOB, MINUTE);

    b.release(JOB);
    assertThat(b.take(JOB, MINUTE)).isFalse();
    a.release(JOB);

    assertThat(b.take(JOB, MINUTE)).isTrue();
  }

  @Test
  void leasesOfDifferentNamesAreIndependent() {
    assertThat(a.take(JOB, MINUTE)).isTrue();
    assertThat(b.take("other", MINUTE)).isTrue();

    assertThat(a.holder("other")).contains("b");
  }

  @Test
  void ofManyTakingAFreeLeaseAtOnceOneGetsIt() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> takes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Leases contender = leases("contender-" + i);
      Callable<Boolean> take = () -> contender.take(JOB, MINUTE);
      takes.add(threads.submit(take));
    }
    int taken = 0;
    for (Future<Boolean> take : takes) {
      taken += take.get() ? 1 : 0;
    }
    threads.shutdown();

    assertThat(taken).isOne();
  }

  @Test
  void theServiceNamesItselfOnePerProcess() {
    Leases service = hookflow.bean(Leases.class);

    assertThat(service.owner()).contains("/" + ProcessHandle.current().pid() + "/");
    assertThat(service.owner().length()).isLessThanOrEqualTo(64);
  }

  private Leases leases(String owner) {
    return new Leases(hookflow.bean(JdbcClient.class), clock, owner);
  }
}
