package io.hookflow.hook;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static io.hookflow.Fixtures.unassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.Mailbox;
import io.hookflow.TestInstance;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class OktaHookEndpointTest {

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  TestInstance hookflow;

  @BeforeEach
  void start() {
    Map<String, String> properties =
        TestInstance.defaultsWithMail(
            dir, smtp.getSmtp().getPort(), "salesforce.yaml", "chosen-apps.yaml");
    hookflow = TestInstance.start(properties);
  }

  @AfterEach
  void stop() {
    hookflow.close();
  }

  @Test
  void verificationEchoesTheChallenge() {
    HttpResponse<String> response =
        hookflow.send(
            hookflow
                .request("/hooks/okta")
                .header("Authorization", TestInstance.SECRET)
                .header("X-Okta-Verification-Challenge", "chal-9f8e7d")
                .GET()
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(response.body()).isEqualTo("{\"verification\":\"chal-9f8e7d\"}");
    assertThat(hookflow.send(hookflow.api("/actuator/prometheus").GET().build()).body())
        .as("counted with the requests answered 200, as a refused one is with its status")
        .contains("hookflow_hook_requests_total{status=\"200\"} 1.0");
  }

  @Test
  void deliveryIsAcknowledgedThenMailed() throws Exception {
    ObjectNode event = salesforceUnassignment();

    HttpResponse<String> response = hookflow.deliver(delivery(event));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> Mailbox.count(smtp) == 1);
    MimeMessage mail = smtp.getReceivedMessages()[0];
    assertThat(mail.getSubject()).isEqualTo("Morgan Blake unassigned from Salesforce.com");
    assertThat(mail.getFrom()[0].toString()).isEqualTo("hookflow@example.test");
    assertThat(mail.getRecipients(Message.RecipientType.TO)[0].toString())
        .isEqualTo("audit@example.test");
    assertThat(mail.getRecipients(Message.RecipientType.CC)[0].toString())
        .isEqualTo("riley.admin@example.test");
    assertThat(((String) mail.getContent()).strip())
        .isEqualTo(
            "Morgan Blake (morgan.blake@example.test) was unassigned from Salesforce.com by Riley"
                + " Admin in Porto.");
    assertThat(mail.getMessageID()).startsWith("<" + Fixtures.uuid(event) + ".");
    // The run is recorded as succeeded just after the server took the message.
    await()
        .untilAsserted(
            () ->
                assertThat(
                        hookflow.runState(Fixtures.uuid(event), "Salesforce unassignment notice"))
                    .isEqualTo("succeeded"));
  }

  @Test
  void eventsAreStoredAsTheyArrived() {
    String event =
        Fixtures.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(salesforceUnassignment());
    String body = "{\"data\": {\"events\": [" + event + "]}}";

    assertThat(hookflow.deliver(body).statusCode()).isEqualTo(200);

    String uuid = Fixtures.JSON.readTree(event).path("uuid").asString();
    assertThat(
            hookflow
                .jdbc()
                .sql("SELECT payload FROM events WHERE uuid = ?")
                .param(uuid)
                .query(String.class)
                .single())
        .isEqualTo(event);
    String metrics = hookflow.send(hookflow.api("/actuator/prometheus").GET().build()).body();
    assertThat(metrics)
        .contains("hookflow_hook_requests_total{status=\"200\"} 1.0")
        .contains("hookflow_hook_deliveries_seconds_count{status=\"200\"} 1\n")
        .contains("hookflow_hook_deliveries_seconds_bucket{status=\"200\",le=\"3.0\"} 1\n");
  }

  @Test
  void wrongOrMissingSecretIsRefusedAndNothingStored() {
    String body = delivery(salesforceUnassignment());
    HttpRequest.Builder post =
        hookflow
            .request("/hooks/okta")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));

    HttpResponse<String> missing = hookflow.send(post.copy().build());
    HttpResponse<String> wrong =
        hookflow.send(post.copy().header("Authorization", TestInstance.SECRET + "x").build());
    HttpResponse<String> verify =
        hookflow.send(
            hookflow
                .request("/hooks/okta")
                .header("X-Okta-Verification-Challenge", "abc")
                .GET()
                .build());

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(verify.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("\"status\":401");
    String metrics = hookflow.send(hookflow.api("/actuator/prometheus").GET().build()).body();
    assertThat(metrics).contains("hookflow_hook_requests_total{status=\"401\"} 3.0");
    // The verification GET is not a delivery.
    assertThat(metrics).contains("hookflow_hook_deliveries_seconds_count{status=\"401\"} 2\n");
    assertThat(hookflow.count("events")).isZero();
  }

  @Test
  void eventsForOtherAppsAreStoredWithoutRuns() {
    ObjectNode other = unassignment("0oaTestZoom000001", "Zoom");

    assertThat(hookflow.deliver(delivery(other)).statusCode()).isEqualTo(200);

    assertThat(hookflow.count("events")).isOne();
    assertThat(hookflow.count("runs")).isZero();
  }

  @Test
  void chosenAppsMatchByLabelOrId() {
    ObjectNode byLabel = unassignment("0oaTestWorkday001", "Workday");
    ObjectNode byId = unassignment("0oaTestGitHub00001", "GitHub Enterprise");
    ObjectNode byLabelOtherCase = unassignment("0oaTestBox0000001", "Box");
    ObjectNode neither = unassignment("0oaTestSlack00001", "Slack");

    hookflow.deliver(delivery(byLabel, byId, byLabelOtherCase, neither));

    await().until(() -> hookflow.unfinishedRuns() == 0);
    assertThat(hookflow.count("runs")).isEqualTo(3);
    assertThat(Mailbox.count(smtp)).isEqualTo(3);
  }
}
