package io.hookflow.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A message that went out to its end and got no reply (the connection cut, or no reply in time) may
 * have been taken by the server: it is not sent again at once on a fresh connection, as a
 * connection found closed before the message is, and the failure says so.
 */
class UnconfirmedMessageTest {

  ScriptedSmtpServer smtp = new ScriptedSmtpServer();
  SmtpMailer mailer;

  @AfterEach
  void stop() throws Exception {
    if (mailer != null) {
      mailer.destroy();
    }
    smtp.close();
  }

  @ParameterizedTest
  @CsvSource({"hang up, true", "hang up, false", "stall, true", "stall, false"})
  void onAReusedConnectionItIsNotSentAgainAtOnce(String how, boolean pipelining) throws Exception {
    if (pipelining) {
      smtp.offerPipelining();
    }
    mailer = mailer(smtp.port(), pipelining);
    mailer.send(TestMails.toAudit("First.", false));
    smtp.noReplyToMessageEnd(how);

    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () ->
            assertThatThrownBy(() -> mailer.send(TestMails.toAudit("Second.", false)))
                .isInstanceOfSatisfying(
                    MailFailure.class,
                    failure -> {
                      assertThat(failure.permanent()).isFalse();
                      assertThat(failure.getMessage()).contains("the server may have taken it");
                    }));
    assertThat(smtp.messages()).hasSize(2);
    assertThat(smtp.messages().get(1)).contains("Second.");
    assertThat(smtp.connections()).isEqualTo(1);
  }

  @Test
  void onAFreshConnectionTheFailureSaysItMayHaveBeenTaken() {
    mailer = mailer(smtp.port(), true);
    smtp.noReplyToMessageEnd("hang up");

    assertThatThrownBy(() -> mailer.send(TestMails.toAudit("Only.", false)))
        .isInstanceOfSatisfying(
            MailFailure.class,
            failure -> {
              assertThat(failure.permanent()).isFalse();
              assertThat(failure.getMessage()).contains("the server may have taken it");
            });
    assertThat(smtp.messages()).hasSize(1);
  }

  private static SmtpMailer mailer(int port, boolean pipelining) {
    return TestMails.mailer(port, 4, pipelining);
  }
}
