package io.hookflow.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.HookflowProcess;
import io.hookflow.TestInstance;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * A message sent by a step with more steps after it is not sent again when the process dies in one
 * of those: the next attempt finds it recorded.
 */
class StepsBeforeACrashTest {

  static final String FLOW = "Notice, then look the user up";

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  @Test
  void aMessageSentBeforeTheProcessDiedIsNotSentAgain() throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(
        flows.resolve("notice.yaml"),
        """
        name: %s
        trigger:
          event: application.user_membership.remove
        steps:
          - email:
              to: ["audit@example.test"]
              subject: "Unassigned"
              body: "first"
          - okta-user: {name: person}
        """
            .formatted(FLOW));
    ObjectNode event = Fixtures.salesforceUnassignment();
    Map<String, String> properties =
        TestInstance.mailTo(
            TestInstance.defaults(flows, dir.resolve("data")), smtp.getSmtp().getPort());
    properties.put("hookflow.okta.api-token", OktaStub.TOKEN);
    properties.remove("server.port");

    // An Okta that takes the connection and never answers: the run waits in its second step.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      properties.put("hookflow.okta.org-url", "http://127.0.0.1:" + silent.getLocalPort());
      HookflowProcess first =
          HookflowProcess.start(
              properties, dir.resolve("first.log"), "-Dokta.testing.disableHttpsCheck=true");
      try {
        first.deliver(Fixtures.delivery(event));
        await().atMost(Duration.ofSeconds(30)).until(() -> sentStepsRecorded() == 1);
      } finally {
        first.kill();
      }
    }
    assertThat(smtp.getReceivedMessages()).hasSize(1);

    try (OktaStub okta = new OktaStub(Clock.systemUTC())) {
      okta.user((ObjectNode) Fixtures.JSON.readTree(Fixtures.resource("okta/user.json")));
      properties.put("hookflow.okta.org-url", okta.orgUrl());
      properties.put("server.port", "0");
      try (TestInstance second = TestInstance.start(properties)) {
        await().until(() -> "succeeded".equals(second.runState(Fixtures.uuid(event), FLOW)));
      }
    }
    assertThat(smtp.getReceivedMessages()).hasSize(1);
  }

  /** Email steps recorded as done, read from the database file the process has open. */
  private int sentStepsRecorded() throws Exception {
    Path db = dir.resolve("data").resolve("hookflow.db");
    if (!Files.exists(db)) {
      return 0;
    }
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet count =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT COUNT(*) FROM run_steps WHERE kind = 'email' AND status = 'done'")) {
      return count.next() ? count.getInt(1) : 0;
    }
  }
}
