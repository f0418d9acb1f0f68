package io.hookflow.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class OktaUserStepTest {

  static final String FLOW = "Tell the manager";

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  final OktaStub okta = new OktaStub(Clock.systemUTC());
  TestInstance hookflow;

  @BeforeEach
  void start() {
    ObjectNode morgan = user();
    ObjectNode avery = user();
    avery.put("id", "00uTestAvery00001");
    ((ObjectNode) avery.get("profile"))
        .put("firstName", "Avery")
        .put("lastName", "Quinn")
        .put("email", "avery.quinn@example.test")
        .put("login", "avery.quinn@example.test")
        .putNull("managerId");
    okta.user(morgan).user(avery);
    Map<String, String> properties =
        TestInstance.defaultsWithMail(dir, smtp.getSmtp().getPort(), "manager-notice.yaml");
    properties.put("hookflow.okta.org-url", okta.orgUrl());
    properties.put("hookflow.okta.api-token", OktaStub.TOKEN);
    properties.putAll(database());
    hookflow = TestInstance.start(properties);
  }

  /** The last error of the event's run. */
  private String lastError(ObjectNode event) {
    return hookflow
        .jdbc()
        .sql("SELECT last_error FROM runs WHERE event_uuid = ?")
        .param(Fixtures.uuid(event))
        .query(String.class)
        .single();
  }

  /** Settings for the store under test; the embedded SQLite unless a subclass says otherwise. */
  Map<String, String> database() {
    return Map.of();
  }

  @AfterEach
  void stop() {
    hookflow.close();
    okta.close();
  }

  @Test
  void theUserAndTheirManagerAreReadFromOkta() throws Exception {
    ObjectNode event = Fixtures.unassignment("0oaTestZoom000001", "Zoom");

    hookflow.deliver(Fixtures.delivery(event));

    await().until(() -> smtp.getReceivedMessages().length == 1);
    MimeMessage mail = smtp.getReceivedMessages()[0];
    assertThat(mail.getRecipients(Message.RecipientType.TO)[0].toString())
        .isEqualTo("avery.quinn@example.test");
    assertThat(mail.getSubject()).isEqualTo("Morgan Blake lost Zoom");
    assertThat(((String) mail.getContent()).strip())
        .isEqualTo("morgan.blake@example.test (Finance, ACTIVE) no longer has Zoom.");
    assertThat(okta.requests("/api/v1/users/00uTestMorgan0001")).hasSize(1);
    assertThat(okta.requests("/api/v1/users/00uTestAvery00001")).hasSize(1);
  }

  @Test
  void aMissingUserFailsTheRunClearly() {
    ObjectNode event = Fixtures.unassignment("0oaTestZoom000001", "Zoom");
    ((ObjectNode) event.get("target").get(2)).put("id", "00uTestNobody0001");

    hookflow.deliver(Fixtures.delivery(event));

    await().until(() -> "failed".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
    String error = lastError(event);
    assertThat(error).contains("Okta has no user '00uTestNobody0001'").contains("E0000007");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void anIdWithALineBreakIsRefusedWithoutAskingOktaOrWritingItToTheLog() {
    ObjectNode event = Fixtures.unassignment("0oaTestZoom000001", "Zoom");
    String forged =
        "00uTestNobody0001\n2026-01-01T00:00:00.000Z  INFO 1 --- [hookflow] forged line";
    ((ObjectNode) event.get("target").get(2)).put("id", forged);

    hookflow.deliver(Fixtures.delivery(event));

    await().until(() -> "failed".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
    String error = lastError(event);
    assertThat(error)
        .isEqualTo("the user id from '{{user.id}}' contains a control character")
        .doesNotContain("\n");
    assertThat(okta.requests("/api/v1/users/" + forged)).isEmpty();
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aRateLimitedLookupIsRetriedAfterTheReset() {
    Instant reset = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 2);
    okta.rateLimit(1, reset);
    ObjectNode event = Fixtures.unassignment("0oaTestZoom000001", "Zoom");

    hookflow.deliver(Fixtures.delivery(event));

    await().atMost(Duration.ofSeconds(15)).until(() -> smtp.getReceivedMessages().length == 1);
    List<OktaStub.Request> lookups = okta.requests("/api/v1/users/00uTestMorgan0001");
    assertThat(lookups).hasSize(2);
    assertThat(lookups.get(1).at()).isAfterOrEqualTo(reset);
    await().until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
  }

  @Test
  void aRateLimitThatSeemsOverAlreadyIsStillWaitedOut() {
    // Okta's clock behind ours: by our clock its reset time has passed, and a retry at once would
    // spend an attempt on another 429.
    okta.rateLimit(1, Instant.now().minusSeconds(5));
    ObjectNode event = Fixtures.unassignment("0oaTestZoom000001", "Zoom");

    hookflow.deliver(Fixtures.delivery(event));

    await().atMost(Duration.ofSeconds(15)).until(() -> smtp.getReceivedMessages().length == 1);
    List<OktaStub.Request> lookups = okta.requests("/api/v1/users/00uTestMorgan0001");
    assertThat(lookups).hasSize(2);
    assertThat(Duration.between(lookups.get(0).at(), lookups.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void aRefusedTokenIsRetriedLikeARefusedSmtpLogin() {
    // A token that expired or was revoked refuses every run's lookup alike until it is replaced.
    okta.refuseTokens(2);
    ObjectNode event = Fixtures.unassignment("0oaTestZoom000001", "Zoom");

    hookflow.deliver(Fixtures.delivery(event));

    await().until(() -> smtp.getReceivedMessages().length == 1);
    await().until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
    assertThat(hookflow.attempts(Fixtures.uuid(event), FLOW)).isEqualTo(3);
    assertThat(
            hookflow
                .jdbc()
                .sql("SELECT error FROM run_steps WHERE status = 'retry' ORDER BY attempt")
                .query(String.class)
                .list())
        .hasSize(2)
        .allSatisfy(error -> assertThat(error).contains("E0000011"));
  }

  @Test
  void withoutAnOktaConnectionStartUpNamesTheFlow() {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("other-flows"), "manager-notice.yaml"),
            dir.resolve("other-data"));

    assertThatThrownBy(() -> TestInstance.start(properties))
        .rootCause()
        .hasMessageContaining("manager-notice.yaml: step 1 (okta-user) needs an Okta connection");
  }

  private static ObjectNode user() {
    return (ObjectNode) Fixtures.JSON.readTree(Fixtures.resource("okta/user.json"));
  }
}
