package io.hookflow.run;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.Mailbox;
import io.hookflow.TestInstance;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** An acknowledged event survives a stop: the next start runs what the last one did not. */
class RestartTest {

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  Map<String, String> properties;

  @BeforeEach
  void configure() {
    properties = TestInstance.defaultsWithMail(dir, smtp.getSmtp().getPort(), "salesforce.yaml");
  }

  @Test
  void pendingRunsResumeAfterARestart() {
    ObjectNode event = salesforceUnassignment();
    properties.put("hookflow.runs.workers", "0");
    try (TestInstance first = TestInstance.start(properties)) {
      assertThat(first.deliver(delivery(event)).statusCode()).isEqualTo(200);
    }
    assertThat(Mailbox.count(smtp)).isZero();

    properties.put("hookflow.runs.workers", "2");
    try (TestInstance second = TestInstance.start(properties)) {
      await().until(() -> second.unfinishedRuns() == 0);
      assertThat(second.runState(Fixtures.uuid(event), "Salesforce unassignment notice"))
          .isEqualTo("succeeded");
    }
    assertThat(Mailbox.count(smtp)).isOne();
  }

  @Test
  void runsCutOffMidwayAreTakenUpAgainAtOnce() {
    ObjectNode event = salesforceUnassignment();
    properties.put("hookflow.runs.workers", "0");
    try (TestInstance first = TestInstance.start(properties)) {
      first.deliver(delivery(event));
      // As a process killed mid-run leaves it: claimed, with a lease far from expiring.
      first
          .jdbc()
          .sql(
              "UPDATE runs SET state = 'running', attempts = 1, lease_owner = 'gone',"
                  + " lease_until = 9999999999999")
          .update();
    }

    properties.put("hookflow.runs.workers", "1");
    try (TestInstance second = TestInstance.start(properties)) {
      await().until(() -> second.unfinishedRuns() == 0);
      assertThat(second.runState(Fixtures.uuid(event), "Salesforce unassignment notice"))
          .isEqualTo("succeeded");
    }
    assertThat(Mailbox.count(smtp)).isOne();
  }

  @Test
  void aRunThatMeetsAnInstanceWithoutItsFlowWaitsForOneWithIt() {
    // As in a rolling deploy of instances sharing a database: the run of a flow just added (or
    // renamed) may be claimed by an instance that does not have the flow yet.
    ObjectNode event = salesforceUnassignment();
    String flow = "Salesforce unassignment notice";
    properties.put("hookflow.runs.workers", "0");
    properties.put("hookflow.runs.retry.max-attempts", "1000");
    try (TestInstance first = TestInstance.start(properties)) {
      first.deliver(delivery(event));
    }

    Map<String, String> withoutTheFlow = new HashMap<>(properties);
    withoutTheFlow.put(
        "hookflow.flows",
        Fixtures.flows(dir.resolve("other-flows"), "chosen-apps.yaml").toString());
    withoutTheFlow.put("hookflow.runs.workers", "1");
    try (TestInstance older = TestInstance.start(withoutTheFlow)) {
      await().until(() -> !"pending".equals(older.runState(Fixtures.uuid(event), flow)));
      assertThat(older.runState(Fixtures.uuid(event), flow)).isIn("retrying", "running");
      assertThat(
              older
                  .jdbc()
                  .sql("SELECT last_error FROM runs WHERE event_uuid = ?")
                  .param(Fixtures.uuid(event))
                  .query(String.class)
                  .single())
          .contains("flow '" + flow + "' is not defined here");
    }
    assertThat(Mailbox.count(smtp)).isZero();

    properties.put("hookflow.runs.workers", "1");
    try (TestInstance newer = TestInstance.start(properties)) {
      await().until(() -> "succeeded".equals(newer.runState(Fixtures.uuid(event), flow)));
    }
    assertThat(Mailbox.count(smtp)).isOne();
  }

  @Test
  void aRunThatCannotBeExecutedIsRetriedRatherThanLeftRunning() {
    ObjectNode event = salesforceUnassignment();
    properties.put("hookflow.runs.workers", "0");
    try (TestInstance first = TestInstance.start(properties)) {
      first.deliver(delivery(event));
      // Unreadable as it would be after a bug or a hand edit: the attempt fails before any step.
      first.jdbc().sql("UPDATE events SET payload = '{not json'").update();
    }

    properties.put("hookflow.runs.workers", "1");
    try (TestInstance second = TestInstance.start(properties)) {
      await()
          .until(
              () -> second.runState(Fixtures.uuid(event), "Salesforce unassignment notice"),
              "retrying"::equals);
      assertThat(second.jdbc().sql("SELECT last_error FROM runs").query(String.class).single())
          .startsWith("could not be executed: ");
    }
    assertThat(Mailbox.count(smtp)).isZero();
  }

  @Test
  void runsNotYetStartedGoBackToTheStoreWhenTheServiceStops() throws Exception {
    // A server that takes connections and never greets: the one run under way waits for it.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      properties = TestInstance.defaultsWithMail(dir, silent.getLocalPort(), "salesforce.yaml");
      properties.put("hookflow.runs.workers", "1");
      properties.put("spring.mail.properties.mail.smtp.timeout", "3000");
      try (TestInstance hookflow = TestInstance.start(properties)) {
        for (int i = 0; i < 10; i++) {
          hookflow.deliver(delivery(salesforceUnassignment()));
        }
        await().until(() -> hookflow.count("runs") == 10);
      }
    }

    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/hookflow.db"));
        ResultSet states =
            db.createStatement()
                .executeQuery(
                    "SELECT state, attempts, lease_owner IS NULL AS free, COUNT(*) FROM runs"
                        + " GROUP BY state, attempts, free")) {
      Map<String, Integer> counts = new HashMap<>();
      while (states.next()) {
        counts.put(
            states.getString(1) + " attempts=" + states.getInt(2) + " free=" + states.getBoolean(3),
            states.getInt(4));
      }
      // The run under way ended by its timeout (a second one may have started before the stop);
      // the ones waiting for the worker were given back, never tried.
      assertThat(counts)
          .containsOnlyKeys("pending attempts=0 free=true", "retrying attempts=1 free=true");
      assertThat(counts.get("pending attempts=0 free=true")).isGreaterThanOrEqualTo(5);
      assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
    }
  }

  @Test
  void aRetriedEventAfterARestartIsStillADuplicate() {
    ObjectNode event = salesforceUnassignment();
    try (TestInstance first = TestInstance.start(properties)) {
      first.deliver(delivery(event));
      await().until(() -> first.unfinishedRuns() == 0);
    }
    try (TestInstance second = TestInstance.start(properties)) {
      assertThat(second.deliver(delivery(event)).statusCode()).isEqualTo(200);
      assertThat(second.count("runs")).isOne();
    }
    assertThat(Mailbox.count(smtp)).isOne();
  }
}
