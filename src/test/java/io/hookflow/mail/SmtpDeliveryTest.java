package io.hookflow.mail;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookflow.Fixtures;
import io.hookflow.MutableClock;
import io.hookflow.TestInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** What the SMTP server answers decides between done, retry later, and failed for good. */
class SmtpDeliveryTest {

  static final String FLOW = "Notice to the user";
  static final MutableClock clock = MutableClock.Source.CLOCK;

  @TempDir Path dir;
  ScriptedSmtpServer smtp = new ScriptedSmtpServer();
  TestInstance hookflow;

  @BeforeEach
  void start() {
    Map<String, String> properties =
        TestInstance.defaultsWithMail(dir, smtp.port(), "all-apps-html.yaml");
    properties.put("hookflow.runs.workers", "1");
    properties.put("hookflow.runs.retry.max-attempts", "3");
    properties.put("hookflow.runs.retry.initial-backoff", "10m");
    properties.put("hookflow.runs.retry.multiplier", "3");
    properties.put("hookflow.runs.retry.max-backoff", "1h");
    hookflow = TestInstance.start(properties, MutableClock.Source.class);
  }

  @AfterEach
  void stop() throws Exception {
    hookflow.close();
    smtp.close();
  }

  @Test
  void refusedMailboxFailsTheRunAtOnce() {
    smtp.replyToRecipients(rcpt -> "550 5.1.1 " + rcpt + ": no such user");
    ObjectNode event = salesforceUnassignment();

    hookflow.deliver(delivery(event));

    await().until(() -> "failed".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
    Map<String, Object> run = run(event);
    assertThat(run.get("attempts")).isEqualTo(1);
    assertThat((String) run.get("last_error"))
        .isEqualTo(
            "SMTP 550: Invalid Addresses (550 5.1.1 morgan.blake@example.test: no such user)");
    assertThat(smtp.messages()).isEmpty();
  }

  @Test
  void busyServerIsRetriedWithExponentialBackoffUntilItTakesTheMessage() {
    smtp.replyToRecipients(rcpt -> "451 4.3.0 try again later");
    ObjectNode event = salesforceUnassignment();

    hookflow.deliver(delivery(event));

    await().until(() -> "retrying".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
    assertThat(waitAfter(event)).isEqualTo(Duration.ofMinutes(10));
    clock.advance(Duration.ofMinutes(10));
    await()
        .until(
            () ->
                ((Number) run(event).get("attempts")).intValue() == 2
                    && "retrying".equals(run(event).get("state")));
    assertThat(waitAfter(event)).isEqualTo(Duration.ofMinutes(30));

    smtp.replyToRecipients(rcpt -> "250 2.1.5 OK");
    clock.advance(Duration.ofMinutes(30));

    await().until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
    assertThat(run(event).get("attempts")).isEqualTo(3);
    assertThat(smtp.messages()).hasSize(1);
    assertThat(hookflow.count("run_steps")).isEqualTo(6);
  }

  /**
   * Replies to MAIL FROM that refuse every message alike until the SMTP settings are fixed, so are
   * retried as a refused login is: 530 (RFC 4954: a login, or TLS before it, is missing), and a
   * refused sender ({@code hookflow.mail.from} not allowed for the login, say).
   */
  @ParameterizedTest
  @ValueSource(strings = {"530 5.7.0 Authentication required", "553 5.7.1 sender not allowed"})
  void aReplyThatRefusesEveryMessageAlikeIsRetriedUntilTheSettingsAreFixed(String reply) {
    smtp.replyToSender(reply);
    ObjectNode event = salesforceUnassignment();

    hookflow.deliver(delivery(event));

    await().until(() -> "retrying".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
    assertThat((String) run(event).get("last_error")).startsWith("SMTP " + reply.substring(0, 3));
    smtp.replyToSender("250 2.1.0 OK");
    clock.advance(Duration.ofMinutes(10));

    await().until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
    assertThat(smtp.messages()).hasSize(1);
  }

  @Test
  void runFailsAfterTheLastAttempt() {
    smtp.replyToRecipients(rcpt -> "421 4.7.0 closing");
    ObjectNode event = salesforceUnassignment();

    hookflow.deliver(delivery(event));
    for (int attempt = 1; attempt < 3; attempt++) {
      int done = attempt;
      await()
          .until(
              () ->
                  ((Number) run(event).get("attempts")).intValue() == done
                      && "retrying".equals(run(event).get("state")));
      clock.advance(Duration.ofHours(1));
    }

    await().until(() -> "failed".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
    assertThat((String) run(event).get("last_error")).startsWith("gave up after 3 attempts");
    assertThat(
            hookflow
                .jdbc()
                .sql(
                    "SELECT s.status FROM run_steps s JOIN runs r ON r.id = s.run_id"
                        + " WHERE r.event_uuid = ? AND s.kind = 'email' ORDER BY s.attempt")
                .param(Fixtures.uuid(event))
                .query(String.class)
                .list())
        .as("the email step of the attempt after which the run was given up failed with it")
        .containsExactly("retry", "retry", "failed");
  }

  @Test
  void connectionsAreReusedAcrossMessages() {
    hookflow.deliver(
        delivery(IntStream.range(0, 6).mapToObj(i -> salesforceUnassignment()).toList()));

    await().until(() -> hookflow.unfinishedRuns() == 0);
    assertThat(smtp.messages()).hasSize(6);
    assertThat(smtp.connections()).isEqualTo(1);
  }

  @Test
  void aConnectionTheServerDroppedIsReplacedWithoutLosingTheMessage() {
    for (String after : new String[] {"", "421 4.4.2 closing idle connection"}) {
      smtp.afterEachMessage(after);
      int before = smtp.messages().size();
      List<ObjectNode> events = List.of(salesforceUnassignment(), salesforceUnassignment());
      for (ObjectNode event : events) {
        hookflow.deliver(delivery(event));
        await().until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
        assertThat(((Number) run(event).get("attempts")).intValue()).isEqualTo(1);
      }
      assertThat(smtp.messages()).hasSize(before + 2);
    }
    smtp.afterEachMessage(null);
  }

  @Test
  void messageIdIsTheSameForEveryAttempt() {
    smtp.replyToRecipients(rcpt -> "451 4.3.0 later");
    ObjectNode event = salesforceUnassignment();
    hookflow.deliver(delivery(event));
    await().until(() -> "retrying".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
    smtp.replyToRecipients(rcpt -> "250 OK");
    clock.advance(Duration.ofHours(1));
    await().until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));

    assertThat(
            hookflow
                .jdbc()
                .sql("SELECT DISTINCT input FROM run_steps WHERE kind = 'email'")
                .query(String.class)
                .list())
        .hasSize(1)
        .first()
        .asString()
        .contains("\"messageId\":\"<" + Fixtures.uuid(event) + ".");
    assertThat(smtp.messages().get(0)).contains("Message-ID: <" + Fixtures.uuid(event) + ".");
  }

  private Map<String, Object> run(ObjectNode event) {
    return hookflow
        .jdbc()
        .sql(
            "SELECT state, attempts, last_error, next_attempt_at, updated_at FROM runs WHERE event_uuid = ?")
        .param(Fixtures.uuid(event))
        .query()
        .singleRow();
  }

  private Duration waitAfter(ObjectNode event) {
    Map<String, Object> run = run(event);
    return Duration.ofMillis(((Number) run.get("next_attempt_at")).longValue() - clock.millis());
  }
}
