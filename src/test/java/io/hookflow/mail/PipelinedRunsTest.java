package io.hookflow.mail;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static io.hookflow.Fixtures.withUserName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs whose message ends their flow, sent to a server that pipelines: each run is recorded by the
 * reply to its own message, read after the worker went on, whether the server took it or not.
 */
class PipelinedRunsTest {

  static final String FLOW = "Salesforce unassignment notice";

  @TempDir Path dir;
  ScriptedSmtpServer smtp = new ScriptedSmtpServer();

  @AfterEach
  void stop() throws IOException {
    smtp.close();
  }

  @Test
  void eachRunEndsAsTheReplyToItsOwnMessageSays() {
    smtp.offerPipelining();
    smtp.replyToMessageEnd(
        message -> message.contains("Rita Refused") ? "554 5.6.0 content rejected" : "250 OK");
    Map<String, String> properties =
        TestInstance.defaultsWithMail(dir, smtp.port(), "salesforce.yaml");
    properties.put("hookflow.runs.workers", "1");
    ObjectNode ada = withUserName(salesforceUnassignment(), "Ada Accepted");
    ObjectNode rita = withUserName(salesforceUnassignment(), "Rita Refused");
    ObjectNode bo = withUserName(salesforceUnassignment(), "Bo Accepted");

    try (TestInstance hookflow = TestInstance.start(properties)) {
      hookflow.deliver(delivery(ada, rita, bo));

      await().until(() -> hookflow.unfinishedRuns() == 0 && hookflow.count("runs") == 3);
      assertThat(hookflow.runState(Fixtures.uuid(ada), FLOW)).isEqualTo("succeeded");
      assertThat(hookflow.runState(Fixtures.uuid(bo), FLOW)).isEqualTo("succeeded");
      assertThat(hookflow.runState(Fixtures.uuid(rita), FLOW)).isEqualTo("failed");
      assertThat(
              hookflow
                  .jdbc()
                  .sql("SELECT last_error FROM runs WHERE event_uuid = ?")
                  .param(Fixtures.uuid(rita))
                  .query(String.class)
                  .single())
          .startsWith("SMTP 554")
          .contains("content rejected");
    }
    assertThat(smtp.messages()).hasSize(3);
    assertThat(smtp.connections()).isOne();
  }
}
