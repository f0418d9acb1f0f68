package io.hookflow.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import jakarta.mail.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that stops reading in the middle of a message does not hold a sender for ever: a small
 * message waits for the reply under the read timeout, a large one's writes are under the write
 * timeout.
 */
class SmtpTimeoutTest {

  ScriptedSmtpServer smtp = new ScriptedSmtpServer();
  SmtpMailer mailer = mailer(smtp.port());

  @AfterEach
  void stop() throws Exception {
    mailer.destroy();
    smtp.close();
  }

  @Test
  void aSmallMessageGivesUpWhenNoReplyComes() throws Exception {
    smtp.stallOnData();

    assertThat(size(mail("Bye."))).isLessThan(SmtpMailer.UNGUARDED_BYTES);
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () ->
            assertThatThrownBy(() -> mailer.send(mail("Bye.")))
                .isInstanceOfSatisfying(
                    MailFailure.class, failure -> assertThat(failure.permanent()).isFalse()));
  }

  @Test
  void aLargeMessageGivesUpWhenTheServerStopsReading() {
    smtp.stallOnData();
    // More than the loopback's socket buffers and window can take while nobody reads.
    String body = ("x".repeat(99) + "\n").repeat(320_000);

    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () ->
            assertThatThrownBy(() -> mailer.send(mail(body)))
                .isInstanceOfSatisfying(
                    MailFailure.class, failure -> assertThat(failure.permanent()).isFalse()));
  }

  @Test
  void smallAndLargeMessagesBothGetThrough() throws Exception {
    String large = ("y".repeat(99) + "\n").repeat(400);

    mailer.send(mail("Bye."));
    mailer.send(mail(large));
    mailer.send(mail("Bye again."));

    assertThat(size(mail(large))).isGreaterThan(SmtpMailer.UNGUARDED_BYTES);
    assertThat(smtp.messages()).hasSize(3);
    assertThat(smtp.messages().get(1)).contains("y".repeat(99));
    // One connection for the small messages, one for the large.
    assertThat(smtp.connections()).isEqualTo(2);
  }

  @Test
  void withOneConnectionAllowedNoMoreThanOneIsOpenWhateverTheSizes() throws Exception {
    SmtpMailer single = mailer(smtp.port(), 1);
    String large = ("y".repeat(99) + "\n").repeat(400);
    try {
      single.send(mail("Bye."));
      single.send(mail(large));
      single.send(mail("Bye again."));

      assertThat(smtp.messages()).hasSize(3);
      assertThat(smtp.connections()).isEqualTo(3);
      await().until(() -> smtp.open() == 1);
    } finally {
      single.destroy();
    }
  }

  private static OutgoingMail mail(String body) {
    return TestMails.toAudit(body, false);
  }

  private static SmtpMailer mailer(int port) {
    return mailer(port, 4);
  }

  private static SmtpMailer mailer(int port, int connections) {
    return TestMails.mailer(port, connections, true);
  }

  /** The size SmtpMailer goes by. */
  private static int size(OutgoingMail mail) throws Exception {
    return MimeMessages.size(
        MimeMessages.build(Session.getInstance(new Properties()), mail, Instant.EPOCH));
  }
}
