package io.hookflow.mail;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import tools.jackson.databind.node.ObjectNode;

/** The two ways out besides plain SMTP: the outbox folder, and Gmail's XOAUTH2. */
@ExtendWith(OutputCaptureExtension.class)
class MailTransportTest {

  @TempDir Path dir;

  @Test
  void withoutSmtpHostMessagesLandInTheOutbox() throws IOException {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve("data"));
    ObjectNode event = salesforceUnassignment();

    try (TestInstance hookflow = TestInstance.start(properties)) {
      hookflow.deliver(delivery(event));
      await().until(() -> hookflow.unfinishedRuns() == 0);
    }

    List<Path> outbox;
    try (Stream<Path> files = Files.list(dir.resolve("data/outbox"))) {
      outbox = files.toList();
    }
    assertThat(outbox).singleElement().asString().endsWith(".eml");
    String eml = Files.readString(outbox.get(0));
    assertThat(eml)
        .contains("To: audit@example.test")
        .contains("Subject: Morgan Blake unassigned from Salesforce.com")
        .contains("Message-ID: <" + Fixtures.uuid(event) + ".")
        .contains("was unassigned from Salesforce.com by Riley Admin in Porto.");
  }

  @Test
  void aLoginThatWouldCrossTheNetworkInTheClearIsPointedOutAtStart(CapturedOutput output) {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve("data"));
    properties.put("spring.mail.host", "smtp.example.test");
    properties.put("spring.mail.username", "notifier@example.test");
    properties.put("spring.mail.password", "app-password-123");
    String warning = "The SMTP login to smtp.example.test goes in the clear";

    try (TestInstance hookflow = TestInstance.start(properties)) {
      assertThat(output.getOut()).contains(warning).doesNotContain("app-password-123");
    }
    int before = output.getOut().length();
    properties.put("spring.mail.properties.mail.smtp.starttls.enable", "true");
    try (TestInstance hookflow = TestInstance.start(properties)) {
      assertThat(hookflow.bean(Mailer.class).describe()).contains("smtp.example.test");
      assertThat(output.getOut().substring(before)).doesNotContain(warning);
    }
  }

  @Test
  void aSenderOfNoDomainIsPointedOutAtStart(CapturedOutput output) {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve("data"));
    properties.put("spring.mail.host", "smtp.example.test");
    properties.remove("hookflow.mail.from");
    String warning = "Messages go from hookflow@localhost, an address of no domain";

    try (TestInstance hookflow = TestInstance.start(properties)) {
      assertThat(output.getOut()).contains(warning);
    }
    int before = output.getOut().length();
    properties.put("hookflow.mail.from", "notifier@example.test");
    try (TestInstance hookflow = TestInstance.start(properties)) {
      assertThat(output.getOut().substring(before)).doesNotContain("an address of no domain");
    }
  }

  @Test
  void smtpOverTlsHasTheTimeoutsPlainSmtpHas() {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve("data"));
    properties.put("spring.mail.host", "127.0.0.1");
    properties.put("spring.mail.port", "1");
    properties.put("spring.mail.protocol", "smtps");

    try (TestInstance hookflow = TestInstance.start(properties)) {
      Properties session = hookflow.bean(JavaMailSenderImpl.class).getJavaMailProperties();
      for (String timeout : List.of("connectiontimeout", "timeout", "writetimeout")) {
        assertThat(session.getProperty("mail.smtps." + timeout))
            .isEqualTo(session.getProperty("mail.smtp." + timeout))
            .isNotNull();
      }
    }
  }

  @Test
  void gmailOAuthRefreshesAnAccessTokenAndAuthenticatesWithXoauth2() throws Exception {
    List<String> tokenRequests = new CopyOnWriteArrayList<>();
    HttpServer tokens =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tokens.createContext(
        "/token",
        exchange -> {
          tokenRequests.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body =
              "{\"access_token\":\"ya29.test-access\",\"expires_in\":3599,\"token_type\":\"Bearer\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    tokens.start();
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "all-apps-html.yaml"), dir.resolve("data"));
    properties.put("spring.mail.host", "127.0.0.1");
    properties.put("spring.mail.username", "notifier@example.test");
    properties.put("hookflow.runs.workers", "1");
    properties.put("hookflow.mail.oauth2.client-id", "client-123.apps.example.test");
    properties.put("hookflow.mail.oauth2.client-secret", "client-secret-456");
    properties.put("hookflow.mail.oauth2.refresh-token", "1//refresh-789");
    properties.put(
        "hookflow.mail.oauth2.token-uri",
        "http://127.0.0.1:" + tokens.getAddress().getPort() + "/token");

    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
      properties.put("spring.mail.port", String.valueOf(smtp.port()));
      try (TestInstance hookflow = TestInstance.start(properties)) {
        hookflow.deliver(delivery(salesforceUnassignment(), salesforceUnassignment()));
        await().until(() -> hookflow.unfinishedRuns() == 0);
      }

      assertThat(smtp.messages()).hasSize(2);
      assertThat(smtp.auths()).singleElement().asString().startsWith("XOAUTH2 ");
      String initial =
          new String(
              Base64.getDecoder().decode(smtp.auths().get(0).substring(8)), StandardCharsets.UTF_8);
      assertThat(initial)
          .isEqualTo("user=notifier@example.test\u0001auth=Bearer ya29.test-access\u0001\u0001");
    } finally {
      tokens.stop(0);
    }
    assertThat(tokenRequests)
        .singleElement()
        .asString()
        .contains("grant_type=refresh_token")
        .contains("refresh_token=1%2F%2Frefresh-789")
        .contains("client_id=client-123.apps.example.test");
  }

  @Test
  void withStartTlsAskedForTheLoginNeverCrossesInTheClearToAServerThatDoesNotOfferIt()
      throws Exception {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve("data"));
    properties.put("spring.mail.host", "127.0.0.1");
    properties.put("spring.mail.username", "notifier@example.test");
    properties.put("spring.mail.password", "app-password-123");
    properties.put("spring.mail.properties.mail.smtp.starttls.enable", "true");
    properties.put("hookflow.runs.retry.max-attempts", "1");
    ObjectNode event = salesforceUnassignment();
    String error;

    // A server, or someone between hookflow and it, that leaves STARTTLS out of its EHLO reply.
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
      properties.put("spring.mail.port", String.valueOf(smtp.port()));
      try (TestInstance hookflow = TestInstance.start(properties)) {
        hookflow.deliver(delivery(event));
        await().until(() -> hookflow.unfinishedRuns() == 0);
        error =
            hookflow
                .jdbc()
                .sql("SELECT COALESCE(last_error, '') FROM runs WHERE event_uuid = ?")
                .param(Fixtures.uuid(event))
                .query(String.class)
                .single();
      }

      assertThat(smtp.connections()).isPositive();
      assertThat(smtp.auths()).isEmpty();
      assertThat(smtp.messages()).isEmpty();
    }
    assertThat(error).contains("STARTTLS");
  }
}
