package io.hookflow.mail;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookflow.Fixtures;
import io.hookflow.MutableClock;
import io.hookflow.TestInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * A message sent in an earlier attempt of a run is known by what its step says, not by the step's
 * place: an administrator who edits the flow while a run waits for its next attempt (and restarts
 * hookflow to load it) gets neither the message again nor a new step skipped in its place.
 */
class FlowEditedBetweenAttemptsTest {

  static final String FLOW = "Notices";
  static final MutableClock clock = MutableClock.Source.CLOCK;

  @TempDir Path dir;
  ScriptedSmtpServer smtp = new ScriptedSmtpServer();

  @AfterEach
  void stop() throws IOException {
    smtp.close();
  }

  @Test
  void aSentMessageIsNotSentAgainWhenAStepIsPutBeforeItsStep() throws IOException {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Map<String, String> properties =
        TestInstance.mailTo(TestInstance.defaults(flows, dir.resolve("data")), smtp.port());
    properties.put("hookflow.runs.workers", "1");
    properties.put("hookflow.runs.retry.initial-backoff", "10m");
    ObjectNode event = salesforceUnassignment();
    smtp.replyToRecipients(rcpt -> rcpt.contains("bob") ? "451 4.3.0 later" : "250 2.1.5 OK");

    Files.writeString(flows.resolve("notices.yaml"), flow("alice", "bob"));
    try (TestInstance first = TestInstance.start(properties, MutableClock.Source.class)) {
      first.deliver(delivery(event));
      await().until(() -> "retrying".equals(first.runState(Fixtures.uuid(event), FLOW)));
    }
    assertThat(recipients()).containsExactly("alice@example.test");

    Files.writeString(flows.resolve("notices.yaml"), flow("carol", "alice", "bob"));
    smtp.replyToRecipients(rcpt -> "250 2.1.5 OK");
    try (TestInstance second = TestInstance.start(properties, MutableClock.Source.class)) {
      clock.advance(Duration.ofHours(1));
      await().until(() -> "succeeded".equals(second.runState(Fixtures.uuid(event), FLOW)));
      assertThat(
              second
                  .jdbc()
                  .sql("SELECT status, input FROM run_steps WHERE attempt = 2 ORDER BY idx")
                  .query((rs, row) -> rs.getString("status") + " " + rs.getString("input"))
                  .list())
          .hasSize(3)
          .element(1)
          .isEqualTo("done \"done in an earlier attempt\"");
    }
    assertThat(recipients())
        .containsExactly("alice@example.test", "carol@example.test", "bob@example.test");
  }

  /** A flow with one message to each of {@code names}, in that order. */
  private static String flow(String... names) {
    StringBuilder flow =
        new StringBuilder(
            "name: " + FLOW + "\ntrigger:\n  event: application.user_membership.remove\nsteps:\n");
    for (String name : names) {
      flow.append("  - email:\n")
          .append("      to: [")
          .append(name)
          .append("@example.test]\n")
          .append("      subject: \"For ")
          .append(name)
          .append("\"\n")
          .append("      body: \"{{user.displayName}} was unassigned.\"\n");
    }
    return flow.toString();
  }

  /** The recipient of each message the server took, in the order taken. */
  private List<String> recipients() {
    return smtp.messages().stream()
        .map(message -> message.replaceAll("(?sm).*?^To: (\\S+)\\r?$.*", "$1"))
        .toList();
  }
}
