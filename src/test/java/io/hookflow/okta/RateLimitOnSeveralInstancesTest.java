package io.hookflow.okta;

import static io.hookflow.okta.SystemLogPollingTest.LOGS;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Okta's rate limit is the org's, whichever instance asks: while the polling instance waits for it
 * to reset (longer than the poller's lease of 30 seconds), a standing instance does not take over
 * and ask in its stead.
 */
class RateLimitOnSeveralInstancesTest {

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  final OktaStub okta = new OktaStub(Clock.systemUTC());
  final MutableClock clock = MutableClock.Source.CLOCK;
  final List<TestInstance> instances = new ArrayList<>();

  @AfterEach
  void stop() {
    instances.forEach(TestInstance::close);
    okta.close();
  }

  @Test
  void aStandingInstanceLeavesARefusedPollersWaitAlone() {
    okta.rateLimit(100, Instant.now().plusSeconds(60)).log(events(2));

    noRequestWhileThePollerWaits();
  }

  @Test
  void aStandingInstanceLeavesTheRestOfTheRateLimitToOthers() {
    okta.pageSize(1).rateLimitWindow(60, Instant.now().plusSeconds(60)).log(events(3));

    noRequestWhileThePollerWaits();
  }

  /**
   * Starts one instance, which polls once and waits for the reset; then another, and moves both
   * clocks past the first one's lease: Okta is asked nothing more meanwhile.
   */
  private void noRequestWhileThePollerWaits() {
    String database = Postgres.newDatabase();
    TestInstance a = start(database);
    await().until(() -> okta.requests(LOGS).size() == 1);
    await().until(() -> owner(a).equals(holder(a)));
    TestInstance b = start(database);
    await().until(() -> b.bean(PollStatus.class).details().get("standby").equals(true));

    int requests = okta.requests(LOGS).size();
    clock.advance(Duration.ofSeconds(40));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(okta.requests(LOGS)).hasSize(requests));
  }

  /**
   * Unassignments published a few minutes ago by the instances' clock, which earlier tests in this
   * JVM may have moved on: the poller's first query starts a day before it.
   */
  private ObjectNode[] events(int count) {
    ObjectNode[] events = new ObjectNode[count];
    for (int i = 0; i < count; i++) {
      events[i] = Fixtures.unassignment("0oaTestZoom000001", "Zoom");
      events[i].put("published", clock.instant().minusSeconds(60L * (count - i)).toString());
    }
    return events;
  }

  private TestInstance start(String database) {
    Map<String, String> properties =
        SystemLogPollingTest.polling(dir, okta, smtp.getSmtp().getPort());
    properties.put("spring.datasource.url", database);
    properties.put("spring.datasource.username", Postgres.user());
    TestInstance instance = TestInstance.start(properties, MutableClock.Source.class);
    instances.add(instance);
    return instance;
  }

  private static String holder(TestInstance instance) {
    return instance.jdbc().sql(PollingOnSeveralInstancesTest.HOLDER).query(String.class).single();
  }

  private static String owner(TestInstance instance) {
    return instance.bean(Leases.class).owner();
  }
}
