package io.hookflow.hook;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static io.hookflow.Fixtures.withUserEmail;
import static io.hookflow.Fixtures.withUserName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.Mailbox;
import io.hookflow.TestInstance;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** Batches, Okta's retries, other event types and hostile event data, end to end over SMTP. */
class DeliveryProcessingTest {

  static final String SALESFORCE = "Salesforce unassignment notice";

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  TestInstance hookflow;

  @BeforeEach
  void start() {
    Map<String, String> properties =
        TestInstance.defaultsWithMail(
            dir, smtp.getSmtp().getPort(), "salesforce.yaml", "all-apps-html.yaml");
    hookflow = TestInstance.start(properties);
  }

  @AfterEach
  void stop() {
    hookflow.close();
  }

  @Test
  void retriedDeliveryDoesNotMailTwice() {
    String body = delivery(salesforceUnassignment());

    assertThat(hookflow.deliver(body).statusCode()).isEqualTo(200);
    assertThat(hookflow.deliver(body).statusCode()).isEqualTo(200);
    await().until(() -> hookflow.unfinishedRuns() == 0);
    assertThat(hookflow.deliver(body).statusCode()).isEqualTo(200);

    assertThat(hookflow.unfinishedRuns()).isZero();
    assertThat(hookflow.count("events")).isOne();
    assertThat(hookflow.count("runs")).isEqualTo(2);
    assertThat(Mailbox.count(smtp)).isEqualTo(2);
  }

  @Test
  void sameEventInTwoDifferentDeliveriesRunsOnce() {
    ObjectNode event = salesforceUnassignment();
    ObjectNode other = salesforceUnassignment();

    hookflow.deliver(delivery(event));
    hookflow.deliver(delivery(other, event, event));

    await().until(() -> hookflow.unfinishedRuns() == 0);
    assertThat(hookflow.count("events")).isEqualTo(2);
    assertThat(Mailbox.count(smtp)).isEqualTo(4);
  }

  @Test
  void eachEventOfABatchRunsOnItsOwn() {
    ObjectNode first = salesforceUnassignment();
    ObjectNode broken = withUserEmail(salesforceUnassignment(), "not an address@@");
    ObjectNode last = salesforceUnassignment();

    hookflow.deliver(delivery(first, broken, last));

    await().until(() -> hookflow.unfinishedRuns() == 0);
    assertThat(hookflow.runState(Fixtures.uuid(first), "Notice to the user"))
        .isEqualTo("succeeded");
    assertThat(hookflow.runState(Fixtures.uuid(broken), "Notice to the user")).isEqualTo("failed");
    assertThat(hookflow.runState(Fixtures.uuid(broken), SALESFORCE)).isEqualTo("succeeded");
    assertThat(hookflow.runState(Fixtures.uuid(last), "Notice to the user")).isEqualTo("succeeded");
    assertThat(Mailbox.count(smtp)).isEqualTo(5);
    String error =
        hookflow
            .jdbc()
            .sql("SELECT last_error FROM runs WHERE event_uuid = ? AND flow = 'Notice to the user'")
            .param(Fixtures.uuid(broken))
            .query(String.class)
            .single();
    assertThat(error)
        .startsWith("invalid address in to: 'not an address@@' (from '{{user.alternateId}}'): ");
  }

  @Test
  void otherEventTypesStartNoFlow() {
    ObjectNode deactivate =
        (ObjectNode) Fixtures.JSON.readTree(Fixtures.resource("events/user-deactivate.json"));

    assertThat(hookflow.deliver(delivery(deactivate)).statusCode()).isEqualTo(200);

    assertThat(hookflow.count("events")).isOne();
    assertThat(hookflow.count("runs")).isZero();
  }

  @Test
  void lineBreaksInEventDataCannotAddMailHeaders() throws Exception {
    ObjectNode event =
        withUserName(salesforceUnassignment(), "Eve\r\nBcc: victim@example.test\r\nX-Evil: 1");

    hookflow.deliver(delivery(event));

    await().until(() -> hookflow.unfinishedRuns() == 0);
    MimeMessage salesforce = Mailbox.withSubjectStarting(smtp, "Eve");
    assertThat(salesforce.getSubject())
        .isEqualTo("Eve Bcc: victim@example.test X-Evil: 1 unassigned from Salesforce.com");
    assertThat(salesforce.getHeader("X-Evil")).isNull();
    assertThat(salesforce.getHeader("Bcc")).isNull();
    // GreenMail makes a mailbox for each address it delivers to, Bcc ones included.
    assertThat(smtp.getUserManager().getUserByEmail("victim@example.test")).isNull();
  }

  @Test
  void htmlBodiesEscapeEventDataAndTextBodiesDoNot() throws Exception {
    ObjectNode event = withUserName(salesforceUnassignment(), "<script>alert('x')</script> & Co");

    hookflow.deliver(delivery(event));

    await().until(() -> hookflow.unfinishedRuns() == 0);
    MimeMessage html = Mailbox.withSubjectStarting(smtp, "Access to");
    assertThat(html.getContentType()).startsWith("text/html");
    String htmlBody = GreenMailUtil.getBody(html);
    assertThat(htmlBody).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co");
    assertThat(htmlBody).doesNotContain("<script>");
    MimeMessage text = Mailbox.withSubjectStarting(smtp, "<script>");
    assertThat(text.getContentType()).startsWith("text/plain");
    assertThat((String) text.getContent()).startsWith("<script>alert('x')</script> & Co (");
  }
}
