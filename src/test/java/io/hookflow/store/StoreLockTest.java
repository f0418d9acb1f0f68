package io.hookflow.store;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.HookflowProcess;
import io.hookflow.Mailbox;
import io.hookflow.TestInstance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** One SQLite database, one running service. */
class StoreLockTest {

  static final String FLOW = "Salesforce unassignment notice";

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  Map<String, String> properties;

  @BeforeEach
  void configure() {
    properties = TestInstance.defaultsWithMail(dir, smtp.getSmtp().getPort(), "salesforce.yaml");
  }

  @Test
  void aSecondServiceOnTheSameDatabaseDoesNotStartNorTakeTheFirstOnesRuns() {
    ObjectNode event = salesforceUnassignment();
    try (TestInstance first = TestInstance.start(properties)) {
      first.deliver(delivery(event));
      await().until(() -> first.unfinishedRuns() == 0);
      // A run of the first in the middle of an attempt, as far as the database can tell.
      first
          .jdbc()
          .sql(
              "UPDATE runs SET state = 'running', lease_owner = 'first',"
                  + " lease_until = 9999999999999")
          .update();

      // Thrown as such, before the context started anything it would wrap the failure in.
      assertThatThrownBy(() -> TestInstance.start(properties))
          .isInstanceOf(StoreInUseException.class)
          .hasMessageContaining(dir.resolve("data").resolve("hookflow.db").toString());

      assertThat(first.runState(Fixtures.uuid(event), FLOW)).isEqualTo("running");
      assertThat(first.jdbc().sql("SELECT lease_owner FROM runs").query(String.class).single())
          .isEqualTo("first");
    }
    assertThat(Mailbox.count(smtp)).isOne();
  }

  @Test
  void aCommandBesideTheServiceSharesTheDatabase() {
    try (TestInstance service = TestInstance.start(properties)) {
      properties.put("hookflow.runs.workers", "0");
      try (TestInstance command = TestInstance.start(properties)) {
        assertThat(command.bean(StoreLock.class).exclusive()).isFalse();
        assertThat(service.bean(StoreLock.class).exclusive()).isTrue();
      }
    }
  }

  @Test
  void anotherProcessIsToldWhoHoldsTheDatabase() throws Exception {
    try (TestInstance service = TestInstance.start(properties)) {
      List<String> command = HookflowProcess.command();
      properties.forEach((key, value) -> command.add("--" + key + "=" + value));
      Path log = dir.resolve("second.log");
      Process second =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean exited = second.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        second.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);

      assertThat(exited).as("the second process stopped by itself").isTrue();
      assertThat(second.exitValue()).isNotZero();
      assertThat(output)
          .contains(
              "Another hookflow (process "
                  + ProcessHandle.current().pid()
                  + ") is running on the database "
                  + dir.resolve("data").resolve("hookflow.db"))
          .contains("Several instances sharing one database need PostgreSQL")
          // Stopped before starting anything: no web server, no pool, no threads left behind.
          .doesNotContain("Tomcat", "HikariPool", "appears to have started a thread");
      assertThat(service.deliver(delivery(salesforceUnassignment())).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aServiceKilledHardLeavesTheDatabaseToTheNext() throws Exception {
    Map<String, String> own = new LinkedHashMap<>(properties);
    own.remove("server.port"); // the process gets one of its own
    HookflowProcess killed = HookflowProcess.start(own, dir.resolve("killed.log"));
    killed.kill();

    try (TestInstance next = TestInstance.start(properties)) {
      assertThat(next.bean(StoreLock.class).exclusive()).isTrue();
      assertThat(next.deliver(delivery(salesforceUnassignment())).statusCode()).isEqualTo(200);
      await().until(() -> Mailbox.count(smtp) == 1);
    }
  }
}
