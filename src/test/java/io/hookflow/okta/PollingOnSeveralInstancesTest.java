package io.hookflow.okta;

import static io.hookflow.okta.SystemLogPollingTest.LOGS;
import static io.hookflow.okta.SystemLogPollingTest.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.Postgres;
import io.hookflow.TestInstance;
import io.hookflow.lease.Leases;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two instances on one PostgreSQL, both told to poll: one polls, and when it stops the other takes
 * over from the stored cursor, with every event mailed once.
 */
class PollingOnSeveralInstancesTest {

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  final OktaStub okta = new OktaStub(Clock.systemUTC());
  final List<TestInstance> instances = new ArrayList<>();

  @AfterEach
  void stop() {
    instances.forEach(TestInstance::close);
    okta.close();
  }

  @Test
  void oneInstancePollsAndAnotherTakesOverWhenItStops() throws Exception {
    List<String> logged = new ArrayList<>();
    okta.pageSize(2).log(logged(logged, events(5)));
    String database = Postgres.newDatabase();
    TestInstance a = start(database);
    TestInstance b = start(database);

    await().until(() -> smtp.getReceivedMessages().length == 5);
    TestInstance polling = polling(a, b);
    TestInstance standing = polling == a ? b : a;
    await().until(() -> status(standing).details().get("standby").equals(true));
    int requests = okta.requests(LOGS).size();
    await().until(() -> okta.requests(LOGS).size() >= requests + 3);
    assertThat(status(standing).details()).containsEntry("standby", true);
    assertThat(holder(standing)).isEqualTo(owner(polling));

    polling.close();
    instances.remove(polling);
    okta.log(logged(logged, events(3)));

    await().until(() -> smtp.getReceivedMessages().length == 8);
    await().until(() -> standing.unfinishedRuns() == 0);
    assertThat(holder(standing)).isEqualTo(owner(standing));
    assertThat(standing.count("events")).isEqualTo(8);
    assertThat(standing.count("runs")).isEqualTo(8);
    assertThat(mailedEvents()).containsExactlyInAnyOrderElementsOf(logged);
  }

  private TestInstance start(String database) {
    // Both in one data folder, as two services started from one folder on one host would be.
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "all-apps-html.yaml"), dir.resolve("data"));
    properties.put("spring.datasource.url", database);
    properties.put("spring.datasource.username", Postgres.user());
    properties.put("spring.mail.host", "127.0.0.1");
    properties.put("spring.mail.port", String.valueOf(smtp.getSmtp().getPort()));
    properties.put("hookflow.okta.org-url", okta.orgUrl());
    properties.put("hookflow.okta.api-token", OktaStub.TOKEN);
    properties.put("hookflow.okta.poll.enabled", "true");
    properties.put("hookflow.okta.poll.interval", "200ms");
    properties.put("hookflow.okta.poll.since", "P1D");
    TestInstance instance = TestInstance.start(properties);
    instances.add(instance);
    return instance;
  }

  /** The instance holding the poller's lease. */
  private static TestInstance polling(TestInstance a, TestInstance b) {
    String holder = holder(a);
    assertThat(holder).isIn(owner(a), owner(b));
    return holder.equals(owner(a)) ? a : b;
  }

  private static String holder(TestInstance instance) {
    return instance
        .jdbc()
        .sql("SELECT lease_owner FROM okta_cursor WHERE name = ?")
        .param(CursorStore.SYSTEM_LOG)
        .query(String.class)
        .single();
  }

  private static String owner(TestInstance instance) {
    return instance.bean(Leases.class).owner();
  }

  private static PollStatus status(TestInstance instance) {
    return instance.bean(PollStatus.class);
  }

  private static ObjectNode[] logged(List<String> uuids, ObjectNode... events) {
    for (ObjectNode event : events) {
      uuids.add(Fixtures.uuid(event));
    }
    return events;
  }

  /** The event uuid of each message received, from its Message-ID. */
  private static List<String> mailedEvents() throws MessagingException {
    List<String> uuids = new ArrayList<>();
    for (MimeMessage message : smtp.getReceivedMessages()) {
      String id = message.getMessageID();
      uuids.add(id.substring(1, id.indexOf('.')));
    }
    return uuids;
  }
}
