package io.hookflow.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.Mailbox;
import io.hookflow.Postgres;
import io.hookflow.TestInstance;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * A message sent whose run's end is not yet recorded is sent again if the instance dies: with
 * {@code hookflow.runs.unrecorded-ends} a worker goes on while at most that many of its ends wait
 * for their commit, so a crash sends again at most that many messages per worker besides the one in
 * flight.
 */
class UnrecordedMessagesTest {

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  @Test
  void aWorkerSendsNoFurtherMessageWhileTwoOfItsRunsEndsAreUnrecorded() throws Exception {
    Map<String, String> properties =
        TestInstance.defaultsWithMail(dir, smtp.getSmtp().getPort(), "salesforce.yaml");
    properties.putAll(Postgres.newDatabaseSettings());
    properties.put("hookflow.runs.workers", "1");
    properties.put("hookflow.runs.unrecorded-ends", "1");
    List<ObjectNode> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(Fixtures.salesforceUnassignment());
    }
    try (TestInstance hookflow = TestInstance.start(properties);
        Connection db =
            DriverManager.getConnection(properties.get("spring.datasource.url"), "postgres", "")) {
      // Step records wait (a slow commit, say) while events and runs are stored as usual.
      db.setAutoCommit(false);
      try (Statement lock = db.createStatement()) {
        lock.execute("LOCK TABLE run_steps IN EXCLUSIVE MODE");
      }
      assertThat(hookflow.deliver(Fixtures.delivery(events)).statusCode()).isEqualTo(200);

      await().until(() -> Mailbox.count(smtp) >= 2);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(Mailbox.count(smtp)).isEqualTo(2));

      db.rollback();
      await().until(() -> hookflow.unfinishedRuns() == 0);
    }
    assertThat(Mailbox.count(smtp)).isEqualTo(5);
  }
}
