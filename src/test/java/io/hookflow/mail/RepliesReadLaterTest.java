package io.hookflow.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A message sent to be confirmed later takes one round trip where the server pipelines: the reply
 * to its end is read with the next message's commands, or when asked, and only then is the message
 * taken as accepted, refused or in doubt.
 */
class RepliesReadLaterTest {

  ScriptedSmtpServer smtp = new ScriptedSmtpServer();
  SmtpMailer mailer;

  @BeforeEach
  void start() {
    smtp.offerPipelining();
    mailer = TestMails.mailer(smtp.port(), 1, true);
  }

  @AfterEach
  void stop() throws Exception {
    mailer.destroy();
    smtp.close();
  }

  @Test
  void theReplyToAMessageIsReadWithTheNextMessagesCommands() throws Exception {
    CompletableFuture<Void> first = mailer.sendConfirmedLater(TestMails.toAudit("First.", false));
    assertThat(first).isNotDone();

    CompletableFuture<Void> second = mailer.sendConfirmedLater(TestMails.toAudit("Second.", false));
    assertThat(first).isCompletedWithValue(null);
    assertThat(second).isNotDone();

    mailer.readAwaitedReplies(Duration.ZERO);
    assertThat(second).isCompletedWithValue(null);
    assertThat(smtp.messages()).hasSize(2);
    assertThat(smtp.connections()).isOne();
  }

  @Test
  void aReplyAwaitedForLessThanAskedIsLeftForTheNextMessage() throws Exception {
    CompletableFuture<Void> sent = mailer.sendConfirmedLater(TestMails.toAudit("Only.", false));

    mailer.readAwaitedReplies(Duration.ofHours(1));
    assertThat(sent).isNotDone();

    mailer.readAwaitedReplies(Duration.ZERO);
    assertThat(sent).isCompletedWithValue(null);
  }

  @Test
  void aMessageRefusedAtItsEndFailsAndTheNextOneGoesThrough() {
    smtp.replyToMessageEnd(
        message -> message.contains("Refused.") ? "554 5.6.0 content rejected" : "250 2.0.0 OK");

    CompletableFuture<Void> refused =
        mailer.sendConfirmedLater(TestMails.toAudit("Refused.", false));
    CompletableFuture<Void> taken = mailer.sendConfirmedLater(TestMails.toAudit("Taken.", false));
    mailer.readAwaitedReplies(Duration.ZERO);

    assertThat(failureOf(refused))
        .satisfies(
            failure -> {
              assertThat(failure.permanent()).isTrue();
              assertThat(failure.getMessage()).contains("SMTP 554", "content rejected");
            });
    assertThat(taken).isCompletedWithValue(null);
    assertThat(smtp.connections()).isOne();
  }

  @Test
  void aConnectionLostBeforeTheReplyLeavesTheMessageInDoubtAndTheNextGoesOnAFreshOne() {
    smtp.replyToMessageEnd(message -> message.contains("Lost.") ? null : "250 2.0.0 OK");
    CompletableFuture<Void> lost = mailer.sendConfirmedLater(TestMails.toAudit("Lost.", false));
    CompletableFuture<Void> next = mailer.sendConfirmedLater(TestMails.toAudit("Next.", false));
    mailer.readAwaitedReplies(Duration.ZERO);

    assertThat(failureOf(lost))
        .satisfies(
            failure -> {
              assertThat(failure.permanent()).isFalse();
              assertThat(failure.getMessage()).contains("the server may have taken it");
            });
    assertThat(next).isCompletedWithValue(null);
    assertThat(smtp.messages()).hasSize(2);
    assertThat(smtp.connections()).isEqualTo(2);
  }

  @Test
  void closingTheMailerReadsTheRepliesStillAwaited() throws Exception {
    CompletableFuture<Void> sent = mailer.sendConfirmedLater(TestMails.toAudit("Last.", false));

    mailer.destroy();

    assertThat(sent).isCompletedWithValue(null);
  }

  @Test
  void fromAServerThatDoesNotPipelineTheReplyIsReadAtOnce() throws Exception {
    try (ScriptedSmtpServer plain = new ScriptedSmtpServer()) {
      SmtpMailer toPlain = TestMails.mailer(plain.port(), 1, true);
      try {
        assertThat(toPlain.sendConfirmedLater(TestMails.toAudit("At once.", false)))
            .isCompletedWithValue(null);
      } finally {
        toPlain.destroy();
      }
    }
  }

  private static MailFailure failureOf(CompletableFuture<Void> sent) {
    assertThat(sent).isCompletedExceptionally();
    try {
      sent.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(MailFailure.class);
      return (MailFailure) e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
