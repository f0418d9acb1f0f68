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
import java.nio.file.Path;
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
