package io.hookflow.okta;

import static io.hookflow.okta.SystemLogPollingTest.LOGS;
import static io.hookflow.okta.SystemLogPollingTest.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.HookflowProcess;
import io.hookflow.Postgres;
import io.hookflow.TestInstance;
import io.hookflow.lease.Leases;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two instances on one PostgreSQL, both told to poll: one polls, and when it stops or is killed the
 * other takes over from the stored cursor, with every event mailed once.
 */
class PollingOnSeveralInstancesTest {

  static final String HOLDER =
      "SELECT lease_owner FROM okta_cursor WHERE name = '" + CursorStore.SYSTEM_LOG + "'";
  static final String CURSOR =
      "SELECT filter FROM okta_cursor WHERE name = '" + CursorStore.SYSTEM_LOG + "'";
  static final String UNFINISHED_RUNS =
      "SELECT COUNT(*) FROM runs WHERE state NOT IN ('succeeded', 'failed')";

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  final OktaStub okta = new OktaStub(Clock.systemUTC());
  final List<TestInstance> instances = new ArrayList<>();
  final List<String> logged = new ArrayList<>();

  @AfterEach
  void stop() {
    instances.forEach(TestInstance::close);
    okta.close();
  }

  @Test
  void oneInstancePollsAndAnotherTakesOverWhenItStops() throws Exception {
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

  @Test
  void aStandingInstanceWithOtherFlowsLeavesThePollingOnesQueryAlone() throws Exception {
    okta.pageSize(2).log(logged(logged, events(2)));
    String database = Postgres.newDatabase();
    TestInstance a = start(database);
    await().until(() -> smtp.getReceivedMessages().length == 2);
    await().until(() -> owner(a).equals(holder(a)));
    String query = query(database, CURSOR);

    Path otherFlows = Files.createDirectories(dir.resolve("other-flows"));
    Files.writeString(
        otherFlows.resolve("deactivated.yaml"),
        "name: Deactivated\ntrigger:\n  event: user.lifecycle.deactivate\nsteps:\n"
            + "  - email:\n      to: [it@example.test]\n      subject: Deactivated\n"
            + "      body: \"{{user.alternateId}}\"\n");
    Map<String, String> properties = properties(database);
    properties.put("hookflow.flows", otherFlows.toString());
    TestInstance b = TestInstance.start(properties);
    instances.add(b);
    await().until(() -> status(b).details().get("standby").equals(true));
    int requests = okta.requests(LOGS).size();
    await().until(() -> okta.requests(LOGS).size() >= requests + 3);

    assertThat(holder(a)).isEqualTo(owner(a));
    assertThat(query(database, CURSOR)).isEqualTo(query);
    assertThat(okta.requests(LOGS).subList(requests, okta.requests(LOGS).size()))
        .allSatisfy(
            request ->
                assertThat(request.query("filter"))
                    .isEqualTo("eventType eq \"application.user_membership.remove\""));
  }

  @Test
  void whenThePollingInstanceIsKilledAnotherTakesOverOnceItsLeaseRunsOut() throws Exception {
    okta.pageSize(2).log(logged(logged, events(4)));
    String database = Postgres.newDatabase();
    Map<String, String> properties = properties(database);
    properties.remove("server.port");
    properties.put("hookflow.runs.lease", "3s");
    try (HookflowProcess a = process(properties, "a");
        HookflowProcess b = process(properties, "b")) {
      await().atMost(Duration.ofMinutes(1)).until(() -> mailedEvents().size() == 4);
      // Killed with no send under way, so that nothing may be mailed twice.
      await().until(() -> query(database, UNFINISHED_RUNS).equals("0"));
      String holder = await().until(() -> query(database, HOLDER), h -> h != null);
      HookflowProcess polling = holder.contains("/" + a.pid() + "/") ? a : b;
      assertThat(holder).contains("/" + polling.pid() + "/");

      polling.kill();
      okta.log(logged(logged, events(3)));

      // The poller's lease lasts 30s at least; then the other instance reads on from the cursor.
      await().atMost(Duration.ofSeconds(90)).until(() -> mailedEvents().size() >= 7);
      int requests = okta.requests(LOGS).size();
      await().until(() -> okta.requests(LOGS).size() >= requests + 3);
      assertThat(query(database, HOLDER)).doesNotContain("/" + polling.pid() + "/");
    }
    assertThat(mailedEvents()).containsExactlyInAnyOrderElementsOf(logged);
  }

  private HookflowProcess process(Map<String, String> properties, String name) {
    return HookflowProcess.start(
        properties, dir.resolve(name + ".log"), "-Dokta.testing.disableHttpsCheck=true");
  }

  /** The first column of the first row the query gives, or null. */
  private static String query(String database, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(database, Postgres.user(), "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private TestInstance start(String database) {
    TestInstance instance = TestInstance.start(properties(database));
    instances.add(instance);
    return instance;
  }

  private Map<String, String> properties(String database) {
    // All in one data folder, as services started from one folder on one host would be.
    Map<String, String> properties =
        SystemLogPollingTest.polling(dir, okta, smtp.getSmtp().getPort());
    properties.put("spring.datasource.url", database);
    properties.put("spring.datasource.username", Postgres.user());
    return properties;
  }

  /** The instance holding the poller's lease. */
  private static TestInstance polling(TestInstance a, TestInstance b) {
    String holder = holder(a);
    assertThat(holder).isIn(owner(a), owner(b));
    return holder.equals(owner(a)) ? a : b;
  }

  private static String holder(TestInstance instance) {
    return instance.jdbc().sql(HOLDER).query(String.class).single();
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
